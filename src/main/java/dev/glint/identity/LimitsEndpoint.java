package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/** {@code /v3/registered_limits} and {@code /v3/limits}: Keystone's unified limits. */
final class LimitsEndpoint {
  private final IdentityService identity;
  private final LimitService limits;
  private final String base;

  LimitsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.limits = identity.limits();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/registered_limits", this::listRegistered);
    routes.post("/v3/registered_limits", this::createRegistered);
    routes.get("/v3/registered_limits/{id}", this::showRegistered);
    routes.patch("/v3/registered_limits/{id}", this::updateRegistered);
    routes.delete("/v3/registered_limits/{id}", this::deleteRegistered);
    routes.get("/v3/limits/model", this::model);
    routes.get("/v3/limits", this::listLimits);
    routes.post("/v3/limits", this::createLimits);
    routes.get("/v3/limits/{id}", this::showLimit);
    routes.patch("/v3/limits/{id}", this::updateLimit);
    routes.delete("/v3/limits/{id}", this::deleteLimit);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void listRegistered(Context ctx) {
    var found = limits.registeredLimits(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "registered_limits", found, this::registered, base,
        CatalogAdminEndpoint.self(ctx, base, "/v3/registered_limits")));
  }

  /** Created in bulk; Keystone drops the collection's links from this answer. */
  private void createRegistered(Context ctx) {
    var created = limits.createRegistered(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, list("registered_limits", created, this::registered));
  }

  private void showRegistered(Context ctx) {
    var r = limits.registeredLimit(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("registered_limit", r, this::registered, base));
  }

  private void updateRegistered(Context ctx) {
    var r = limits.updateRegistered(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("registered_limit", r, this::registered, base));
  }

  private void deleteRegistered(Context ctx) {
    limits.deleteRegistered(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void model(Context ctx) {
    limits.model(caller(ctx));
    Responses.json(ctx, 200, Json.bytes(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("model");
      g.writeStringField("name", LimitService.MODEL);
      g.writeStringField("description", LimitService.MODEL_DESCRIPTION);
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  private void listLimits(Context ctx) {
    var found = limits.limits(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "limits", found, this::limit, base, CatalogAdminEndpoint.self(ctx, base, "/v3/limits")));
  }

  private void createLimits(Context ctx) {
    var created = limits.createLimits(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, list("limits", created, this::limit));
  }

  private void showLimit(Context ctx) {
    var l = limits.limit(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("limit", l, this::limit, base));
  }

  private void updateLimit(Context ctx) {
    var l = limits.updateLimit(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("limit", l, this::limit, base));
  }

  private void deleteLimit(Context ctx) {
    limits.deleteLimit(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private <T> byte[] list(String key, List<T> items, AdminViews.Item<T> writer) {
    return Json.bytes(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart(key);
      for (T item : items) {
        writer.write(g, item, base);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private void registered(JsonGenerator g, LimitRepository.RegisteredLimit r, String base)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("service_id", r.serviceId());
    g.writeStringField("region_id", r.regionId());
    g.writeStringField("resource_name", r.resourceName());
    g.writeNumberField("default_limit", r.defaultLimit());
    g.writeStringField("description", r.description());
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/registered_limits/" + r.id());
    g.writeEndObject();
    g.writeEndObject();
  }

  private void limit(JsonGenerator g, LimitRepository.Limit l, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", l.id());
    g.writeStringField("project_id", l.projectId());
    g.writeStringField("domain_id", l.domainId());
    g.writeStringField("service_id", l.serviceId());
    g.writeStringField("region_id", l.regionId());
    g.writeStringField("resource_name", l.resourceName());
    g.writeNumberField("resource_limit", l.resourceLimit());
    g.writeStringField("description", l.description());
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/limits/" + l.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
