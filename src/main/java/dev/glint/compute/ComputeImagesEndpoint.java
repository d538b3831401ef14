package dev.glint.compute;

import dev.glint.catalog.CatalogService;
import dev.glint.config.GlintConfig;
import io.javalin.config.RoutesConfig;

/** {@code /images} of the Compute API. */
final class ComputeImagesEndpoint {
  private final CatalogService catalog;
  private final GlintConfig config;

  ComputeImagesEndpoint(CatalogService catalog, GlintConfig config) {
    this.catalog = catalog;
    this.config = config;
  }

  void routes(RoutesConfig routes) {}
}
