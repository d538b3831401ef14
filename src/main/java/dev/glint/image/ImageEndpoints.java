package dev.glint.image;

import dev.glint.App;
import dev.glint.http.ApiException;
import dev.glint.http.AuthFilter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/** The image service listener's routes (Glance v2). */
public final class ImageEndpoints {
  /** Version documents need no token, as in Glance. */
  static final Set<String> OPEN_PATHS = Set.of("/", "/versions");

  /**
   * API roots: {@code /v2} and the versions the version document lists, which Glance's version
   * negotiation maps onto the same v2 API (so {@code /v2.1/images} works).
   */
  static final List<String> PREFIXES =
      List.of(
          "/v2", "/v2.0", "/v2.1", "/v2.2", "/v2.3", "/v2.4", "/v2.5", "/v2.6", "/v2.7", "/v2.9",
          "/v2.15");

  private final App app;

  public ImageEndpoints(App app) {
    this.app = app;
  }

  public void routes(RoutesConfig routes) {
    routes.before(new AuthFilter(app.tokens(), OPEN_PATHS)::handle);
    routes.before(ImageEndpoints::rejectBody);
    String publicUrl = app.config().image().publicUrl();
    new ImageVersionsEndpoint(publicUrl).routes(routes);
    ImagesEndpoint images = new ImagesEndpoint(app.catalog(), app.config());
    ImageDataEndpoint data = new ImageDataEndpoint(app.catalog());
    ImageMembersEndpoint members = new ImageMembersEndpoint(app.catalog());
    ImageSchemasEndpoint schemas = new ImageSchemasEndpoint();
    for (String prefix : PREFIXES) {
      images.routes(routes, prefix);
      data.routes(routes, prefix);
      members.routes(routes, prefix);
      schemas.routes(routes, prefix);
    }
    // After the versioned routes, so /v2/images/{id} is never read as a project id.
    images.alternateRoute(routes);
  }

  /**
   * Glance's {@code body_reject}: reads and deletes take no body (400, before the body would be
   * silently ignored).
   */
  static void rejectBody(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("DELETE")) {
      rejectBodyOn(ctx);
    }
  }

  static void rejectBodyOn(Context ctx) {
    String length = ctx.header("Content-Length");
    boolean hasBody =
        (length != null && !length.strip().equals("0")) || ctx.header("Transfer-Encoding") != null;
    if (hasBody) {
      throw ApiException.badRequest("A body is not expected with this request.");
    }
  }
}
