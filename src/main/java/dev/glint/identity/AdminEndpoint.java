package dev.glint.identity;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin API: {@code /v3/domains}, {@code /v3/projects}, {@code /v3/users}, {@code /v3/roles}, grants. */
final class AdminEndpoint {
  private final IdentityService identity;
  private final IdentityAdminService admin;
  private final String base;

  AdminEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.admin = identity.admin();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/projects", this::listProjects);
    routes.post("/v3/projects", this::createProject);
    routes.get("/v3/projects/{id}", this::showProject);
    routes.patch("/v3/projects/{id}", this::updateProject);
    routes.delete("/v3/projects/{id}", this::deleteProject);
    routes.get("/v3/users", this::listUsers);
    routes.post("/v3/users", this::createUser);
    routes.get("/v3/users/{id}", this::showUser);
    routes.patch("/v3/users/{id}", this::updateUser);
    routes.delete("/v3/users/{id}", this::deleteUser);
    routes.get("/v3/users/{id}/projects", this::userProjects);
    routes.post("/v3/users/{id}/password", this::changePassword);
    routes.get("/v3/roles", this::listRoles);
    routes.post("/v3/roles", this::createRole);
    routes.get("/v3/roles/{id}", this::showRole);
    routes.patch("/v3/roles/{id}", this::updateRole);
    routes.delete("/v3/roles/{id}", this::deleteRole);
    String grant = "/v3/projects/{p}/users/{u}/roles/{r}";
    routes.put(grant, this::grant);
    routes.head(grant, this::checkGrant);
    routes.get(grant, this::checkGrant);
    routes.delete(grant, this::revokeGrant);
    routes.get("/v3/projects/{p}/users/{u}/roles", this::listGrants);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private static Map<String, String> query(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  private String self(Context ctx, String path) {
    String q = ctx.queryString();
    return base + path + (q == null || q.isEmpty() ? "" : "?" + q);
  }

  private void listProjects(Context ctx) {
    if (AccountService.isTrue(ctx.queryParam("is_domain"))) {
      // Projects acting as domains are the domains.
      List<Domain> domains = identity.accounts().domains(caller(ctx), query(ctx));
      Responses.json(ctx, 200, AdminViews.collection("projects", domains, AccountViews::domainAsProject, base, self(ctx, "/v3/projects")));
      return;
    }
    List<Project> projects = admin.projects(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("projects", projects, AdminViews::project, base, self(ctx, "/v3/projects")));
  }

  private void createProject(Context ctx) {
    com.fasterxml.jackson.databind.JsonNode body =
        AdminFields.member(KeystoneBodies.object(ctx), "project");
    if (Boolean.TRUE.equals(AdminFields.bool(body, "is_domain", false))) {
      Domain domain = identity.accounts().createDomainProject(caller(ctx), body);
      Responses.json(ctx, 201, AdminViews.member("project", domain, AccountViews::domainAsProject, base));
      return;
    }
    Project project = admin.createProject(caller(ctx), body);
    Responses.json(ctx, 201, AdminViews.member("project", project, AdminViews::project, base));
  }

  private void showProject(Context ctx) {
    if (identity.accounts().domainProject(ctx.pathParam("id")).isPresent()) {
      Domain domain = identity.accounts().showDomainProject(caller(ctx), ctx.pathParam("id"));
      Responses.json(ctx, 200, AdminViews.member("project", domain, AccountViews::domainAsProject, base));
      return;
    }
    Project project = admin.project(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AccountViews.projectWithFamily(project, identity.accounts(), query(ctx), base));
  }

  private void updateProject(Context ctx) {
    if (identity.accounts().domainProject(ctx.pathParam("id")).isPresent()) {
      Domain domain =
          identity.accounts().updateDomainProject(
              caller(ctx), ctx.pathParam("id"), AdminFields.member(KeystoneBodies.object(ctx), "project"));
      Responses.json(ctx, 200, AdminViews.member("project", domain, AccountViews::domainAsProject, base));
      return;
    }
    Project project =
        admin.updateProject(
            caller(ctx), ctx.pathParam("id"), AdminFields.member(KeystoneBodies.object(ctx), "project"));
    Responses.json(ctx, 200, AdminViews.member("project", project, AdminViews::project, base));
  }

  private void deleteProject(Context ctx) {
    if (identity.accounts().domainProject(ctx.pathParam("id")).isPresent()) {
      identity.accounts().deleteDomainProject(caller(ctx), ctx.pathParam("id"));
      Responses.noContent(ctx, null);
      return;
    }
    admin.deleteProject(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void listUsers(Context ctx) {
    List<User> users = admin.users(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("users", users, AdminViews::user, base, self(ctx, "/v3/users")));
  }

  private void createUser(Context ctx) {
    User user = admin.createUser(caller(ctx), AdminFields.member(KeystoneBodies.object(ctx), "user"));
    Responses.json(ctx, 201, AdminViews.member("user", user, AdminViews::user, base));
  }

  private void showUser(Context ctx) {
    User user = admin.user(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("user", user, AdminViews::user, base));
  }

  private void updateUser(Context ctx) {
    User user =
        admin.updateUser(
            caller(ctx), ctx.pathParam("id"), AdminFields.member(KeystoneBodies.object(ctx), "user"));
    Responses.json(ctx, 200, AdminViews.member("user", user, AdminViews::user, base));
  }

  private void deleteUser(Context ctx) {
    admin.deleteUser(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void changePassword(Context ctx) {
    identity.changePassword(ctx.pathParam("id"), KeystoneBodies.object(ctx), ctx.ip());
    Responses.noContent(ctx, null);
  }

  private void userProjects(Context ctx) {
    String id = ctx.pathParam("id");
    List<Project> projects = admin.userProjects(caller(ctx), id);
    Responses.json(
        ctx, 200,
        AdminViews.collection("projects", projects, AdminViews::project, base, self(ctx, "/v3/users/" + id + "/projects")));
  }

  private void listRoles(Context ctx) {
    List<Role> roles = admin.roles(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("roles", roles, AdminViews::role, base, self(ctx, "/v3/roles")));
  }

  private void createRole(Context ctx) {
    Role role = admin.createRole(caller(ctx), AdminFields.member(KeystoneBodies.object(ctx), "role"));
    Responses.json(ctx, 201, AdminViews.member("role", role, AdminViews::role, base));
  }

  private void showRole(Context ctx) {
    Role role = admin.role(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("role", role, AdminViews::role, base));
  }

  private void updateRole(Context ctx) {
    Role role =
        admin.updateRole(
            caller(ctx), ctx.pathParam("id"), AdminFields.member(KeystoneBodies.object(ctx), "role"));
    Responses.json(ctx, 200, AdminViews.member("role", role, AdminViews::role, base));
  }

  private void deleteRole(Context ctx) {
    admin.deleteRole(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void grant(Context ctx) {
    admin.grant(caller(ctx), ctx.pathParam("p"), ctx.pathParam("u"), ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void checkGrant(Context ctx) {
    admin.checkGrant(caller(ctx), ctx.pathParam("p"), ctx.pathParam("u"), ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void revokeGrant(Context ctx) {
    admin.revokeGrant(caller(ctx), ctx.pathParam("p"), ctx.pathParam("u"), ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void listGrants(Context ctx) {
    String p = ctx.pathParam("p");
    String u = ctx.pathParam("u");
    List<Role> roles = admin.grants(caller(ctx), p, u);
    Responses.json(
        ctx, 200,
        AdminViews.collection("roles", roles, AdminViews::role, base, self(ctx, "/v3/projects/" + p + "/users/" + u + "/roles")));
  }
}
