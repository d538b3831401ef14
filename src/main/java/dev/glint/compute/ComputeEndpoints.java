package dev.glint.compute;

import dev.glint.App;
import dev.glint.http.AuthFilter;
import dev.glint.identity.Authorization;
import dev.glint.policy.PolicyDefaults;
import io.javalin.config.RoutesConfig;
import java.util.Set;

/** The compute listener: version documents and the images resource under every Nova root. */
public final class ComputeEndpoints {
  /** Version documents need no token, as in Nova. */
  static final Set<String> OPEN_PATHS = Set.of("/", "/v2", "/v2/", "/v2.1", "/v2.1/");

  private final App app;

  public ComputeEndpoints(App app) {
    this.app = app;
  }

  public void routes(RoutesConfig routes) {
    // oslo's request size limit runs ahead of authentication in Nova's pipeline.
    routes.before(NovaBody::checkDeclaredSize);
    routes.before(new AuthFilter(app.tokens(), OPEN_PATHS)::handle);
    // Only the /v2.1 root is microversioned; /v2 is Nova's legacy mode, always 2.1, no headers.
    routes.before("/v2.1", Microversion::negotiate);
    routes.before("/v2.1/*", Microversion::negotiate);
    routes.before(
        app.authorization().filter(PolicyDefaults.Api.COMPUTE, Authorization::novaDenied));
    ComputeImageService images =
        new ComputeImageService(app.catalog(), app.config().metadataItems());
    ComputeImagesEndpoint endpoint = new ComputeImagesEndpoint(app.catalog(), images, app.config());
    endpoint.routes(routes);
    new ComputeImageMetadataEndpoint(images).routes(routes);
    endpoint.bookmarkRoutes(routes);
    NovaMethods.refuseOthers(routes);
    // Last: Javalin takes the first matching route, and /v2.1/{tenant_id} would swallow
    // /v2.1/images.
    new ComputeVersionsEndpoint(app.config().compute().publicUrl()).routes(routes);
  }
}
