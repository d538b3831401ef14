package dev.glint.image;

import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * Glance Zed's version document ({@code api/versions.py}), which depends on its configuration:
 * with the image cache, v2.16 CURRENT, v2.15 and v2.14; else v2.15 CURRENT. Then with several
 * stores ({@code enabled_backends}) v2.13 down to v2.8, else v2.9; then v2.7 down to v2.0, all
 * SUPPORTED, every link pointing at {@code /v2/}. {@code GET /} answers 300 Multiple Choices
 * (tempest expects it), {@code GET /versions} 200.
 */
final class ImageVersionsEndpoint {
  private final String imageUrl;
  private final List<String> versions;

  ImageVersionsEndpoint(String imageUrl, boolean cache, boolean severalStores) {
    this.imageUrl = imageUrl;
    this.versions = versions(cache, severalStores);
  }

  /** The versions listed, newest (the CURRENT one) first. */
  static List<String> versions(boolean cache, boolean severalStores) {
    List<String> v = new java.util.ArrayList<>();
    v.addAll(cache ? List.of("v2.16", "v2.15", "v2.14") : List.of("v2.15"));
    v.addAll(
        severalStores
            ? List.of("v2.13", "v2.12", "v2.11", "v2.10", "v2.9", "v2.8")
            : List.of("v2.9"));
    v.addAll(List.of("v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0"));
    return List.copyOf(v);
  }

  void routes(RoutesConfig routes) {
    routes.get("/", ctx -> versions(ctx, 300));
    routes.get("/versions", ctx -> versions(ctx, 200));
  }

  private void versions(Context ctx, int status) {
    Responses.json(
        ctx,
        status,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("versions");
              for (String v : versions) {
                g.writeStartObject();
                g.writeStringField("id", v);
                g.writeStringField("status", v.equals(versions.get(0)) ? "CURRENT" : "SUPPORTED");
                g.writeArrayFieldStart("links");
                g.writeStartObject();
                g.writeStringField("rel", "self");
                g.writeStringField("href", imageUrl + "/v2/");
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }
}
