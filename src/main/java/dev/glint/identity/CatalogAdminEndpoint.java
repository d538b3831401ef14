package dev.glint.identity;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /v3/regions}, {@code /v3/services}, {@code /v3/endpoints}: Keystone's catalog API. */
final class CatalogAdminEndpoint {
  private final IdentityService identity;
  private final CatalogAdminService catalog;
  private final String base;

  CatalogAdminEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.catalog = identity.catalogAdmin();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/regions", this::listRegions);
    routes.post("/v3/regions", this::createRegion);
    routes.get("/v3/regions/{id}", this::showRegion);
    routes.put("/v3/regions/{id}", this::putRegion);
    routes.patch("/v3/regions/{id}", this::updateRegion);
    routes.delete("/v3/regions/{id}", this::deleteRegion);
    routes.get("/v3/services", this::listServices);
    routes.post("/v3/services", this::createService);
    routes.get("/v3/services/{id}", this::showService);
    routes.patch("/v3/services/{id}", this::updateService);
    routes.delete("/v3/services/{id}", this::deleteService);
    routes.get("/v3/endpoints", this::listEndpoints);
    routes.post("/v3/endpoints", this::createEndpoint);
    routes.get("/v3/endpoints/{id}", this::showEndpoint);
    routes.patch("/v3/endpoints/{id}", this::updateEndpoint);
    routes.delete("/v3/endpoints/{id}", this::deleteEndpoint);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  static Map<String, String> query(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  static String self(Context ctx, String base, String path) {
    String q = ctx.queryString();
    return base + path + (q == null || q.isEmpty() ? "" : "?" + q);
  }

  private void listRegions(Context ctx) {
    var regions = catalog.regions(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "regions", regions, CatalogViews::region, base, self(ctx, base, "/v3/regions")));
  }

  private void showRegion(Context ctx) {
    var region = catalog.region(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("region", region, CatalogViews::region, base));
  }

  private void createRegion(Context ctx) {
    var region = catalog.createRegion(caller(ctx), null, KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("region", region, CatalogViews::region, base));
  }

  private void putRegion(Context ctx) {
    var region =
        catalog.createRegion(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("region", region, CatalogViews::region, base));
  }

  private void updateRegion(Context ctx) {
    var region =
        catalog.updateRegion(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("region", region, CatalogViews::region, base));
  }

  private void deleteRegion(Context ctx) {
    catalog.deleteRegion(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void listServices(Context ctx) {
    var services = catalog.services(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "services", services, CatalogViews::service, base, self(ctx, base, "/v3/services")));
  }

  private void showService(Context ctx) {
    var service = catalog.service(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("service", service, CatalogViews::service, base));
  }

  private void createService(Context ctx) {
    var service = catalog.createService(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("service", service, CatalogViews::service, base));
  }

  private void updateService(Context ctx) {
    var service =
        catalog.updateService(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("service", service, CatalogViews::service, base));
  }

  private void deleteService(Context ctx) {
    catalog.deleteService(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void listEndpoints(Context ctx) {
    var endpoints = catalog.endpoints(caller(ctx), query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "endpoints", endpoints, CatalogViews::endpoint, base, self(ctx, base, "/v3/endpoints")));
  }

  private void showEndpoint(Context ctx) {
    var endpoint = catalog.endpoint(caller(ctx), ctx.pathParam("id"));
    Responses.json(
        ctx, 200, AdminViews.member("endpoint", endpoint, CatalogViews::endpoint, base));
  }

  private void createEndpoint(Context ctx) {
    var endpoint = catalog.createEndpoint(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(
        ctx, 201, AdminViews.member("endpoint", endpoint, CatalogViews::endpoint, base));
  }

  private void updateEndpoint(Context ctx) {
    var endpoint =
        catalog.updateEndpoint(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(
        ctx, 200, AdminViews.member("endpoint", endpoint, CatalogViews::endpoint, base));
  }

  private void deleteEndpoint(Context ctx) {
    catalog.deleteEndpoint(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }
}
