package dev.glint.identity;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The identity listener's routes (Keystone v3). */
public final class IdentityEndpoints {
  private final IdentityService identity;
  private final String base;

  /**
   * @param base Keystone's base URL ({@code [DEFAULT] public_endpoint} when set; ours is always
   *     configured)
   */
  public IdentityEndpoints(IdentityService identity, String base) {
    this.identity = identity;
    this.base = base;
  }

  public void routes(RoutesConfig routes) {
    routes.before(dev.glint.http.InputGuard::rejectNulInBody);
    routes.get("/", this::versions);
    routes.get("/v3", this::version);
    routes.get("/v3/", this::version);
    new AuthEndpoint(identity, base).routes(routes);
    new AdminEndpoint(identity, base).routes(routes);
    new DomainsEndpoint(identity, base).routes(routes);
    new GroupsEndpoint(identity, base).routes(routes);
    new AssignmentsEndpoint(identity, base).routes(routes);
    new ApplicationCredentialsEndpoint(identity, base).routes(routes);
    new CatalogAdminEndpoint(identity, base).routes(routes);
    new EndpointFilterEndpoint(identity, base).routes(routes);
    new CredentialsEndpoint(identity, base).routes(routes);
    new PoliciesEndpoint(identity, base).routes(routes);
    new TrustsEndpoint(identity, base).routes(routes);
    new LimitsEndpoint(identity, base).routes(routes);
    new ConsumersEndpoint(identity, base).routes(routes);
    new OAuthEndpoint(identity, base).routes(routes);
    new DomainConfigEndpoint(identity).routes(routes);
    new V2Endpoint(identity, base).routes(routes);
    routes.after(IdentityEndpoints::varyOnToken);
  }

  /** Keystone answers its root with 300 Multiple Choices, unlike Nova. */
  private void versions(Context ctx) {
    ctx.header("Location", base + "/v3/");
    Responses.json(ctx, 300, IdentityViews.versions(base));
  }

  private void version(Context ctx) {
    Responses.json(ctx, 200, IdentityViews.version(base));
  }

  /**
   * Every Keystone response varies on the caller's token ({@code _add_vary_x_auth_token_header});
   * runs last so that it keeps an {@code Accept-Encoding} a compressed body added.
   */
  private static void varyOnToken(Context ctx) {
    String vary = ctx.res().getHeader("Vary");
    if (vary == null || vary.isBlank()) {
      ctx.header("Vary", "X-Auth-Token");
    } else if (!vary.contains("X-Auth-Token")) {
      ctx.header("Vary", vary + ", X-Auth-Token");
    }
  }
}
