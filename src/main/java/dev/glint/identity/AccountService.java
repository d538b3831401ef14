package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keystone's account model beyond users on projects: domains (create, update, delete), groups and
 * their members, role assignments of every kind (to users or groups, on projects, domains or the
 * system, inherited or not), implied roles and the role assignment listing. Policy: the {@code
 * identity:*} rules of {@code PolicyDefaults}. Thread-safe.
 */
public final class AccountService {
  private final IdentityRepository identity;
  private final AccountRepository accounts;
  private final EffectiveRoles effective;
  private final RevocationList revocations;
  private final Duration tokenLifetime;
  private final Authorization authorization;
  private final ProjectTree tree;

  AccountService(
      IdentityRepository identity,
      AccountRepository accounts,
      EffectiveRoles effective,
      RevocationList revocations,
      Duration tokenLifetime,
      Authorization authorization) {
    this.identity = identity;
    this.accounts = accounts;
    this.effective = effective;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
    this.authorization = authorization;
    this.tree = new ProjectTree(identity, effective, authorization);
  }

  /** Project hierarchy and tags. */
  ProjectTree tree() {
    return tree;
  }

  /** The roles users hold, as tokens carry them. */
  EffectiveRoles effective() {
    return effective;
  }

  private void require(Caller caller, String action, Map<String, String> target) {
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  private void admin(Caller caller, String action) {
    require(caller, action, Map.of());
  }

  // ---------------------------------------------------------------- domains

  public List<Domain> domains(Caller caller, Map<String, String> filters) {
    admin(caller, "list_domains");
    return identity.domains().stream()
        .filter(eq(filters.get("name"), Domain::name))
        .filter(flag(filters.get("enabled"), Domain::enabled))
        .toList();
  }

  public Domain domain(Caller caller, String id) {
    require(caller, "get_domain", Map.of("target.domain.id", id));
    return identity.domain(id).orElseThrow(() -> notFound("domain", id));
  }

  public Domain createDomain(Caller caller, JsonNode body) {
    admin(caller, "create_domain");
    return createDomainRow(body);
  }

  /** A domain, also when made as a project acting as a domain ({@code is_domain}). */
  Domain createDomainRow(JsonNode body) {
    Domain domain =
        new Domain(
            idOf(body),
            AdminFields.requiredName(body, 64),
            AdminFields.nullableString(body, "description", ""),
            AdminFields.bool(body, "enabled", true));
    return identity.inTransaction(
        () -> {
          if (identity.domainByName(domain.name()).isPresent()
              || identity.domain(domain.id()).isPresent()) {
            throw ApiException.conflict(
                "Conflict occurred attempting to store project - it is not permitted to have two"
                    + " projects acting as domains with the same name: " + domain.name() + ".");
          }
          accounts.createDomain(domain);
          return domain;
        });
  }

  /** {@code POST /v3/projects} with {@code is_domain}: a new domain, shown as a project. */
  public Domain createDomainProject(Caller caller, JsonNode body) {
    admin(caller, "create_project");
    JsonNode parent = body.get("parent_id");
    if (parent != null && !parent.isNull()) {
      throw ApiException.badRequest("only root projects are allowed to act as domains.");
    }
    return createDomainRow(body);
  }

  /** A domain addressed as a project ({@code /v3/projects/{domain_id}}), if the id names one. */
  Optional<Domain> domainProject(String id) {
    return identity.project(id).isPresent() ? Optional.empty() : identity.domain(id);
  }

  public Domain showDomainProject(Caller caller, String id) {
    require(caller, "get_project", Map.of("target.project.id", id));
    return identity.domain(id).orElseThrow(() -> notFound("project", id));
  }

  public Domain updateDomainProject(Caller caller, String id, JsonNode body) {
    admin(caller, "update_project");
    return updateDomainRow(id, body);
  }

  /** Keystone's {@code _delete_project} for a project acting as a domain: disabled first (400). */
  public void deleteDomainProject(Caller caller, String id) {
    admin(caller, "delete_project");
    identity.inTransaction(
        () -> {
          Domain domain = identity.domain(id).orElseThrow(() -> notFound("project", id));
          if (domain.enabled()) {
            throw ApiException.badRequest(
                "cannot delete an enabled project acting as a domain. Please disable the project "
                    + id + " first.");
          }
          deleteDomainRow(domain);
          return null;
        });
  }

  public Domain updateDomain(Caller caller, String id, JsonNode body) {
    admin(caller, "update_domain");
    return updateDomainRow(id, body);
  }

  private Domain updateDomainRow(String id, JsonNode body) {
    return identity.inTransaction(
        () -> {
          Domain old = identity.domain(id).orElseThrow(() -> notFound("domain", id));
          String newId = AdminFields.string(body, "id", id);
          if (!newId.equals(id)) {
            throw ApiException.badRequest("Cannot change Domain ID");
          }
          Domain updated =
              new Domain(
                  id,
                  Optional.ofNullable(AdminFields.name(body, 64)).orElse(old.name()),
                  AdminFields.nullableString(body, "description", old.description()),
                  AdminFields.bool(body, "enabled", old.enabled()));
          Optional<Domain> clash = identity.domainByName(updated.name());
          if (clash.isPresent() && !clash.get().id().equals(id)) {
            throw ApiException.conflict(
                "Conflict occurred attempting to store project - it is not permitted to have two"
                    + " projects acting as domains with the same name: " + updated.name() + ".");
          }
          accounts.updateDomain(updated);
          if (old.enabled() && !updated.enabled()) {
            revokeDomain(id);
          }
          return updated;
        });
  }

  /** Keystone insists a domain is disabled before it goes; the bootstrap one stays. */
  public void deleteDomain(Caller caller, String id) {
    admin(caller, "delete_domain");
    identity.inTransaction(
        () -> {
          Domain domain = identity.domain(id).orElseThrow(() -> notFound("domain", id));
          if (domain.enabled()) {
            throw ApiException.forbidden(
                "Cannot delete a domain that is enabled, please disable it first.");
          }
          deleteDomainRow(domain);
          return null;
        });
  }

  private void deleteDomainRow(Domain domain) {
    if (domain.id().equals(IdentityService.DEFAULT_DOMAIN_ID)) {
      throw ApiException.forbidden("Cannot delete the default domain " + domain.id() + ".");
    }
    revokeDomain(domain.id());
    accounts.deleteDomain(domain.id());
  }

  /** Tokens on the domain's projects and of its users end with it. */
  private void revokeDomain(String domainId) {
    for (Project p : identity.projects()) {
      if (p.domainId().equals(domainId)) {
        revocations.revokeProject(p.id(), tokenLifetime);
      }
    }
    for (User u : identity.users()) {
      if (u.domainId().equals(domainId)) {
        revocations.revokeUser(u.id(), null, tokenLifetime);
      }
    }
  }

  // ---------------------------------------------------------------- groups

  public List<Group> groups(Caller caller, Map<String, String> filters) {
    admin(caller, "list_groups");
    return accounts.groups().stream()
        .filter(eq(filters.get("name"), Group::name))
        .filter(eq(filters.get("domain_id"), Group::domainId))
        .toList();
  }

  public Group group(Caller caller, String id) {
    admin(caller, "get_group");
    return group(id);
  }

  private Group group(String id) {
    return accounts.group(id).orElseThrow(() -> notFound("group", id));
  }

  public Group createGroup(Caller caller, JsonNode body) {
    admin(caller, "create_group");
    String domainId =
        AdminFields.string(
            body, "domain_id",
            caller.domainId() != null ? caller.domainId()
                : caller.projectDomainId() != null ? caller.projectDomainId()
                : IdentityService.DEFAULT_DOMAIN_ID);
    Group group =
        new Group(
            IdentityService.newId(),
            AdminFields.requiredName(body, 64),
            domainId,
            AdminFields.nullableString(body, "description", null));
    return identity.inTransaction(
        () -> {
          identity.domain(domainId).orElseThrow(() -> notFound("domain", domainId));
          if (accounts.groupByName(domainId, group.name()).isPresent()) {
            throw groupConflict(group);
          }
          accounts.createGroup(group);
          return group;
        });
  }

  public Group updateGroup(Caller caller, String id, JsonNode body) {
    admin(caller, "update_group");
    return identity.inTransaction(
        () -> {
          Group old = group(id);
          Group updated =
              new Group(
                  id,
                  Optional.ofNullable(AdminFields.name(body, 64)).orElse(old.name()),
                  old.domainId(),
                  AdminFields.nullableString(body, "description", old.description()));
          Optional<Group> clash = accounts.groupByName(old.domainId(), updated.name());
          if (clash.isPresent() && !clash.get().id().equals(id)) {
            throw groupConflict(updated);
          }
          accounts.updateGroup(updated);
          return updated;
        });
  }

  public void deleteGroup(Caller caller, String id) {
    admin(caller, "delete_group");
    identity.inTransaction(
        () -> {
          List<User> members = accounts.members(id);
          if (!accounts.deleteGroup(id)) {
            throw notFound("group", id);
          }
          members.forEach(u -> revocations.revokeUser(u.id(), null, tokenLifetime));
          return null;
        });
  }

  private static ApiException groupConflict(Group g) {
    return ApiException.conflict(
        "Conflict occurred attempting to store group - Duplicate entry found with name "
            + g.name() + " at domain ID " + g.domainId() + ".");
  }

  public List<User> members(Caller caller, String groupId, Map<String, String> filters) {
    admin(caller, "list_users_in_group");
    group(groupId);
    return accounts.members(groupId).stream()
        .filter(eq(filters.get("name"), User::name))
        .filter(eq(filters.get("domain_id"), User::domainId))
        .filter(flag(filters.get("enabled"), User::enabled))
        .toList();
  }

  public List<Group> groupsOf(Caller caller, String userId, Map<String, String> filters) {
    require(caller, "list_groups_for_user", Map.of("target.user.id", userId));
    identity.user(userId).orElseThrow(() -> notFound("user", userId));
    return accounts.groupsOf(userId).stream()
        .filter(eq(filters.get("name"), Group::name))
        .toList();
  }

  public void addMember(Caller caller, String groupId, String userId) {
    admin(caller, "add_user_to_group");
    identity.inTransaction(
        () -> {
          member(groupId, userId);
          accounts.addMember(groupId, userId);
          return null;
        });
  }

  public void checkMember(Caller caller, String groupId, String userId) {
    admin(caller, "check_user_in_group");
    member(groupId, userId);
    if (!accounts.isMember(groupId, userId)) {
      throw notInGroup(groupId, userId);
    }
  }

  public void removeMember(Caller caller, String groupId, String userId) {
    admin(caller, "remove_user_from_group");
    identity.inTransaction(
        () -> {
          member(groupId, userId);
          if (!accounts.removeMember(groupId, userId)) {
            throw notInGroup(groupId, userId);
          }
          // The user's tokens may carry roles the group gave.
          revocations.revokeUser(userId, null, tokenLifetime);
          return null;
        });
  }

  private void member(String groupId, String userId) {
    group(groupId);
    identity.user(userId).orElseThrow(() -> notFound("user", userId));
  }

  private static ApiException notInGroup(String groupId, String userId) {
    return ApiException.notFound(
        "Could not find user: " + userId + ". User " + userId + " is not a member of group "
            + groupId + ".");
  }

  // ---------------------------------------------------------------- assignments (grants)

  /** An assignment's identity in a grant URL; {@code roleId} null for the list routes. */
  public record GrantRef(
      RoleAssignment.Actor actor, String actorId, RoleAssignment.Target target, String targetId,
      boolean inherited) {
    RoleAssignment with(String roleId) {
      return new RoleAssignment(actor, actorId, target, targetId, roleId, inherited);
    }
  }

  public void grant(Caller caller, GrantRef ref, String roleId) {
    require(caller, action("create", ref), Map.of());
    identity.inTransaction(
        () -> {
          known(ref, roleId);
          RoleAssignment a = ref.with(roleId);
          if (a.isUserProjectGrant()) {
            identity.grant(ref.targetId(), ref.actorId(), roleId);
          } else {
            accounts.assign(a);
          }
          return null;
        });
  }

  public void checkGrant(Caller caller, GrantRef ref, String roleId) {
    require(caller, action("check", ref), Map.of());
    known(ref, roleId);
    if (!accounts.hasAssignment(ref.with(roleId))) {
      throw noAssignment(ref, roleId);
    }
  }

  public void revokeGrant(Caller caller, GrantRef ref, String roleId) {
    require(caller, action("revoke", ref), Map.of());
    identity.inTransaction(
        () -> {
          known(ref, roleId);
          if (!accounts.unassign(ref.with(roleId))) {
            throw noAssignment(ref, roleId);
          }
          // Tokens carry role names: those that may hold this one end.
          List<String> users =
              ref.actor() == RoleAssignment.Actor.USER
                  ? List.of(ref.actorId())
                  : accounts.members(ref.actorId()).stream().map(User::id).toList();
          users.forEach(u -> revocations.revokeUser(u, null, tokenLifetime));
          return null;
        });
  }

  public List<Role> grants(Caller caller, GrantRef ref) {
    require(caller, action("list", ref), Map.of());
    known(ref, null);
    List<Role> out = new ArrayList<>();
    for (RoleAssignment a : accounts.assignments()) {
      if (a.actorType() == ref.actor() && a.actorId().equals(ref.actorId())
          && a.targetType() == ref.target() && a.targetId().equals(ref.targetId())
          && a.inherited() == ref.inherited()) {
        identity.role(a.roleId()).ifPresent(out::add);
      }
    }
    out.sort(java.util.Comparator.comparing(Role::name));
    return out;
  }

  /** Keystone's rule names: {@code *_grant}, or {@code *_system_grant_for_user|group}. */
  private static String action(String verb, GrantRef ref) {
    if (ref.target() == RoleAssignment.Target.SYSTEM) {
      String who = ref.actor().name().toLowerCase(Locale.ROOT);
      return switch (verb) {
        case "list" -> "list_system_grants_for_" + who;
        default -> verb + "_system_grant_for_" + who;
      };
    }
    return verb + (verb.equals("list") ? "_grants" : "_grant");
  }

  private void known(GrantRef ref, String roleId) {
    if (roleId != null) {
      identity.role(roleId).orElseThrow(() -> notFound("role", roleId));
    }
    switch (ref.actor()) {
      case USER -> identity.user(ref.actorId()).orElseThrow(() -> notFound("user", ref.actorId()));
      case GROUP -> group(ref.actorId());
    }
    switch (ref.target()) {
      case PROJECT ->
          identity.project(ref.targetId()).orElseThrow(() -> notFound("project", ref.targetId()));
      case DOMAIN ->
          identity.domain(ref.targetId()).orElseThrow(() -> notFound("domain", ref.targetId()));
      case SYSTEM -> { }
    }
  }

  private static ApiException noAssignment(GrantRef ref, String roleId) {
    return ApiException.notFound(
        "Could not find role assignment with role: " + roleId + ", user or group: "
            + ref.actorId() + ", project, domain, or system: " + ref.targetId() + ".");
  }

  // ---------------------------------------------------------------- implied roles

  public record Inference(Role prior, List<Role> implied) {}

  public Inference implies(Caller caller, String priorId, String impliedId) {
    admin(caller, "create_implied_role");
    return identity.inTransaction(
        () -> {
          Role prior = role(priorId);
          Role implied = role(impliedId);
          // Keystone's [assignment] prohibited_implied_role default: admin.
          if (implied.name().equals("admin")) {
            throw ApiException.forbidden(impliedId + " cannot be an implied roles.");
          }
          // A global role may not imply a domain-specific one.
          if (prior.domainId() == null && implied.domainId() != null) {
            throw ApiException.forbidden(impliedId + " cannot be an implied roles.");
          }
          if (reaches(impliedId, priorId)) {
            throw ApiException.forbidden(impliedId + " cannot be an implied roles.");
          }
          identity.ensureImplication(priorId, impliedId);
          return new Inference(prior, List.of(implied));
        });
  }

  /** Whether {@code from} implies {@code to}, directly or not (a cycle would follow). */
  private boolean reaches(String from, String to) {
    Map<String, Set<String>> all = identity.implications();
    List<String> todo = new ArrayList<>(List.of(from));
    Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      String r = todo.remove(0);
      if (r.equals(to)) {
        return true;
      }
      if (seen.add(r)) {
        todo.addAll(all.getOrDefault(r, Set.of()));
      }
    }
    return false;
  }

