package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  private final PasswordCompliance passwords;

  /**
   * @param revocations where changes that must end existing tokens (disabling, deleting, password
   *     changes, removed grants) are recorded, so the store-free validation of every node sees them
   * @param tokenLifetime the longest a token lives, which bounds how long such an event matters
   */
  IdentityAdminService(
      IdentityRepository repository, RevocationList revocations, Duration tokenLifetime) {
    this(
        repository, revocations, tokenLifetime,
        new Authorization(new dev.glint.policy.Enforcer(dev.glint.policy.Policy.defaults())));
  }

  /** @param authorization the policy's {@code identity:*} rules */
  IdentityAdminService(
      IdentityRepository repository,
      RevocationList revocations,
      Duration tokenLifetime,
      Authorization authorization) {
    this(repository, revocations, tokenLifetime, authorization, PasswordCompliance.off());
  }

  /** @param passwords the {@code [security_compliance]} rules an admin-set password meets */
  IdentityAdminService(
      IdentityRepository repository,
      RevocationList revocations,
      Duration tokenLifetime,
      Authorization authorization,
      PasswordCompliance passwords) {
    this.passwords = passwords;
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

  // ---------------------------------------------------------------- domains

  public List<Domain> domains(Caller caller, Map<String, String> filters) {
    admin(caller, "list_domains");
    return repository.domains().stream()
        .filter(eq(filters.get("name"), Domain::name))
        .filter(flag(filters.get("enabled"), Domain::enabled))
        .toList();
  }

  public Domain domain(Caller caller, String id) {
    require(caller, "get_domain", Map.of("target.domain.id", id));
    return repository.domain(id).orElseThrow(() -> notFound("domain", id));
  }

  // ---------------------------------------------------------------- projects

  public List<Project> projects(Caller caller, Map<String, String> filters) {
    admin(caller, "list_projects");
    if ("true".equalsIgnoreCase(filters.get("is_domain"))) {
      return List.of();
    }
    return repository.projects().stream()
        .filter(eq(filters.get("name"), Project::name))
        .filter(eq(filters.get("domain_id"), Project::domainId))
        .filter(eq(filters.get("parent_id"), Project::domainId))
        .filter(flag(filters.get("enabled"), Project::enabled))
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
    if (repository.domain(domainId).isEmpty()) {
      throw ApiException.badRequest("Could not find domain: " + domainId + ".");
    }
    if (parent != null && !parent.equals(domainId)) {
      // Glint keeps projects flat under their domain.
      throw ApiException.badRequest("Could not find project: " + parent + ".");
    }
    Project project =
        new Project(
            idOf(body),
            name,
            domainId,
            AdminFields.nullableString(body, "description", ""),
            AdminFields.bool(body, "enabled", true));
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
    Project updated =
        new Project(
            id,
            name,
            old.domainId(),
            AdminFields.nullableString(body, "description", old.description()),
            AdminFields.bool(body, "enabled", old.enabled()));
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
      throw ApiException.badRequest("Could not find domain: " + domainId + ".");
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
    return repository.projectsOf(id);
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
    return repository.roles().stream().filter(eq(filters.get("name"), Role::name)).toList();
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
            AdminFields.nullableString(body, "description", null));
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
            AdminFields.nullableString(body, "description", old.description()));
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

  // ---------------------------------------------------------------- role assignments

  /**
   * One assignment as listed. {@code priorRoleId} is the granted role an implied one comes from
   * ({@code effective} listings), else null.
   */
  public record Assignment(Grant grant, String priorRoleId) {}

  /** {@code GET /v3/role_assignments}: project grants filtered, implied roles added if effective. */
  public List<Assignment> assignments(Caller caller, Map<String, String> query) {
    admin(caller, "list_role_assignments");
    if (query.containsKey("user.id") && query.containsKey("group.id")) {
      throw ApiException.badRequest("Specify a user or group, not both");
    }
    if (query.containsKey("scope.project.id") && query.containsKey("scope.domain.id")) {
      throw ApiException.badRequest("Specify a domain or project, not both");
    }
    if (query.containsKey("group.id")
        || query.containsKey("scope.domain.id")
        || query.containsKey("scope.system")) {
      // Glint has no groups, domain grants or system grants.
      return List.of();
    }
    boolean effective = query.containsKey("effective");
    Map<String, Set<String>> implies = effective ? repository.implications() : Map.of();
    String roleFilter = query.get("role.id");
    List<Assignment> out = new ArrayList<>();
    for (Grant g : repository.grants()) {
      if (!matches(query.get("user.id"), g.userId())
          || !matches(query.get("scope.project.id"), g.projectId())) {
        continue;
      }
      Map<String, String> roles = new LinkedHashMap<>();
      roles.put(g.roleId(), null);
      if (effective) {
        List<String> todo = new ArrayList<>(List.of(g.roleId()));
        while (!todo.isEmpty()) {
          String prior = todo.remove(0);
          for (String implied : implies.getOrDefault(prior, Set.of())) {
            if (!roles.containsKey(implied)) {
              roles.put(implied, g.roleId());
              todo.add(implied);
            }
          }
        }
      }
      roles.forEach(
          (roleId, prior) -> {
            if (matches(roleFilter, roleId)) {
              out.add(new Assignment(new Grant(g.projectId(), g.userId(), roleId), prior));
            }
          });
    }
    return out;
  }

  /** Names for {@code include_names}; unknown ids map to nothing. */
  public Names names() {
    return new Names(repository);
  }

  /** Looks names up once per id while rendering one listing. */
  public static final class Names {
    private final IdentityRepository repository;
    private final Map<String, Optional<Role>> roles = new LinkedHashMap<>();
    private final Map<String, Optional<User>> users = new LinkedHashMap<>();
    private final Map<String, Optional<Project>> projects = new LinkedHashMap<>();
    private final Map<String, Optional<Domain>> domains = new LinkedHashMap<>();

    Names(IdentityRepository repository) {
      this.repository = repository;
    }

    public Optional<Role> role(String id) {
      return roles.computeIfAbsent(id, repository::role);
    }

    public Optional<User> user(String id) {
      return users.computeIfAbsent(id, repository::user);
    }

    public Optional<Project> project(String id) {
      return projects.computeIfAbsent(id, repository::project);
    }

    public Optional<Domain> domain(String id) {
      return domains.computeIfAbsent(id, repository::domain);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static boolean matches(String filter, String value) {
    return filter == null || filter.equals(value);
  }

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
