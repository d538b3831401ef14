package dev.glint.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /v3/domains/{id}/config…} and {@code /v3/domains/config/…/default}. */
final class DomainConfigEndpoint {
  private static final String CONFIG = "/v3/domains/{domain_id}/config";
  private static final String DEFAULTS = "/v3/domains/config";

  private final IdentityService identity;
  private final DomainConfigService configs;

  DomainConfigEndpoint(IdentityService identity) {
    this.identity = identity;
    this.configs = identity.domainConfigs();
  }

  void routes(RoutesConfig routes) {
    routes.get(DEFAULTS + "/default", ctx -> defaults(ctx, null, null));
    routes.get(DEFAULTS + "/{group}/default", ctx -> defaults(ctx, ctx.pathParam("group"), null));
    routes.get(DEFAULTS + "/{group}/{option}/default",
        ctx -> defaults(ctx, ctx.pathParam("group"), ctx.pathParam("option")));
    routes.put(CONFIG, this::create);
    for (String path : new String[] {CONFIG, CONFIG + "/{group}", CONFIG + "/{group}/{option}"}) {
      routes.get(path, this::show);
      routes.patch(path, this::update);
      routes.delete(path, this::delete);
    }
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private static String group(Context ctx) {
    return ctx.pathParamMap().get("group");
  }

  private static String option(Context ctx) {
    return ctx.pathParamMap().get("option");
  }

  private void defaults(Context ctx, String group, String option) {
    send(ctx, 200, configs.defaults(caller(ctx), group, option));
  }

  private void create(Context ctx) {
    var created = configs.create(caller(ctx), ctx.pathParam("domain_id"), KeystoneBodies.object(ctx));
    send(ctx, created.created() ? 201 : 200, created.config());
  }

  private void show(Context ctx) {
    send(ctx, 200, configs.get(caller(ctx), ctx.pathParam("domain_id"), group(ctx), option(ctx)));
  }

  private void update(Context ctx) {
    Caller caller = caller(ctx);
    send(ctx, 200, configs.update(
        caller, ctx.pathParam("domain_id"), group(ctx), option(ctx), KeystoneBodies.object(ctx)));
  }

  private void delete(Context ctx) {
    configs.delete(caller(ctx), ctx.pathParam("domain_id"), group(ctx), option(ctx));
    Responses.noContent(ctx, null);
  }

  private static void send(Context ctx, int status, ObjectNode config) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("config", config);
    Responses.json(ctx, status, Json.bytes(g -> g.writeTree(body)));
  }
}
