package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/**
 * One role assignment of any kind (Keystone's {@code assignment} and {@code system_assignment}
 * rows): an actor (a user or a group) holds a role on a target (a project, a domain, or the
 * system, whose id is {@code all}). {@code inherited} assignments apply to the projects below the
 * target, not to the target itself (OS-INHERIT).
 */
public record RoleAssignment(
    Actor actorType, String actorId, Target targetType, String targetId, String roleId,
    boolean inherited) {

  public enum Actor {
    USER,
    GROUP
  }

  public enum Target {
    PROJECT,
    DOMAIN,
    SYSTEM
  }

  /** The system target's only id. */
  public static final String SYSTEM_ALL = "all";

  public RoleAssignment {
    requireNonNull(actorType, "actorType");
    requireNonNull(actorId, "actorId");
    requireNonNull(targetType, "targetType");
    requireNonNull(targetId, "targetId");
    requireNonNull(roleId, "roleId");
  }

  /** A user's direct, not inherited, role on a project (what {@code role_grants} holds). */
  public static RoleAssignment of(Grant g) {
    return new RoleAssignment(Actor.USER, g.userId(), Target.PROJECT, g.projectId(), g.roleId(), false);
  }

  public boolean isUserProjectGrant() {
    return actorType == Actor.USER && targetType == Target.PROJECT && !inherited;
  }
}
