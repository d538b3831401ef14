package dev.glint.compute;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;

/**
 * Nova's version documents: {@code GET /} lists v2.0 (SUPPORTED) and v2.1 (CURRENT, microversions
 * 2.1 to 2.93); {@code /v2} and {@code /v2.1} describe one each. Clients negotiate from these.
 */
final class ComputeVersionsEndpoint {
  private final String computeUrl;

  ComputeVersionsEndpoint(String computeUrl) {
    this.computeUrl = computeUrl;
  }

  void routes(RoutesConfig routes) {
    routes.get("/", this::root);
    routes.get("/v2", ctx -> one(ctx, false));
    routes.get("/v2.1", ctx -> one(ctx, true));
    routes.get(
        "/v2.1/{tenant_id}",
        ctx -> {
          NovaRequest.of(ctx);
          one(ctx, true);
        });
  }

  private void root(Context ctx) {
    Responses.json(
        ctx,
        200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("versions");
              version(g, false, false);
              version(g, true, false);
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  private void one(Context ctx, boolean v21) {
    Responses.json(
        ctx,
        200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeFieldName("version");
              version(g, v21, true);
              g.writeEndObject();
            }));
  }

  private void version(JsonGenerator g, boolean v21, boolean full) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", v21 ? "v2.1" : "v2.0");
    g.writeStringField("status", v21 ? "CURRENT" : "SUPPORTED");
    g.writeStringField("version", v21 ? Microversion.MAX.toString() : "");
    g.writeStringField("min_version", v21 ? Microversion.MIN.toString() : "");
    g.writeStringField("updated", v21 ? "2013-07-23T11:33:21Z" : "2011-01-21T11:33:21Z");
    g.writeArrayFieldStart("links");
    g.writeStartObject();
    g.writeStringField("rel", "self");
    g.writeStringField("href", computeUrl + (v21 ? "/v2.1/" : "/v2/"));
    g.writeEndObject();
    if (full) {
      g.writeStartObject();
      g.writeStringField("rel", "describedby");
      g.writeStringField("type", "text/html");
      g.writeStringField("href", "http://docs.openstack.org/");
      g.writeEndObject();
    }
    g.writeEndArray();
    if (full) {
      g.writeArrayFieldStart("media-types");
      g.writeStartObject();
      g.writeStringField("base", "application/json");
      g.writeStringField(
          "type", "application/vnd.openstack.compute+json;version=" + (v21 ? "2.1" : "2"));
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeEndObject();
  }
}
