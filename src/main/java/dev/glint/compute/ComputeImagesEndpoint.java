package dev.glint.compute;

import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.catalog.Page;
import dev.glint.config.GlintConfig;
import dev.glint.http.PageBody;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code /images} of the Compute API, under every root Nova serves it at. */
final class ComputeImagesEndpoint {
  /** No-project roots first: {@code /v2.1/images/x} must not read "images" as a project id. */
  static final List<String> PREFIXES =
      List.of("/v2.1", "/v2", "/v2.1/{tenant_id}", "/v2/{tenant_id}");

  /**
   * Nova's {@code bookmark} links drop the version ({@code /{project}/images/{id}}); Nova itself
   * does not route them, Glint answers them as the legacy {@code /v2} show so every link it emits
   * resolves. Registered after {@link #PREFIXES} so {@code /v2/images/x} keeps its meaning.
   */
  static final List<String> BOOKMARK_PREFIXES = List.of("", "/{tenant_id}");

  private final CatalogService catalog;
  private final ComputeImageService images;
  private final GlintConfig config;

  ComputeImagesEndpoint(CatalogService catalog, ComputeImageService images, GlintConfig config) {
    this.catalog = catalog;
    this.images = images;
    this.config = config;
  }

  void routes(RoutesConfig routes) {
    for (String prefix : PREFIXES) {
      routes.get(prefix + "/images", ctx -> list(ctx, false));
      routes.get(prefix + "/images/detail", ctx -> list(ctx, true));
      routes.get(prefix + "/images/{image_id}", this::show);
      routes.delete(prefix + "/images/{image_id}", this::delete);
    }
  }

  void bookmarkRoutes(RoutesConfig routes) {
    for (String prefix : BOOKMARK_PREFIXES) {
      routes.get(prefix + "/images/{image_id}", this::show);
    }
  }

  private void list(Context ctx, boolean detail) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.IMAGES_MAX);
    ComputeListParams params =
        ComputeListParams.parse(ctx.queryParamMap(), config.maxLimit(), detail);
    Page<Image> page = catalog.list(req.caller(), params.query());
    String path = detail ? "/images/detail" : "/images";
    ComputeImageView.write(
        PageBody.of(ctx, Responses.JSON, config.pageBytes()),
        page, links(req), detail, path, params.params(), params.query().limit());
  }

  private void show(Context ctx) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.IMAGES_MAX);
    Image image = images.show(req.caller(), ctx.pathParam("image_id"));
    Responses.json(ctx, 200, ComputeImageView.show(image, links(req)));
  }

  private void delete(Context ctx) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.IMAGES_MAX);
    images.delete(req.caller(), ctx.pathParam("image_id"));
    Responses.noContent(ctx, Responses.JSON);
  }

  private NovaLinks links(NovaRequest req) {
    return NovaLinks.of(req, config.compute().publicUrl(), config.image().publicUrl());
  }
}