  public Inference implication(Caller caller, String priorId, String impliedId, String action) {
    admin(caller, action);
    Role prior = role(priorId);
    Role implied = role(impliedId);
    if (!identity.implications().getOrDefault(priorId, Set.of()).contains(impliedId)) {
      throw ApiException.notFound(priorId + " does not imply " + impliedId + ".");
    }
    return new Inference(prior, List.of(implied));
  }

  public void deleteImplication(Caller caller, String priorId, String impliedId) {
    admin(caller, "delete_implied_role");
    identity.inTransaction(
        () -> {
          role(priorId);
          role(impliedId);
          if (!accounts.deleteImplication(priorId, impliedId)) {
            throw ApiException.notFound(priorId + " does not imply " + impliedId + ".");
          }
          return null;
        });
  }

  public Inference impliedBy(Caller caller, String priorId) {
    admin(caller, "list_implied_roles");
    Role prior = role(priorId);
    return new Inference(prior, impliedRoles(priorId));
  }

  public List<Inference> inferences(Caller caller) {
    admin(caller, "list_role_inference_rules");
    List<Inference> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : identity.implications().entrySet()) {
      identity.role(e.getKey()).ifPresent(p -> out.add(new Inference(p, impliedRoles(p.id()))));
    }
    return out;
  }

  private List<Role> impliedRoles(String priorId) {
    return identity.implications().getOrDefault(priorId, Set.of()).stream()
        .map(identity::role)
        .flatMap(Optional::stream)
        .sorted(java.util.Comparator.comparing(Role::name))
        .toList();
  }

  private Role role(String id) {
    return identity.role(id).orElseThrow(() -> notFound("role", id));
  }

  // ---------------------------------------------------------------- role assignments

  /**
   * One listed assignment: {@code shown} as the listing presents it, {@code source} the stored
   * assignment it comes from (differs in {@code effective} listings, where groups expand to their
   * members and inherited assignments to the projects below), {@code priorRoleId} the role an
   * implied one comes from, else null.
   */
  public record Listed(RoleAssignment shown, RoleAssignment source, String priorRoleId) {}

  /** {@code GET /v3/role_assignments}, with Keystone's filters and {@code effective}. */
  public List<Listed> assignments(Caller caller, Map<String, String> query) {
    admin(caller, "list_role_assignments");
    boolean effective = query.containsKey("effective") && isTrue(orTrue(query.get("effective")));
    if (query.containsKey("user.id") && query.containsKey("group.id")) {
      throw ApiException.badRequest("Specify a user or group, not both");
    }
    if (query.containsKey("scope.project.id") && query.containsKey("scope.domain.id")) {
      throw ApiException.badRequest("Specify a domain or project, not both");
    }
    if (query.containsKey("scope.system")
        && (query.containsKey("scope.project.id") || query.containsKey("scope.domain.id"))) {
      throw ApiException.badRequest("Specify system or domain, not both");
    }
    if (effective && query.containsKey("group.id")) {
      throw ApiException.badRequest(
          "Combining effective and group filter will always result in an empty list.");
    }
    List<RoleAssignment> stored = new ArrayList<>();
    identity.grants().forEach(g -> stored.add(RoleAssignment.of(g)));
    stored.addAll(accounts.assignments());
    List<Listed> out = new ArrayList<>();
    Map<String, Set<String>> implies = effective ? identity.implications() : Map.of();
    List<Project> projects = effective ? identity.projects() : List.of();
    for (RoleAssignment a : stored) {
      for (RoleAssignment shown : effective ? expand(a, projects) : List.of(a)) {
        out.add(new Listed(shown, a, null));
        if (effective) {
          for (String implied : closure(a.roleId(), implies)) {
            out.add(new Listed(withRole(shown, implied), a, a.roleId()));
          }
        }
      }
    }
    String inheritedTo = query.get("scope.OS-INHERIT:inherited_to");
    Set<String> domainRoles = new java.util.HashSet<>();
    if (effective) {
      // As in tokens: a domain-specific role counts only through the roles it implies.
      identity.roles().stream().filter(r -> r.domainId() != null).forEach(r -> domainRoles.add(r.id()));
    }
    return out.stream()
        .filter(l -> !domainRoles.contains(l.shown().roleId()))
        .filter(l -> matches(query, l.shown(), inheritedTo))
        .distinct()
        .toList();
  }

  private static String orTrue(String v) {
    return v == null || v.isEmpty() ? "true" : v;
  }

  private static boolean matches(Map<String, String> q, RoleAssignment a, String inheritedTo) {
    return is(q.get("user.id"), a.actorType() == RoleAssignment.Actor.USER, a.actorId())
        && is(q.get("group.id"), a.actorType() == RoleAssignment.Actor.GROUP, a.actorId())
        && (q.get("role.id") == null || q.get("role.id").equals(a.roleId()))
        && is(q.get("scope.project.id"), a.targetType() == RoleAssignment.Target.PROJECT, a.targetId())
        && is(q.get("scope.domain.id"), a.targetType() == RoleAssignment.Target.DOMAIN, a.targetId())
        && (!q.containsKey("scope.system") || a.targetType() == RoleAssignment.Target.SYSTEM)
        && (inheritedTo == null || a.inherited());
  }

  private static boolean is(String filter, boolean kind, String id) {
    return filter == null || kind && filter.equals(id);
  }

  /** A stored assignment as user-on-target ones: group members, inherited targets below. */
  private List<RoleAssignment> expand(RoleAssignment a, List<Project> projects) {
    List<String> users =
        a.actorType() == RoleAssignment.Actor.USER
            ? List.of(a.actorId())
            : accounts.members(a.actorId()).stream().map(User::id).toList();
    List<String> targets;
    RoleAssignment.Target type = a.targetType();
    if (!a.inherited()) {
      targets = List.of(a.targetId());
    } else if (type == RoleAssignment.Target.DOMAIN) {
      targets = projects.stream().filter(p -> p.domainId().equals(a.targetId())).map(Project::id).toList();
      type = RoleAssignment.Target.PROJECT;
    } else {
      targets = identity.project(a.targetId()).map(p -> tree.subtree(p).stream().map(Project::id).toList())
          .orElse(List.of());
    }
    List<RoleAssignment> out = new ArrayList<>();
    for (String u : users) {
      for (String t : targets) {
        out.add(new RoleAssignment(RoleAssignment.Actor.USER, u, type, t, a.roleId(), false));
      }
    }
    return out;
  }

  private static RoleAssignment withRole(RoleAssignment a, String roleId) {
    return new RoleAssignment(
        a.actorType(), a.actorId(), a.targetType(), a.targetId(), roleId, a.inherited());
  }

  private static List<String> closure(String roleId, Map<String, Set<String>> implies) {
    List<String> out = new ArrayList<>();
    List<String> todo = new ArrayList<>(List.of(roleId));
    while (!todo.isEmpty()) {
      for (String implied : implies.getOrDefault(todo.remove(0), Set.of())) {
        if (!implied.equals(roleId) && !out.contains(implied)) {
          out.add(implied);
          todo.add(implied);
        }
      }
    }
    return out;
  }

  /** Names for {@code include_names}, looked up once per id while rendering one listing. */
  public Names names() {
    return new Names();
  }

  public final class Names {
    private final Map<String, Optional<?>> cache = new java.util.HashMap<>();

    @SuppressWarnings("unchecked")
    private <T> Optional<T> get(String kind, String id, Function<String, Optional<T>> load) {
      return (Optional<T>) cache.computeIfAbsent(kind + ":" + id, k -> load.apply(id));
    }

    public Optional<Role> role(String id) {
      return get("role", id, identity::role);
    }

    public Optional<User> user(String id) {
      return get("user", id, identity::user);
    }

    public Optional<Group> group(String id) {
      return get("group", id, accounts::group);
    }

    public Optional<Project> project(String id) {
      return get("project", id, identity::project);
    }

    public Optional<Domain> domain(String id) {
      return get("domain", id, identity::domain);
    }
  }

  // ---------------------------------------------------------------- clean-up before deletes

  /** Memberships and assignments of a user about to be deleted (same transaction). */
  void forgetUser(String userId) {
    accounts.forgetUser(userId);
  }

  void forgetRole(String roleId) {
    accounts.forgetRole(roleId);
  }

  void forgetProject(String projectId) {
    accounts.forgetProject(projectId);
  }

  // ---------------------------------------------------------------- scopes a token may take

  /** {@code GET /v3/auth/domains}: enabled domains the caller holds a role on. */
  public List<Domain> domainsFor(Caller caller) {
    return effective.domains(caller.userId()).stream().filter(Domain::enabled).toList();
  }

  /** {@code GET /v3/auth/system}: whether the caller holds a role on the system. */
  public boolean systemFor(Caller caller) {
    return !effective.onSystem(caller.userId()).isEmpty();
  }

  // ---------------------------------------------------------------- projects of a user

  /** Projects the user holds a role on, any way (Keystone's {@code list_projects_for_user}). */
  List<Project> projectsOf(String userId) {
    return effective.projects(userId);
  }

  // ---------------------------------------------------------------- helpers

  static <T> Predicate<T> eq(String filter, Function<T, String> field) {
    return t -> filter == null || filter.equals(field.apply(t));
  }

  /** Keystone's boolean query values: anything but false-like words is true. */
  static <T> Predicate<T> flag(String filter, Predicate<T> field) {
    if (filter == null) {
      return t -> true;
    }
    boolean wanted = isTrue(filter);
    return t -> field.test(t) == wanted;
  }

  static boolean isTrue(String value) {
    return value != null
        && !Set.of("0", "false", "f", "no", "n", "off").contains(value.trim().toLowerCase(Locale.ROOT));
  }

  private static String idOf(JsonNode body) {
    String id = AdminFields.string(body, "id", null);
    return id == null || id.isBlank() ? IdentityService.newId() : id;
  }

  static ApiException notFound(String type, String id) {
    return ApiException.notFound("Could not find " + type + ": " + id + ".");
  }
}
