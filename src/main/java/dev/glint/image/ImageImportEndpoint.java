package dev.glint.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.ImageQuotas;
import dev.glint.catalog.ImportTask;
import dev.glint.http.RequestIds;
import dev.glint.catalog.Stores;
import dev.glint.http.Principal;
import dev.glint.policy.Enforcer;
import dev.glint.catalog.ImportService;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Glance's interoperable import: {@code /v2/info/import}, {@code /v2/info/stores}, {@code PUT
 * /v2/images/{id}/stage} and {@code POST /v2/images/{id}/import} ({@code glance-direct}).
 */
final class ImageImportEndpoint {
  private final CatalogService catalog;
  private final ImportService imports;
  private final ImageQuotas quotas;
  private final Enforcer policy;

  ImageImportEndpoint(CatalogService catalog, Enforcer policy) {
    this.catalog = catalog;
    this.imports = catalog.imports();
    this.quotas = catalog.quotas();
    this.policy = policy;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.get(prefix + "/info/import", this::importInfo);
    routes.get(prefix + "/info/stores", this::storesInfo);
    routes.get(prefix + "/info/usage", this::usageInfo);
    routes.put(prefix + "/images/{image_id}/stage", this::stage);
    routes.post(prefix + "/images/{image_id}/import", this::importImage);
    routes.delete(prefix + "/stores/{store_id}/{image_id}", this::deleteFromStore);
  }

  private void importInfo(Context ctx) {
    Map<String, Object> methods = new LinkedHashMap<>();
    methods.put("description", "Import methods available.");
    methods.put("type", "array");
    methods.put("value", imports.methods());
    Responses.json(ctx, 200, Json.bytes(Map.of("import-methods", methods)));
  }

  /** The configured stores; Glance spells the default flag as the string "true". */
  private void storesInfo(Context ctx) {
    Stores stores = catalog.stores();
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (String id : stores.ids()) {
      Map<String, Object> store = new LinkedHashMap<>();
      store.put("id", id);
      if (id.equals(stores.defaultId())) {
        store.put("default", "true");
      }
      out.add(store);
    }
    Responses.json(ctx, 200, Json.bytes(Map.of("stores", out)));
  }

  private void deleteFromStore(Context ctx) {
    // Checked here: the route-table filter covers /images paths only.
    policy.enforce(
        "delete_image_location",
        Enforcer.credentials(Principal.of(ctx)),
        Map.of(),
        GlanceFaults::policyDenied);
    catalog.deleteFromStore(ImageScope.of(ctx), ctx.pathParam("store_id"), ImagesEndpoint.id(ctx));
    Responses.noContent(ctx, null);
  }

  /** Glance's {@code {"usage": {"image_size_total": {"usage": 0, "limit": -1}, ...}}}. */
  private void usageInfo(Context ctx) {
    Map<String, Object> usage = new LinkedHashMap<>();
    quotas
        .usage(ImageScope.of(ctx))
        .forEach(
            (quota, u) -> {
              Map<String, Object> one = new LinkedHashMap<>();
              one.put("usage", u.usage());
              one.put("limit", u.limit());
              usage.put(quota.wire(), one);
            });
    Responses.json(ctx, 200, Json.bytes(Map.of("usage", usage)));
  }

  /** Glance's {@code get_stores_from_request}: {@code all_stores}, {@code stores} or the header. */
  static ImportService.Targets targets(Context ctx, JsonNode body) {
    String header = ctx.header("X-Image-Meta-Store");
    boolean all = body.path("all_stores").asBoolean(false);
    boolean mustSucceed = body.path("all_stores_must_succeed").asBoolean(true);
    JsonNode stores = body.get("stores");
    if (all) {
      if (stores != null || header != null) {
        throw ApiException.badRequest(
            "All_stores parameter can't be used with x-image-meta-store header or stores"
                + " parameter");
      }
      return new ImportService.Targets(null, true, mustSucceed);
    }
    if (stores != null) {
      if (header != null) {
        throw ApiException.badRequest(
            "Stores parameter and x-image-meta-store header can't be both specified");
      }
      if (!stores.isArray()) {
        throw ApiException.badRequest("'stores' must be a list of store ids");
      }
      List<String> ids = new java.util.ArrayList<>();
      for (JsonNode s : stores) {
        if (!s.isTextual()) {
          throw ApiException.badRequest("'stores' must be a list of store ids");
        }
        ids.add(s.asText());
      }
      return new ImportService.Targets(ids, false, mustSucceed);
    }
    return new ImportService.Targets(header == null ? null : List.of(header), false, mustSucceed);
  }

