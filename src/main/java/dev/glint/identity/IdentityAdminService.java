package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Keystone admin API subset the {@code openstack} CLI and tempest set-up use: domains (read),
 * projects, users, roles, project grants and role assignments. Policy as Zed's legacy defaults:
 * the {@code admin} role for everything, except that a user may read themself and their projects,
 * and a project-scoped token may read its project and its domain. Thread-safe.
 */
public final class IdentityAdminService {
  /** User attributes with a column of their own; any other key goes to {@code extra}. */
  private static final Set<String> USER_COLUMNS =
      Set.of("id", "name", "domain_id", "enabled", "default_project_id", "password", "links",
          "password_expires_at", "options");

  private final IdentityRepository repository;
  private final RevocationList revocations;
  private final Duration tokenLifetime;
  private final Authorization authorization;
  private final AccountService accounts;
  private final PasswordCompliance passwords;

  /**
   * @param revocations where changes that must end existing tokens (disabling, deleting, password
   *     changes, removed grants) are recorded, so the store-free validation of every node sees them
   * @param tokenLifetime the longest a token lives, which bounds how long such an event matters
   */
  IdentityAdminService(
      IdentityRepository repository,
      AccountRepository accounts,
      RevocationList revocations,
      Duration tokenLifetime) {
    this(
        repository, accounts, revocations, tokenLifetime,
        new Authorization(new dev.glint.policy.Enforcer(dev.glint.policy.Policy.defaults())));
  }

  /**
   * @param accounts domains, groups and assignments, which projects, users and roles consult
   * @param authorization the policy's {@code identity:*} rules
   */
  IdentityAdminService(
      IdentityRepository repository,
      AccountRepository accounts,
      RevocationList revocations,
      Duration tokenLifetime,
      Authorization authorization) {
    this(repository, accounts, revocations, tokenLifetime, authorization, PasswordCompliance.off());
  }

  /**
   * @param accounts domains, groups and assignments, which projects, users and roles consult
   * @param passwords the {@code [security_compliance]} rules an admin-set password meets
   */
  IdentityAdminService(
      IdentityRepository repository,
      AccountRepository accounts,
      RevocationList revocations,
      Duration tokenLifetime,
      Authorization authorization,
      PasswordCompliance passwords) {
    this.passwords = passwords;
    this.accounts =
        new AccountService(
            repository, accounts, new EffectiveRoles(repository, accounts), revocations,
            tokenLifetime, authorization);
    this.authorization = authorization;
    this.repository = repository;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
  }

