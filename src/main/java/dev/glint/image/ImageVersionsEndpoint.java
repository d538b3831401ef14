package dev.glint.image;

import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * Glance's version document ({@code api/versions.py}, single store, no cache): v2.15 CURRENT, then
 * v2.9 and v2.7 down to v2.0 SUPPORTED, every link pointing at {@code /v2/}. {@code GET /} answers
 * 300 Multiple Choices (tempest expects it), {@code GET /versions} 200.
 */
final class ImageVersionsEndpoint {
  static final List<String> VERSIONS =
      List.of("v2.15", "v2.9", "v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0");

  private final String imageUrl;

  ImageVersionsEndpoint(String imageUrl) {
    this.imageUrl = imageUrl;
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
              for (String v : VERSIONS) {
                g.writeStartObject();
                g.writeStringField("id", v);
                g.writeStringField("status", v.equals("v2.15") ? "CURRENT" : "SUPPORTED");
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