  /** A method parameter as text: null when absent, a JSON string's value, else its JSON. */
  private static String text(JsonNode v) {
    return v == null ? null : v.isTextual() ? v.asText() : v.toString();
  }

  private void stage(Context ctx) throws IOException {
    String type = ctx.header("Content-Type");
    String media = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!"application/octet-stream".equals(media)) {
      throw new ApiException(
          ErrorCode.BAD_MEDIA_TYPE, "Invalid content type " + (type == null ? "None" : media));
    }
    imports.stage(ImageScope.of(ctx), ImagesEndpoint.id(ctx), ctx.req().getInputStream());
    Responses.noContent(ctx, null);
  }

  private void importImage(Context ctx) {
    JsonNode body = ImageRequests.json(ctx.bodyAsBytes());
    JsonNode method = body.isObject() ? body.get("method") : null;
    if (method == null) {
      throw ApiException.badRequest("Import request requires a 'method' field.");
    }
    JsonNode name = method.isObject() ? method.get("name") : null;
    if (name == null) {
      throw ApiException.badRequest("Import request requires a 'name' field.");
    }
    if (!name.isTextual() || !imports.methods().contains(name.asText())) {
      throw ApiException.badRequest(
          "Unknown import method name '" + (name.isTextual() ? name.asText() : name) + "'.");
    }
    for (String flag : List.of("all_stores_must_succeed", "all_stores")) {
      JsonNode v = body.get(flag);
      if (v != null && !v.isBoolean()) {
        throw ApiException.badRequest("'" + flag + "' must be boolean value only");
      }
    }
    if (name.asText().equals(ImportService.GLANCE_DOWNLOAD)
        && !method.has("glance_service_interface")) {
      // As Glance: the default goes into the request the task records.
      ((com.fasterxml.jackson.databind.node.ObjectNode) method)
          .put("glance_service_interface", "public");
    }
    ImportService.Targets targets = targets(ctx, body);
    String id = ImagesEndpoint.id(ctx);
    ImportTask.Origin origin =
        new ImportTask.Origin(
            RequestIds.of(ctx),
            Principal.of(ctx).userId(),
            new String(Json.bytes(body), java.nio.charset.StandardCharsets.UTF_8));
    switch (name.asText()) {
      case ImportService.WEB_DOWNLOAD -> {
        JsonNode uri = method.get("uri");
        imports.importFromWeb(
            ImageScope.of(ctx),
            id,
            uri != null && uri.isTextual() ? uri.asText() : null,
            targets,
            origin);
      }
      case ImportService.GLANCE_DOWNLOAD ->
          imports.importFromGlance(
              ImageScope.of(ctx),
              id,
              ctx.header("X-Auth-Token"),
              text(method.get("glance_region")),
              text(method.get("glance_image_id")),
              text(method.get("glance_service_interface")),
              targets,
              origin);
      case ImportService.COPY_IMAGE -> {
        // Glance looks the image up (404) before its copy_image policy check.
        catalog.get(ImageScope.of(ctx), id);
        policy.enforce(
            "copy_image",
            Enforcer.credentials(Principal.of(ctx)),
            Map.of(),
            GlanceFaults::policyDenied);
        imports.copy(ImageScope.of(ctx), id, targets, origin);
      }
      default -> imports.importStaged(ImageScope.of(ctx), id, targets, origin);
    }
    Responses.noContent(ctx, null);
    ctx.status(202);
  }
}
