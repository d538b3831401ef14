package dev.glint.identity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a user holds on a target, as Keystone computes them for a token: the user's own
 * assignments, those of the user's groups, assignments inherited from the project's domain and
 * ancestors (OS-INHERIT), and then every role those imply. Reads the store; thread-safe.
 */
final class EffectiveRoles {
  private final IdentityRepository identity;
  private final AccountRepository accounts;

  EffectiveRoles(IdentityRepository identity, AccountRepository accounts) {
    this.identity = identity;
    this.accounts = accounts;
  }

  /** Roles on a project, implied ones included, granted ones first, each sorted by name. */
  List<Role> onProject(String userId, String projectId) {
    Optional<Project> project = identity.project(projectId);
    if (project.isEmpty()) {
      return List.of();
    }
    Set<String> granted = new LinkedHashSet<>();
    identity.grantedRoles(userId, projectId).forEach(r -> granted.add(r.id()));
    Set<String> actors = actors(userId);
    List<String> above = ancestors(project.get());
    for (RoleAssignment a : accounts.assignments()) {
      if (!actors.contains(key(a.actorType(), a.actorId()))) {
        continue;
      }
      boolean direct =
          !a.inherited() && a.targetType() == RoleAssignment.Target.PROJECT
              && a.targetId().equals(projectId);
      boolean inherited =
          a.inherited()
              && (a.targetType() == RoleAssignment.Target.PROJECT
                      && above.contains(a.targetId())
                  || a.targetType() == RoleAssignment.Target.DOMAIN
                      && a.targetId().equals(project.get().domainId()));
      if (direct || inherited) {
        granted.add(a.roleId());
      }
    }
    return withImplied(granted);
  }

  /** Roles on a domain itself (not inherited ones, which are for its projects). */
  List<Role> onDomain(String userId, String domainId) {
    return on(userId, RoleAssignment.Target.DOMAIN, domainId);
  }

  /** Roles on the system. */
  List<Role> onSystem(String userId) {
    return on(userId, RoleAssignment.Target.SYSTEM, RoleAssignment.SYSTEM_ALL);
  }

  private List<Role> on(String userId, RoleAssignment.Target type, String id) {
    Set<String> actors = actors(userId);
    Set<String> granted = new LinkedHashSet<>();
    for (RoleAssignment a : accounts.assignments()) {
      if (!a.inherited() && a.targetType() == type && a.targetId().equals(id)
          && actors.contains(key(a.actorType(), a.actorId()))) {
        granted.add(a.roleId());
      }
    }
    return withImplied(granted);
  }

  /**
   * Projects on which the user holds any role (directly, through a group, or inherited). The
   * candidates come from one pass over the assignments; each is then checked as a token would be
   * (a domain-specific role alone gives nothing).
   */
  List<Project> projects(String userId) {
    Set<String> candidates = new LinkedHashSet<>();
    identity.projectsOf(userId).forEach(p -> candidates.add(p.id()));
    Set<String> actors = actors(userId);
    List<RoleAssignment> held =
        accounts.assignments().stream()
            .filter(a -> actors.contains(key(a.actorType(), a.actorId())))
            .toList();
    if (!held.isEmpty()) {
      List<Project> all = identity.projects();
      for (RoleAssignment a : held) {
        for (Project p : all) {
          boolean reached =
              switch (a.targetType()) {
                case PROJECT ->
                    a.inherited() ? ancestors(p).contains(a.targetId()) : p.id().equals(a.targetId());
                case DOMAIN -> a.inherited() && p.domainId().equals(a.targetId());
                case SYSTEM -> false;
              };
          if (reached) {
            candidates.add(p.id());
          }
        }
      }
    }
    return identity.projects().stream()
        .filter(p -> candidates.contains(p.id()))
        .filter(p -> !onProject(userId, p.id()).isEmpty())
        .toList();
  }

  /** Domains on which the user holds a role. */
  List<Domain> domains(String userId) {
    Set<String> actors = actors(userId);
    Set<String> candidates = new LinkedHashSet<>();
    for (RoleAssignment a : accounts.assignments()) {
      if (a.targetType() == RoleAssignment.Target.DOMAIN && !a.inherited()
          && actors.contains(key(a.actorType(), a.actorId()))) {
        candidates.add(a.targetId());
      }
    }
    return identity.domains().stream()
        .filter(d -> candidates.contains(d.id()))
        .filter(d -> !onDomain(userId, d.id()).isEmpty())
        .toList();
  }

  /** The project's ancestors, parent first (never the project itself). */
  List<String> ancestors(Project project) {
    List<String> out = new ArrayList<>();
    String parent = project.parentId();
    while (parent != null && !out.contains(parent)) {
      out.add(parent);
      parent = identity.project(parent).map(Project::parentId).orElse(null);
    }
    return out;
  }

  private Set<String> actors(String userId) {
    Set<String> out = new LinkedHashSet<>();
    out.add(key(RoleAssignment.Actor.USER, userId));
    accounts.groupsOf(userId).forEach(g -> out.add(key(RoleAssignment.Actor.GROUP, g.id())));
    return out;
  }

  private static String key(RoleAssignment.Actor type, String id) {
    return type + ":" + id;
  }

  /** The roles plus every role they imply: granted ones first (by name), then implied ones. */
  List<Role> withImplied(Set<String> grantedIds) {
    if (grantedIds.isEmpty()) {
      return List.of();
    }
    Map<String, Set<String>> implies = identity.implications();
    Set<String> seen = new LinkedHashSet<>(grantedIds);
    List<String> impliedIds = new ArrayList<>();
    Deque<String> todo = new ArrayDeque<>(grantedIds);
    while (!todo.isEmpty()) {
      for (String implied : implies.getOrDefault(todo.poll(), Set.of())) {
        if (seen.add(implied)) {
          impliedIds.add(implied);
          todo.add(implied);
        }
      }
    }
    Map<String, Role> out = new LinkedHashMap<>();
    grantedIds.stream()
        .map(identity::role)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Role::name))
        .forEach(r -> out.put(r.id(), r));
    impliedIds.forEach(id -> identity.role(id).ifPresent(r -> out.put(r.id(), r)));
    // A domain-specific role is never in a token itself, only the roles it implies (Keystone).
    out.values().removeIf(r -> r.domainId() != null);
    return List.copyOf(out.values());
  }
}
