package dev.glint.identity;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** Legacy Identity v2.0 for jclouds and other old clients (spec §8). */
final class V2Endpoint {
  private final IdentityService identity;
  private final String base;

  V2Endpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v2.0", this::version);
    routes.get("/v2.0/", this::version);
    routes.post("/v2.0/tokens", this::issue);
    routes.get("/v2.0/tokens/{token_id}", this::validate);
    routes.get("/v2.0/tenants", this::tenants);
  }

  private void version(Context ctx) {
    Responses.json(ctx, 200, V2Views.version(base));
  }

  private void issue(Context ctx) {
    TokenInfo token = identity.authenticateV2(V2AuthRequest.parse(KeystoneBodies.object(ctx)), ctx.ip());
    Responses.json(ctx, 200, V2Views.access(token, catalog(token), base + "/v2.0"));
  }

  private void validate(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    TokenInfo token = identity.validateV2(caller, ctx.pathParam("token_id"));
    Responses.json(ctx, 200, V2Views.access(token, catalog(token), base + "/v2.0"));
  }

  private void tenants(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    Responses.json(ctx, 200, V2Views.tenants(identity.projectsFor(caller)));
  }

  private List<ServiceCatalog.Service> catalog(TokenInfo token) {
    return token.scoped() ? identity.catalog().forProject(token.project().id()) : List.of();
  }
}
