package dev.glint.identity;

import java.util.List;
import java.util.Optional;

/**
 * Storage of Keystone's account model beyond {@link IdentityRepository}: domain writes, groups and
 * their members, and every role assignment that is not a user's direct one on a project (those
 * stay in {@link IdentityRepository#grant}). Implemented by {@code store}; each call is its own
 * transaction unless made inside {@link IdentityRepository#inTransaction}, which it joins.
 */
public interface AccountRepository {

  void createDomain(Domain domain);

  /** Updates name, description and enabled; false when the domain does not exist. */
  boolean updateDomain(Domain domain);

  /**
   * Deletes the domain with everything in it: its projects, users, groups and roles, and every
   * assignment, grant, membership and application credential that named them; false when it did
   * not exist.
   */
  boolean deleteDomain(String id);

  Optional<Group> group(String id);

  Optional<Group> groupByName(String domainId, String name);

  /** All groups, ordered by name. */
  List<Group> groups();

  void createGroup(Group group);

  /** Updates name and description; false when the group does not exist. */
  boolean updateGroup(Group group);

  /** Deletes the group, its memberships and assignments; false when it did not exist. */
  boolean deleteGroup(String id);

  /** Adds a user to a group; idempotent. */
  void addMember(String groupId, String userId);

  /** False when the user was not a member. */
  boolean removeMember(String groupId, String userId);

  boolean isMember(String groupId, String userId);

  /** The group's users, ordered by name. */
  List<User> members(String groupId);

  /** The groups the user belongs to, ordered by name. */
  List<Group> groupsOf(String userId);

  /** Records an assignment (not a user's direct one on a project); idempotent. */
  void assign(RoleAssignment assignment);

  /** False when there was no such assignment. */
  boolean unassign(RoleAssignment assignment);

  boolean hasAssignment(RoleAssignment assignment);

  /** Every assignment held here (user-project direct grants are not). */
  List<RoleAssignment> assignments();

  /** False when the prior role did not imply the other. */
  boolean deleteImplication(String priorRoleId, String impliedRoleId);

  /** Forgets the user's memberships and assignments (before the user is deleted). */
  void forgetUser(String userId);

  /** Forgets every assignment of the role (before it is deleted). */
  void forgetRole(String roleId);

  /** Forgets every assignment on the project (before it is deleted). */
  void forgetProject(String projectId);
}
