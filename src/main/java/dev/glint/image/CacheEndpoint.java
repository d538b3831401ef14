package dev.glint.image;

import dev.glint.catalog.CatalogService;
import dev.glint.catalog.ImageCache;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import dev.glint.http.Principal;
import dev.glint.policy.Enforcer;
import java.util.Map;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.util.Locale;

/**
 * Glance's cache API (v2.14, {@code api/v2/cached_images.py}) over this node's image cache
 * (docs/cache.md): list, queue, delete, clear. Admins only, by the policy rules {@code cache_list},
 * {@code cache_image} and {@code cache_delete}; with the cache off every call answers 404, as a
 * Glance without the cache has no such routes.
 */
final class CacheEndpoint {
  static final String CLEAR_TARGET = "x-image-cache-clear-target";

  private final CatalogService catalog;
  private final Enforcer policy;

  CacheEndpoint(CatalogService catalog, Enforcer policy) {
    this.catalog = catalog;
    this.policy = policy;
  }

  /** Checked here: the route-table filter covers /images paths only. */
  private void enforce(Context ctx, String rule) {
    policy.enforce(rule, Enforcer.credentials(Principal.of(ctx)), Map.of(), GlanceFaults::policyDenied);
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.get(prefix + "/cache", this::list);
    routes.delete(prefix + "/cache", this::clear);
    routes.put(prefix + "/cache/{image_id}", this::queue);
    routes.delete(prefix + "/cache/{image_id}", this::delete);
  }

  private ImageCache cache() {
    return catalog.cache().orElseThrow(NotFoundResponse::new);
  }

  /** {@code get_cache_state}: the cached images (Glance's driver fields) and the queued ids. */
  private void list(Context ctx) {
    ImageCache cache = cache();
    enforce(ctx, "cache_list");
    Responses.json(
        ctx,
        200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("cached_images");
              for (ImageCache.Entry e : cache.cached()) {
                g.writeStartObject();
                g.writeStringField("image_id", e.imageId());
                g.writeNumberField("hits", e.hits());
                g.writeNumberField("last_accessed", e.lastAccessed());
                g.writeNumberField("last_modified", e.lastModified());
                g.writeNumberField("size", e.size());
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeArrayFieldStart("queued_images");
              for (String id : cache.queued()) {
                g.writeString(id);
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private void queue(Context ctx) {
    cache();
    // As Glance: the image is looked up (404) before the rule is checked.
    catalog.queueForCache(
        ImageScope.of(ctx), ImagesEndpoint.id(ctx), () -> enforce(ctx, "cache_image"));
    ctx.status(202);
    ctx.header("Content-Length", "0");
    ctx.result(new byte[0]);
  }

  private void delete(Context ctx) {
    cache();
    catalog.dropFromCache(
        ImageScope.of(ctx), ImagesEndpoint.id(ctx), () -> enforce(ctx, "cache_delete"));
    Responses.noContent(ctx, null);
  }

  /** {@code clear_cache}: the header names what to clear, {@code cache} or {@code queue}; none, both. */
  private void clear(Context ctx) {
    ImageCache cache = cache();
    enforce(ctx, "cache_delete");
    String target = ctx.header(CLEAR_TARGET);
    target = target == null ? "" : target.strip().toLowerCase(Locale.ROOT);
    switch (target) {
      case "" -> {
        cache.clearCache();
        cache.clearQueue();
      }
      case "cache" -> cache.clearCache();
      case "queue" -> cache.clearQueue();
      default ->
          throw ApiException.badRequest(
              "If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.");
    }
    Responses.noContent(ctx, null);
  }
}
