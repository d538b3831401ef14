package dev.glint.identity;

import static dev.glint.identity.AccountRequests.caller;
import static dev.glint.identity.AccountRequests.query;
import static dev.glint.identity.AccountRequests.self;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code /v3/groups}, group membership and {@code /v3/users/{id}/groups}. */
final class GroupsEndpoint {
  private final IdentityService identity;
  private final AccountService accounts;
  private final String base;

  GroupsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.accounts = identity.accounts();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/groups", this::list);
    routes.post("/v3/groups", this::create);
    routes.get("/v3/groups/{id}", this::show);
    routes.patch("/v3/groups/{id}", this::update);
    routes.delete("/v3/groups/{id}", this::delete);
    routes.get("/v3/groups/{id}/users", this::members);
    routes.put("/v3/groups/{id}/users/{uid}", this::addMember);
    routes.get("/v3/groups/{id}/users/{uid}", this::checkMember);
    routes.head("/v3/groups/{id}/users/{uid}", this::checkMember);
    routes.delete("/v3/groups/{id}/users/{uid}", this::removeMember);
    routes.get("/v3/users/{id}/groups", this::groupsOfUser);
  }

  private void list(Context ctx) {
    List<Group> groups = accounts.groups(caller(identity, ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("groups", groups, AccountViews::group, base, self(ctx, base)));
  }

  private void create(Context ctx) {
    Group group =
        accounts.createGroup(caller(identity, ctx), AdminFields.member(KeystoneBodies.object(ctx), "group"));
    Responses.json(ctx, 201, AdminViews.member("group", group, AccountViews::group, base));
  }

  private void show(Context ctx) {
    Group group = accounts.group(caller(identity, ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("group", group, AccountViews::group, base));
  }

  private void update(Context ctx) {
    Group group =
        accounts.updateGroup(
            caller(identity, ctx), ctx.pathParam("id"),
            AdminFields.member(KeystoneBodies.object(ctx), "group"));
    Responses.json(ctx, 200, AdminViews.member("group", group, AccountViews::group, base));
  }

  private void delete(Context ctx) {
    accounts.deleteGroup(caller(identity, ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void members(Context ctx) {
    List<User> users = accounts.members(caller(identity, ctx), ctx.pathParam("id"), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("users", users, AdminViews::user, base, self(ctx, base)));
  }

  private void addMember(Context ctx) {
    accounts.addMember(caller(identity, ctx), ctx.pathParam("id"), ctx.pathParam("uid"));
    Responses.noContent(ctx, null);
  }

  private void checkMember(Context ctx) {
    accounts.checkMember(caller(identity, ctx), ctx.pathParam("id"), ctx.pathParam("uid"));
    Responses.noContent(ctx, null);
  }

  private void removeMember(Context ctx) {
    accounts.removeMember(caller(identity, ctx), ctx.pathParam("id"), ctx.pathParam("uid"));
    Responses.noContent(ctx, null);
  }

  private void groupsOfUser(Context ctx) {
    List<Group> groups = accounts.groupsOf(caller(identity, ctx), ctx.pathParam("id"), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("groups", groups, AccountViews::group, base, self(ctx, base)));
  }
}