  /** The policy's {@code identity:<action>} rule, for {@code target} (Keystone's target keys). */
  private void require(Caller caller, String action, Map<String, String> target) {
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  private void admin(Caller caller, String action) {
    require(caller, action, Map.of());
  }

  /** Domains, groups, assignments, hierarchy and tags, over the same store. */
  AccountService accounts() {
    return accounts;
  }

  // ---------------------------------------------------------------- projects

  public List<Project> projects(Caller caller, Map<String, String> filters) {
    admin(caller, "list_projects");
    return repository.projects().stream()
        .filter(eq(filters.get("name"), Project::name))
        .filter(eq(filters.get("domain_id"), Project::domainId))
        .filter(eq(filters.get("parent_id"), Project::parentOrDomain))
        .filter(flag(filters.get("enabled"), Project::enabled))
        .filter(ProjectTree.tagFilter(filters))
        .toList();
  }

  public Project project(Caller caller, String id) {
    require(caller, "get_project", Map.of("target.project.id", id));
    return repository.project(id).orElseThrow(() -> notFound("project", id));
  }

  public Project createProject(Caller caller, JsonNode body) {
    admin(caller, "create_project");
    String name = AdminFields.requiredName(body, 64);
    String domainId =
        AdminFields.string(
            body,
            "domain_id",
            caller.projectDomainId() != null ? caller.projectDomainId() : IdentityService.DEFAULT_DOMAIN_ID);
    String parent = AdminFields.nullableString(body, "parent_id", null);
    if (parent != null && !body.has("domain_id")) {
      // Keystone places a project given only its parent in the parent's domain.
      domainId = repository.project(parent).map(Project::domainId).orElse(domainId);
    }
    if (repository.domain(domainId).isEmpty()) {
      throw ApiException.badRequest("Could not find domain: " + domainId + ".");
    }
    Project project =
        new Project(
            idOf(body),
            name,
            domainId,
            AdminFields.nullableString(body, "description", ""),
            AdminFields.bool(body, "enabled", true),
            accounts.tree().checkedParent(parent, domainId),
            ProjectTree.tags(body, List.of()));
    if (repository.projectByName(domainId, name).isPresent()
        || repository.project(project.id()).isPresent()) {
      throw projectConflict(project);
    }
    repository.createProject(project);
    return project;
  }

  public Project updateProject(Caller caller, String id, JsonNode body) {
    admin(caller, "update_project");
    return repository.inTransaction(() -> updateProjectTx(id, body));
  }

  /** One unit of work: a disabled project commits with its revocation event. */
  private Project updateProjectTx(String id, JsonNode body) {
    Project old = repository.project(id).orElseThrow(() -> notFound("project", id));
    String name = Optional.ofNullable(AdminFields.name(body, 64)).orElse(old.name());
    String parent = AdminFields.nullableString(body, "parent_id", old.parentOrDomain());
    if (!old.parentOrDomain().equals(parent)) {
      throw ApiException.forbidden("Update of `parent_id` is not allowed.");
    }
    Project updated =
        new Project(
            id,
            name,
            old.domainId(),
            AdminFields.nullableString(body, "description", old.description()),
            AdminFields.bool(body, "enabled", old.enabled()),
            old.parentId(),
            ProjectTree.tags(body, old.tags()));
    if (old.enabled() && !updated.enabled()) {
      accounts.tree().checkDisable(id);
    }
    Optional<Project> clash = repository.projectByName(old.domainId(), name);
    if (clash.isPresent() && !clash.get().id().equals(id)) {
      throw projectConflict(updated);
    }
    repository.updateProject(updated);
    if (old.enabled() && !updated.enabled()) {
      revocations.revokeProject(id, tokenLifetime);
    }
    return updated;
  }

  public void deleteProject(Caller caller, String id) {
    admin(caller, "delete_project");
    repository.inTransaction(
        () -> {
          repository.project(id).orElseThrow(() -> notFound("project", id));
          accounts.tree().checkLeaf(id);
          accounts.forgetProject(id);
          if (!repository.deleteProject(id)) {
            throw notFound("project", id);
          }
          revocations.revokeProject(id, tokenLifetime);
          return null;
        });
  }

  private static ApiException projectConflict(Project p) {
    return ApiException.conflict(
        "Conflict occurred attempting to store project - it is not permitted to have two projects"
            + " with either the same name or same id in the same domain: name is "
            + p.name()
            + ", project id "
            + p.id()
            + ".");
  }

  // ---------------------------------------------------------------- users

  public List<User> users(Caller caller, Map<String, String> filters) {
    admin(caller, "list_users");
    return repository.users().stream()
        .filter(eq(filters.get("name"), User::name))
        .filter(eq(filters.get("domain_id"), User::domainId))
        .filter(flag(filters.get("enabled"), User::enabled))
        .toList();
  }

  public User user(Caller caller, String id) {
    require(caller, "get_user", Map.of("target.user.id", id));
    return repository.user(id).orElseThrow(() -> notFound("user", id));
  }

  public User createUser(Caller caller, JsonNode body) {
    admin(caller, "create_user");
    String name = AdminFields.requiredName(body, 255);
    String domainId =
        AdminFields.string(
            body,
            "domain_id",
            caller.projectDomainId() != null ? caller.projectDomainId() : IdentityService.DEFAULT_DOMAIN_ID);
    if (repository.domain(domainId).isEmpty()) {
      throw notFound("domain", domainId);
    }
    String password = AdminFields.nullableString(body, "password", null);
    User user =
        new User(
            idOf(body),
            name,
            domainId,
            AdminFields.bool(body, "enabled", true),
            AdminFields.nullableString(body, "default_project_id", null),
            extras(body, Json.MAPPER.createObjectNode()));
    if (repository.userByName(domainId, name).isPresent()) {
      throw userConflict(user);
    }
    if (password != null) {
      passwords.checkRequirements(password);
    }
    String hash = password == null ? null : Passwords.hash(password);
    repository.inTransaction(
        () -> {
          repository.createUser(user, hash);
          if (hash != null) {
            passwords.record(user.id(), hash, true);
          }
          return null;
        });
    return user;
  }

  public User updateUser(Caller caller, String id, JsonNode body) {
    admin(caller, "update_user");
    String password = AdminFields.nullableString(body, "password", null);
    if (password != null) {
      passwords.checkRequirements(password);
    }
    // Hashed before the transaction: bcrypt takes a while and SQLite has one writer.
    String hash = password == null ? null : Passwords.hash(password);
    return repository.inTransaction(() -> updateUserTx(id, body, hash));
  }

  /**
   * One unit of work: a disabled user or a new password commits with the revocation event that
   * ends the user's tokens, or neither does.
   */
  private User updateUserTx(String id, JsonNode body, String passwordHash) {
    User old = repository.user(id).orElseThrow(() -> notFound("user", id));
    String name = Optional.ofNullable(AdminFields.name(body, 255)).orElse(old.name());
    User updated =
        new User(
            id,
            name,
            old.domainId(),
            AdminFields.bool(body, "enabled", old.enabled()),
            AdminFields.nullableString(body, "default_project_id", old.defaultProjectId()),
            extras(body, (ObjectNode) parse(old.extra())));
    Optional<User> clash = repository.userByName(old.domainId(), name);
    if (clash.isPresent() && !clash.get().id().equals(id)) {
      throw userConflict(updated);
    }
    repository.updateUser(updated);
    if (passwordHash != null) {
      repository.setPasswordHash(id, passwordHash);
      passwords.record(id, passwordHash, true);
    }
    if (passwordHash != null || (old.enabled() && !updated.enabled())) {
      revocations.revokeUser(id, null, tokenLifetime);
    }
    return updated;
  }

  public void deleteUser(Caller caller, String id) {
    admin(caller, "delete_user");
    repository.inTransaction(
        () -> {
          accounts.forgetUser(id);
          if (!repository.deleteUser(id)) {
            throw notFound("user", id);
          }
          passwords.forget(id);
          revocations.revokeUser(id, null, tokenLifetime);
          return null;
        });
  }

  /** {@code GET /v3/users/{id}/projects}: the admin, or the user themself. */
  public List<Project> userProjects(Caller caller, String id) {
    require(caller, "list_user_projects", Map.of("target.user.id", id));
    repository.user(id).orElseThrow(() -> notFound("user", id));
    return accounts.projectsOf(id);
  }

  private static String extras(JsonNode body, ObjectNode into) {
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!USER_COLUMNS.contains(e.getKey())) {
        into.set(e.getKey(), e.getValue());
      }
    }
    return into.toString();
  }

  static JsonNode parse(String json) {
    try {
      JsonNode node = Json.MAPPER.readTree(json == null ? "{}" : json);
      return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private static ApiException userConflict(User u) {
    return ApiException.conflict(
        "Conflict occurred attempting to store user - Duplicate entry found with name "
            + u.name()
            + " at domain ID "
            + u.domainId()
            + ".");
  }

  // ---------------------------------------------------------------- roles

  public List<Role> roles(Caller caller, Map<String, String> filters) {
    admin(caller, "list_roles");
    // Without a domain_id filter Keystone lists the global roles only.
    String domainId = filters.get("domain_id");
    return repository.roles().stream()
        .filter(eq(filters.get("name"), Role::name))
        .filter(r -> java.util.Objects.equals(domainId, r.domainId()))
        .toList();
  }

  public Role role(Caller caller, String id) {
    admin(caller, "get_role");
    return repository.role(id).orElseThrow(() -> notFound("role", id));
  }

  public Role createRole(Caller caller, JsonNode body) {
    admin(caller, "create_role");
    Role role =
        new Role(
            idOf(body),
            AdminFields.requiredName(body, 255),
            AdminFields.nullableString(body, "description", null),
            AdminFields.nullableString(body, "domain_id", null));
    if (role.domainId() != null && repository.domain(role.domainId()).isEmpty()) {
      throw notFound("domain", role.domainId());
    }
    if (repository.roleByName(role.name()).isPresent()) {
      throw roleConflict(role);
    }
    repository.createRole(role);
    return role;
  }

  public Role updateRole(Caller caller, String id, JsonNode body) {
    admin(caller, "update_role");
    Role old = repository.role(id).orElseThrow(() -> notFound("role", id));
    Role updated =
        new Role(
            id,
            Optional.ofNullable(AdminFields.name(body, 255)).orElse(old.name()),
            AdminFields.nullableString(body, "description", old.description()),
            old.domainId());
    Optional<Role> clash = repository.roleByName(updated.name());
    if (clash.isPresent() && !clash.get().id().equals(id)) {
      throw roleConflict(updated);
    }
    repository.updateRole(updated);
    return updated;
  }

  public void deleteRole(Caller caller, String id) {
    admin(caller, "delete_role");
    repository.inTransaction(
        () -> {
          List<Grant> holders =
              repository.grants().stream().filter(g -> g.roleId().equals(id)).toList();
          accounts.forgetRole(id);
          if (!repository.deleteRole(id)) {
            throw notFound("role", id);
          }
          // Tokens carry role names: those issued on a grant of this role must not outlive it.
          holders.forEach(g -> revocations.revokeUser(g.userId(), g.projectId(), tokenLifetime));
          return null;
        });
  }

  private static ApiException roleConflict(Role r) {
    return ApiException.conflict(
        "Conflict occurred attempting to store role - Duplicate entry found with name "
            + r.name()
            + ".");
  }

  // ---------------------------------------------------------------- grants

  public void grant(Caller caller, String projectId, String userId, String roleId) {
    admin(caller, "create_grant");
    known(projectId, userId, roleId);
    repository.grant(projectId, userId, roleId);
  }

  public void checkGrant(Caller caller, String projectId, String userId, String roleId) {
    admin(caller, "check_grant");
    known(projectId, userId, roleId);
    if (!repository.hasGrant(projectId, userId, roleId)) {
      throw noAssignment(projectId, userId, roleId);
    }
  }

  public void revokeGrant(Caller caller, String projectId, String userId, String roleId) {
    admin(caller, "revoke_grant");
    known(projectId, userId, roleId);
    repository.inTransaction(
        () -> {
          if (!repository.revokeGrant(projectId, userId, roleId)) {
            throw noAssignment(projectId, userId, roleId);
          }
          // Tokens carry role names: the user's tokens on the project must not keep this one.
          revocations.revokeUser(userId, projectId, tokenLifetime);
          return null;
        });
  }

  public List<Role> grants(Caller caller, String projectId, String userId) {
    admin(caller, "list_grants");
    repository.project(projectId).orElseThrow(() -> notFound("project", projectId));
    repository.user(userId).orElseThrow(() -> notFound("user", userId));
    return repository.grantedRoles(userId, projectId);
  }

  private void known(String projectId, String userId, String roleId) {
    repository.role(roleId).orElseThrow(() -> notFound("role", roleId));
    repository.user(userId).orElseThrow(() -> notFound("user", userId));
    repository.project(projectId).orElseThrow(() -> notFound("project", projectId));
  }

  private static ApiException noAssignment(String projectId, String userId, String roleId) {
    return ApiException.notFound(
        "Could not find role assignment with role: "
            + roleId
            + ", user or group: "
            + userId
            + ", project, domain, or system: "
            + projectId
            + ".");
  }

  // ---------------------------------------------------------------- helpers

  private static <T> Predicate<T> eq(String filter, java.util.function.Function<T, String> field) {
    return t -> filter == null || filter.equals(field.apply(t));
  }

  /** Keystone's boolean query values: anything but false-like words is true. */
  private static <T> Predicate<T> flag(String filter, Predicate<T> field) {
    if (filter == null) {
      return t -> true;
    }
    boolean wanted =
        !Set.of("0", "false", "f", "no", "n", "off").contains(filter.trim().toLowerCase(java.util.Locale.ROOT));
    return t -> field.test(t) == wanted;
  }

  /** A client-given id (Keystone accepts one for users and projects), else a new uuid4 hex. */
  private static String idOf(JsonNode body) {
    String id = AdminFields.string(body, "id", null);
    return id == null || id.isBlank() ? IdentityService.newId() : id;
  }

  private static ApiException notFound(String type, String id) {
    return ApiException.notFound("Could not find " + type + ": " + id + ".");
  }
}
