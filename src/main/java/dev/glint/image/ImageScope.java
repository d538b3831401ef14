package dev.glint.image;

import dev.glint.catalog.CatalogScope;
import dev.glint.http.Principal;
import io.javalin.http.Context;

/** The catalog scope of an image service request, from the principal the auth filter found. */
final class ImageScope {
  private ImageScope() {}

  static CatalogScope of(Context ctx) {
    Principal p = Principal.of(ctx);
    return new CatalogScope(p.projectId(), p.roles(), p.isAdmin());
  }
}
