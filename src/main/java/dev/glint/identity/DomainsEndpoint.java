package dev.glint.identity;

import static dev.glint.identity.AccountRequests.caller;
import static dev.glint.identity.AccountRequests.query;
import static dev.glint.identity.AccountRequests.self;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** {@code /v3/domains} and the project tags ({@code /v3/projects/{id}/tags}). */
final class DomainsEndpoint {
  private final IdentityService identity;
  private final AccountService accounts;
  private final String base;

  DomainsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.accounts = identity.accounts();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/auth/domains", this::scopes);
    routes.get("/v3/auth/system", this::system);
    routes.get("/v3/domains", this::list);
    routes.post("/v3/domains", this::create);
    routes.get("/v3/domains/{id}", this::show);
    routes.patch("/v3/domains/{id}", this::update);
    routes.delete("/v3/domains/{id}", this::delete);
    routes.get("/v3/projects/{id}/tags", this::tags);
    routes.put("/v3/projects/{id}/tags", this::replaceTags);
    routes.delete("/v3/projects/{id}/tags", this::deleteTags);
    routes.get("/v3/projects/{id}/tags/{tag}", this::checkTag);
    routes.head("/v3/projects/{id}/tags/{tag}", this::checkTag);
    routes.put("/v3/projects/{id}/tags/{tag}", this::addTag);
    routes.delete("/v3/projects/{id}/tags/{tag}", this::deleteTag);
  }

  private void list(Context ctx) {
    List<Domain> domains = accounts.domains(caller(identity, ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection("domains", domains, AdminViews::domain, base, self(ctx, base)));
  }

  private void scopes(Context ctx) {
    List<Domain> domains = accounts.domainsFor(caller(identity, ctx));
    Responses.json(ctx, 200, AdminViews.collection("domains", domains, AdminViews::domain, base, self(ctx, base)));
  }

  private void system(Context ctx) {
    Responses.json(ctx, 200, AccountViews.system(accounts.systemFor(caller(identity, ctx)), self(ctx, base)));
  }

  private void create(Context ctx) {
    Domain domain =
        accounts.createDomain(caller(identity, ctx), AdminFields.member(KeystoneBodies.object(ctx), "domain"));
    Responses.json(ctx, 201, AdminViews.member("domain", domain, AdminViews::domain, base));
  }

  private void show(Context ctx) {
    Domain domain = accounts.domain(caller(identity, ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("domain", domain, AdminViews::domain, base));
  }

  private void update(Context ctx) {
    Domain domain =
        accounts.updateDomain(
            caller(identity, ctx), ctx.pathParam("id"),
            AdminFields.member(KeystoneBodies.object(ctx), "domain"));
    Responses.json(ctx, 200, AdminViews.member("domain", domain, AdminViews::domain, base));
  }

  private void delete(Context ctx) {
    accounts.deleteDomain(caller(identity, ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void tags(Context ctx) {
    List<String> tags = accounts.tree().projectTags(caller(identity, ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AccountViews.tags(tags, self(ctx, base)));
  }

  private void replaceTags(Context ctx) {
    com.fasterxml.jackson.databind.JsonNode body = KeystoneBodies.object(ctx);
    List<String> wanted = ProjectTree.tags(body, List.of());
    List<String> tags =
        accounts.tree().replaceProjectTags(caller(identity, ctx), ctx.pathParam("id"), new ArrayList<>(wanted));
    Responses.json(ctx, 200, AccountViews.tags(tags, self(ctx, base)));
  }

  private void deleteTags(Context ctx) {
    accounts.tree().deleteProjectTags(caller(identity, ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void checkTag(Context ctx) {
    accounts.tree().checkProjectTag(caller(identity, ctx), ctx.pathParam("id"), ctx.pathParam("tag"));
    Responses.noContent(ctx, null);
  }

  private void addTag(Context ctx) {
    String id = ctx.pathParam("id");
    String tag = ctx.pathParam("tag");
    accounts.tree().addProjectTag(caller(identity, ctx), id, tag);
    ctx.header("Location", base + "/v3/projects/" + id + "/tags/" + tag);
    Responses.send(ctx, 201, Responses.JSON, new byte[0]);
  }

  private void deleteTag(Context ctx) {
    accounts.tree().deleteProjectTag(caller(identity, ctx), ctx.pathParam("id"), ctx.pathParam("tag"));
    Responses.noContent(ctx, null);
  }
}
