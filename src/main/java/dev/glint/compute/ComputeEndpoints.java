package dev.glint.compute;

import dev.glint.catalog.CatalogService;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.http.AuthFilter;
import dev.glint.http.HotRoute;
import dev.glint.http.TokenValidator;
import dev.glint.policy.Enforcer;
import dev.glint.policy.PolicyDefaults;
import io.javalin.config.RoutesConfig;
import java.util.Set;

/** The compute listener: version documents and the images resource under every Nova root. */
public final class ComputeEndpoints {
  /** Version documents (and the API description) need no token, as in Nova. */
  static final Set<String> OPEN_PATHS = Set.of("/", "/v2", "/v2/", "/v2.1", "/v2.1/", "/openapi.json");

  private final CatalogService catalog;
  private final TokenValidator tokens;
  private final GlintConfig config;
  private final Enforcer policy;

  public ComputeEndpoints(
      CatalogService catalog, TokenValidator tokens, GlintConfig config, Enforcer policy) {
    this.catalog = catalog;
    this.tokens = tokens;
    this.config = config;
    this.policy = policy;
  }

  public void routes(RoutesConfig routes) {
    // No catalog-generation header here: the compute listener answers with Nova's header set
    // exactly (the golden exchanges hold it); operators read the generation on the image listener.
    // oslo's request size limit runs ahead of authentication in Nova's pipeline.
    routes.before(NovaBody::checkDeclaredSize);
    routes.before(new AuthFilter(tokens, OPEN_PATHS, "compute")::handle);
    // Only the /v2.1 root is microversioned; /v2 is Nova's legacy mode, always 2.1, no headers.
    routes.before("/v2.1", Microversion::negotiate);
    routes.before("/v2.1/*", Microversion::negotiate);
    routes.before(policy.filter(PolicyDefaults.Api.COMPUTE, ComputeEndpoints::denied));
    ComputeImageService images =
        new ComputeImageService(catalog, config.metadataItems());
    ComputeImagesEndpoint endpoint = new ComputeImagesEndpoint(catalog, images, config);
    endpoint.routes(routes);
    new ComputeImageMetadataEndpoint(images).routes(routes);
    endpoint.bookmarkRoutes(routes);
    NovaMethods.refuseOthers(routes);
    // Last: Javalin takes the first matching route, and /v2.1/{tenant_id} would swallow
    // /v2.1/images.
    new ComputeVersionsEndpoint(config.compute().publicUrl()).routes(routes);
  }

  /** The list reads the compute listener's hot lane answers ({@link ComputeListLane}). */
  public HotRoute hotRoute() {
    return new ComputeListLane(catalog, tokens, policy, config);
  }

  /** Nova's {@code PolicyNotAuthorized} text. */
  static ApiException denied(String rule) {
    return ApiException.forbidden("Policy doesn't allow " + rule + " to be performed.");
  }
}
