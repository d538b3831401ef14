package dev.glint.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.ImageQuotas;
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
  private final ImportService imports;
  private final ImageQuotas quotas;

  ImageImportEndpoint(ImportService imports, ImageQuotas quotas) {
    this.imports = imports;
    this.quotas = quotas;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.get(prefix + "/info/import", this::importInfo);
    routes.get(prefix + "/info/stores", this::storesInfo);
    routes.get(prefix + "/info/usage", this::usageInfo);
    routes.put(prefix + "/images/{image_id}/stage", this::stage);
    routes.post(prefix + "/images/{image_id}/import", this::importImage);
  }

  private void importInfo(Context ctx) {
    Map<String, Object> methods = new LinkedHashMap<>();
    methods.put("description", "Import methods available.");
    methods.put("type", "array");
    methods.put("value", imports.methods());
    Responses.json(ctx, 200, Json.bytes(Map.of("import-methods", methods)));
  }

  /** One store, the default; Glance spells the flag as the string "true". */
  private void storesInfo(Context ctx) {
    Map<String, Object> store = new LinkedHashMap<>();
    store.put("id", imports.storeId());
    store.put("default", "true");
    Responses.json(ctx, 200, Json.bytes(Map.of("stores", List.of(store))));
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
    if (name.asText().equals(ImportService.WEB_DOWNLOAD)) {
      JsonNode uri = method.get("uri");
      imports.importFromWeb(
          ImageScope.of(ctx), ImagesEndpoint.id(ctx), uri != null && uri.isTextual() ? uri.asText() : null);
    } else {
      imports.importStaged(ImageScope.of(ctx), ImagesEndpoint.id(ctx));
    }
    Responses.noContent(ctx, null);
    ctx.status(202);
  }
}
