package dev.glint.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Storage of domains, projects, users, roles, grants and revoked tokens, implemented by {@code
 * store}. Methods are thread-safe; each call is its own transaction, except inside {@link
 * #inTransaction}, where every call joins the one unit of work. Name lookups are exact
 * (case-sensitive). {@code ensure…} methods insert unless a row with the same unique key exists,
 * so concurrent bootstraps on several nodes converge.
 */
public interface IdentityRepository {

  /**
   * Runs {@code work} as one write transaction: the calls it makes join it, and a state change
   * commits together with the revocation event it causes, or neither does. {@code work} may run
   * again when the store aborts it for a concurrent transaction (no effects outside the store).
   */
  <R> R inTransaction(java.util.function.Supplier<R> work);

  Optional<Domain> domain(String id);

  Optional<Domain> domainByName(String name);

  List<Domain> domains();

  /** Inserts the domain unless one with its id or name exists. */
  void ensureDomain(Domain domain);

  Optional<Project> project(String id);

  Optional<Project> projectByName(String domainId, String name);

  /** All projects, ordered by name. */
  List<Project> projects();

  /** Inserts the project unless one with its id, or its name in its domain, exists. */
  void ensureProject(Project project);

  Optional<User> user(String id);

  Optional<User> userByName(String domainId, String name);

  /** Inserts the user with a password hash unless one with its id, or name in its domain, exists. */
  void ensureUser(User user, String passwordHash);

  /** The stored bcrypt hash, empty when the user has none (or does not exist). */
  Optional<String> passwordHash(String userId);

  void setPasswordHash(String userId, String passwordHash);

  void setDefaultProject(String userId, String projectId);

  Optional<Role> role(String id);

  Optional<Role> roleByName(String name);

  /** All roles, ordered by name. */
  List<Role> roles();

  /** Inserts the role unless one with its id or name exists. */
  void ensureRole(Role role);

  /** Records that holding {@code priorRoleId} implies {@code impliedRoleId}; idempotent. */
  void ensureImplication(String priorRoleId, String impliedRoleId);

  /** Every implication, prior role id to the role ids it implies directly. */
  Map<String, Set<String>> implications();

  /** Grants a role to a user on a project; idempotent. */
  void grant(String projectId, String userId, String roleId);

  /** The roles granted directly (not implied) to the user on the project, ordered by name. */
  List<Role> grantedRoles(String userId, String projectId);

  /** Projects on which the user holds at least one role, ordered by name. */
  List<Project> projectsOf(String userId);

  // ---- admin API (each call one transaction; creates fail with a conflict on duplicates) ----

  void createProject(Project project);

  /** Updates name, description and enabled; false when the project does not exist. */
  boolean updateProject(Project project);

  /** Deletes the project and the grants on it; false when it did not exist. */
  boolean deleteProject(String id);

  /** All users, ordered by name. */
  List<User> users();

  void createUser(User user, String passwordHash);

  /** Updates everything but the id and password; false when the user does not exist. */
  boolean updateUser(User user);

  /** Deletes the user and its grants; false when it did not exist. */
  boolean deleteUser(String id);

  void createRole(Role role);

  /** Updates name and description; false when the role does not exist. */
  boolean updateRole(Role role);

  /** Deletes the role, its grants and implications; false when it did not exist. */
  boolean deleteRole(String id);

  boolean hasGrant(String projectId, String userId, String roleId);

  /** Removes a grant; false when there was none. */
  boolean revokeGrant(String projectId, String userId, String roleId);

  /** Every grant, ordered by project, user and role id. */
  List<Grant> grants();

  /** Records a revocation event at {@code revokedAt}. */
  void addRevocation(RevocationEvent event, Instant revokedAt);

  /**
   * Revocation events recorded at or after {@code since} that can still match a valid token (they
   * expire after {@code now}).
   */
  List<RevocationEvent> revocationsSince(Instant since, Instant now);

  /** Deletes revocation events that expired before {@code now}. */
  void purgeRevocations(Instant now);
}
