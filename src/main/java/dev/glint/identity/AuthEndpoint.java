package dev.glint.identity;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /v3/auth/*}: issue, validate, check and revoke tokens; the caller's catalog and projects. */
final class AuthEndpoint {
  static final String SUBJECT = "X-Subject-Token";

  private final IdentityService identity;
  private final String base;

  AuthEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.post("/v3/auth/tokens", this::issue);
    routes.get("/v3/auth/tokens", this::validate);
    routes.head("/v3/auth/tokens", this::check);
    routes.delete("/v3/auth/tokens", this::revoke);
    routes.get("/v3/auth/catalog", this::catalog);
    routes.get("/v3/auth/projects", this::projects);
  }

  private void issue(Context ctx) {
    TokenInfo token =
        identity.authenticate(
            AuthRequest.parse(KeystoneBodies.object(ctx)), ctx.ip(), OAuthEndpoint.signed(ctx, base));
    ctx.header(SUBJECT, token.id());
    Responses.json(ctx, 201, IdentityViews.token(token, catalogUnlessAsked(ctx, token)));
  }

  private void validate(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    TokenInfo token =
        identity.validate(
            caller, ctx.header(SUBJECT), IdentityService.TokenAction.VALIDATE, allowExpired(ctx),
            accessRules(ctx));
    ctx.header(SUBJECT, token.id());
    Responses.json(ctx, 200, IdentityViews.token(token, catalogUnlessAsked(ctx, token)));
  }

  private void check(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    TokenInfo token =
        identity.validate(
            caller, ctx.header(SUBJECT), IdentityService.TokenAction.CHECK, allowExpired(ctx),
            accessRules(ctx));
    ctx.header(SUBJECT, token.id());
    Responses.send(ctx, 200, Responses.JSON, new byte[0]);
  }

  private void revoke(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    identity.revoke(caller, ctx.header(SUBJECT), accessRules(ctx));
    Responses.noContent(ctx, null);
  }

  private void catalog(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    Responses.json(
        ctx, 200, IdentityViews.catalog(identity.catalogFor(caller), base + "/v3/auth/catalog"));
  }

  private void projects(Context ctx) {
    Caller caller = identity.caller(ctx.header("X-Auth-Token"));
    Responses.json(
        ctx,
        200,
        IdentityViews.projects(identity.projectsFor(caller), base, base + "/v3/auth/projects"));
  }

  private static boolean accessRules(Context ctx) {
    return IdentityService.accessRulesSupported(ctx.header(IdentityService.ACCESS_RULES_HEADER));
  }

  /** oslo's {@code bool_from_string}, as Keystone reads {@code allow_expired}. */
  private static boolean allowExpired(Context ctx) {
    String v = ctx.queryParam("allow_expired");
    return v != null
        && java.util.Set.of("1", "t", "true", "on", "y", "yes")
            .contains(v.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** Scoped tokens carry the catalog unless the query has {@code nocatalog} (any value). */
  private java.util.List<ServiceCatalog.Service> catalogUnlessAsked(Context ctx, TokenInfo token) {
    if (ctx.queryParamMap().containsKey("nocatalog")) {
      return null;
    }
    if (token.domain() != null || token.system()) {
      return identity.catalog().forProject(null);
    }
    return token.scoped() ? identity.catalog().forProject(token.project().id()) : null;
  }
}
