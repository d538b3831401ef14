package dev.glint.identity;

import static dev.glint.identity.AccountRequests.caller;
import static dev.glint.identity.AccountRequests.query;
import static dev.glint.identity.AccountRequests.self;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Role assignments beyond a user's on a project: groups on projects, users and groups on domains
 * and on the system, inherited ones (OS-INHERIT), {@code /v3/role_assignments}, and implied roles
 * ({@code /v3/roles/{id}/implies}, {@code /v3/role_inferences}).
 */
final class AssignmentsEndpoint {
  private final IdentityService identity;
  private final AccountService accounts;
  private final String base;

  AssignmentsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.accounts = identity.accounts();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    grants(routes, "/v3/projects/{t}/groups/{a}/roles", RoleAssignment.Actor.GROUP, RoleAssignment.Target.PROJECT, false);
    grants(routes, "/v3/domains/{t}/users/{a}/roles", RoleAssignment.Actor.USER, RoleAssignment.Target.DOMAIN, false);
    grants(routes, "/v3/domains/{t}/groups/{a}/roles", RoleAssignment.Actor.GROUP, RoleAssignment.Target.DOMAIN, false);
    grants(routes, "/v3/system/users/{a}/roles", RoleAssignment.Actor.USER, RoleAssignment.Target.SYSTEM, false);
    grants(routes, "/v3/system/groups/{a}/roles", RoleAssignment.Actor.GROUP, RoleAssignment.Target.SYSTEM, false);
    for (String target : List.of("domains", "projects")) {
      RoleAssignment.Target type =
          target.equals("domains") ? RoleAssignment.Target.DOMAIN : RoleAssignment.Target.PROJECT;
      inherited(routes, "/v3/OS-INHERIT/" + target + "/{t}/users/{a}/roles", RoleAssignment.Actor.USER, type);
      inherited(routes, "/v3/OS-INHERIT/" + target + "/{t}/groups/{a}/roles", RoleAssignment.Actor.GROUP, type);
    }
    routes.get("/v3/role_assignments", this::assignments);
    routes.get("/v3/role_inferences", this::inferences);
    routes.get("/v3/roles/{p}/implies", this::impliedBy);
    routes.put("/v3/roles/{p}/implies/{i}", this::implies);
    routes.get("/v3/roles/{p}/implies/{i}", this::implication);
    routes.head("/v3/roles/{p}/implies/{i}", this::checkImplication);
    routes.delete("/v3/roles/{p}/implies/{i}", this::deleteImplication);
  }

  private void grants(
      RoutesConfig routes, String path, RoleAssignment.Actor actor, RoleAssignment.Target target,
      boolean inherited) {
    String member = path + "/{r}";
    routes.get(path, ctx -> listGrants(ctx, ref(ctx, actor, target, inherited)));
    routes.put(member, ctx -> grant(ctx, ref(ctx, actor, target, inherited)));
    routes.get(member, ctx -> checkGrant(ctx, ref(ctx, actor, target, inherited)));
    routes.head(member, ctx -> checkGrant(ctx, ref(ctx, actor, target, inherited)));
    routes.delete(member, ctx -> revokeGrant(ctx, ref(ctx, actor, target, inherited)));
  }

  /** OS-INHERIT's paths end in {@code /inherited_to_projects}. */
  private void inherited(
      RoutesConfig routes, String path, RoleAssignment.Actor actor, RoleAssignment.Target target) {
    String member = path + "/{r}/inherited_to_projects";
    routes.get(path + "/inherited_to_projects", ctx -> listGrants(ctx, ref(ctx, actor, target, true)));
    routes.put(member, ctx -> grant(ctx, ref(ctx, actor, target, true)));
    routes.get(member, ctx -> checkGrant(ctx, ref(ctx, actor, target, true)));
    routes.head(member, ctx -> checkGrant(ctx, ref(ctx, actor, target, true)));
    routes.delete(member, ctx -> revokeGrant(ctx, ref(ctx, actor, target, true)));
  }

  private static AccountService.GrantRef ref(
      Context ctx, RoleAssignment.Actor actor, RoleAssignment.Target target, boolean inherited) {
    String targetId =
        target == RoleAssignment.Target.SYSTEM ? RoleAssignment.SYSTEM_ALL : ctx.pathParam("t");
    return new AccountService.GrantRef(actor, ctx.pathParam("a"), target, targetId, inherited);
  }

  private void grant(Context ctx, AccountService.GrantRef ref) {
    accounts.grant(caller(identity, ctx), ref, ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void checkGrant(Context ctx, AccountService.GrantRef ref) {
    accounts.checkGrant(caller(identity, ctx), ref, ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void revokeGrant(Context ctx, AccountService.GrantRef ref) {
    accounts.revokeGrant(caller(identity, ctx), ref, ctx.pathParam("r"));
    Responses.noContent(ctx, null);
  }

  private void listGrants(Context ctx, AccountService.GrantRef ref) {
    List<Role> roles = accounts.grants(caller(identity, ctx), ref);
    Responses.json(ctx, 200, AdminViews.collection("roles", roles, AdminViews::role, base, self(ctx, base)));
  }

  private void assignments(Context ctx) {
    Map<String, String> query = query(ctx);
    List<AccountService.Listed> found = accounts.assignments(caller(identity, ctx), query);
    AccountService.Names names =
        query.containsKey("include_names") && AccountService.isTrue(orTrue(query.get("include_names")))
            ? accounts.names()
            : null;
    Responses.json(ctx, 200, AccountViews.assignments(found, names, base, self(ctx, base)));
  }

  private static String orTrue(String v) {
    return v.isEmpty() ? "true" : v;
  }

  private void inferences(Context ctx) {
    Responses.json(
        ctx, 200, AccountViews.inferences(accounts.inferences(caller(identity, ctx)), base, self(ctx, base)));
  }

  private void impliedBy(Context ctx) {
    AccountService.Inference i = accounts.impliedBy(caller(identity, ctx), ctx.pathParam("p"));
    Responses.json(ctx, 200, AccountViews.inference("role_inference", i, true, base, self(ctx, base)));
  }

  private void implies(Context ctx) {
    AccountService.Inference i =
        accounts.implies(caller(identity, ctx), ctx.pathParam("p"), ctx.pathParam("i"));
    Responses.json(ctx, 201, AccountViews.inference("role_inference", i, false, base, self(ctx, base)));
  }

  private void implication(Context ctx) {
    AccountService.Inference i =
        accounts.implication(caller(identity, ctx), ctx.pathParam("p"), ctx.pathParam("i"), "get_implied_role");
    Responses.json(ctx, 200, AccountViews.inference("role_inference", i, false, base, self(ctx, base)));
  }

  private void checkImplication(Context ctx) {
    accounts.implication(caller(identity, ctx), ctx.pathParam("p"), ctx.pathParam("i"), "check_implied_role");
    Responses.noContent(ctx, null);
  }

  private void deleteImplication(Context ctx) {
    accounts.deleteImplication(caller(identity, ctx), ctx.pathParam("p"), ctx.pathParam("i"));
    Responses.noContent(ctx, null);
  }
}
