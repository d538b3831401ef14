package dev.glint.image;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.catalog.ImportService;
import dev.glint.catalog.ImportTask;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.CreateImageRequest;
import dev.glint.error.ApiException;
import dev.glint.http.Principal;
import dev.glint.http.RequestIds;
import dev.glint.policy.Enforcer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Glance's tasks API: the import tasks ({@code api_image_import}) Glint records, per image ({@code
 * /v2/images/{id}/tasks}) and per project ({@code /v2/tasks}, Glance's filters and paging), and
 * the deprecated task create ({@code POST /v2/tasks}, type {@code import}).
 */
final class TasksEndpoint {
  private static final Set<String> SORT_KEYS =
      Set.of("id", "type", "created_at", "updated_at", "status");
  private static final List<String> SORT_KEY_ORDER =
      List.of("id", "type", "created_at", "updated_at", "status");
  private static final Set<String> STATUSES = Set.of("pending", "processing", "success", "failure");
  private static final Set<String> TYPES = Set.of("import", "api_image_import");

  private final ImportService imports;
  private final Enforcer policy;
  private final int maxLimit;

  TasksEndpoint(ImportService imports, Enforcer policy, int maxLimit) {
    this.imports = imports;
    this.policy = policy;
    this.maxLimit = maxLimit;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.get(prefix + "/images/{image_id}/tasks", this::ofImage);
    routes.get(prefix + "/tasks", this::list);
    routes.post(prefix + "/tasks", this::create);
    routes.get(prefix + "/tasks/{task_id}", this::show);
  }

  /** As Glance's {@code get_task_info}: the database rows, every field. */
  private void ofImage(Context ctx) {
    List<ImportTask> tasks = imports.tasksOf(ImageScope.of(ctx), ImagesEndpoint.id(ctx));
    Responses.json(
        ctx,
        200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("tasks");
              for (ImportTask t : tasks) {
                full(g, t);
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  /**
   * Glance's {@code tasks.py} create: {@code type} and {@code input} required, type {@code import}
   * only (the others are made by image import), 201 with the task {@code pending}.
   */
  private void create(Context ctx) {
    // Checked here: the route-table filter covers /images paths only.
    policy.enforce(
        "tasks_api_access",
        Enforcer.credentials(Principal.of(ctx)),
        Map.of(),
        GlanceFaults::policyDenied);
    JsonNode body = ImageRequests.json(ctx.bodyAsBytes());
    if (!body.isObject()) {
      throw ApiException.badRequest("Task 'type' is required");
    }
    for (String field : List.of("type", "input")) {
      if (!body.has(field)) {
        throw ApiException.badRequest("Task '" + field + "' is required");
      }
    }
    JsonNode type = body.get("type");
    if (!type.isTextual() || !type.asText().equals("import")) {
      throw ApiException.badRequest("Invalid type value: " + (type.isTextual() ? type.asText() : type));
    }
    JsonNode input = body.get("input");
    if (!input.isObject()) {
      throw ApiException.badRequest(
          "Provided object does not match schema 'task': " + input + " is not of type 'object'");
    }
    JsonNode from = input.get("import_from");
    ImportTask task =
        imports.createImportTask(
            ImageScope.of(ctx),
            new String(Json.bytes(input), StandardCharsets.UTF_8),
            from != null && from.isTextual() ? from.asText() : null,
            () -> properties(input),
            new ImportTask.Origin(RequestIds.of(ctx), Principal.of(ctx).userId(), "{}"));
    Responses.json(ctx, 201, Json.bytes(g -> full(g, task)));
  }

  /** The image the task makes, from {@code image_properties}; the task fails with the reason. */
  private static CreateImageRequest properties(JsonNode input) {
    for (String key : List.of("import_from_format", "image_properties")) {
      if (!input.has(key)) {
        throw new IllegalArgumentException("Input does not contain '" + key + "' field");
      }
    }
    JsonNode props = input.get("image_properties");
    if (!props.isObject()) {
      throw new IllegalArgumentException("image_properties must be an object");
    }
    return ImageRequests.create(props);
  }

  /**
   * Glance's {@code index}: filters {@code status} and {@code type}, {@code sort_key} ({@code
   * created_at}), {@code sort_dir} ({@code desc}), {@code limit} and {@code marker} (a task id),
   * with a {@code next} link when the page is full.
   */
  private void list(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiException.badRequest("Invalid status value: " + status);
    }
    String type = ctx.queryParam("type");
    if (type != null && !TYPES.contains(type)) {
      throw ApiException.badRequest("Invalid type value: " + type);
    }
    String sortKey = ctx.queryParam("sort_key") == null ? "created_at" : ctx.queryParam("sort_key");
    if (!SORT_KEYS.contains(sortKey)) {
      throw ApiException.badRequest(
          "Invalid sort key: " + sortKey + ". It must be one of the following: "
              + String.join(", ", SORT_KEY_ORDER) + ".");
    }
    String sortDir = ctx.queryParam("sort_dir") == null ? "desc" : ctx.queryParam("sort_dir");
    if (!sortDir.equals("asc") && !sortDir.equals("desc")) {
      throw ApiException.badRequest("Invalid sort direction: " + sortDir);
    }
    int limit = maxLimit;
    if (ctx.queryParam("limit") != null) {
      try {
        limit = Integer.parseInt(ctx.queryParam("limit").strip());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("limit param must be an integer");
      }
      if (limit < 0) {
        throw ApiException.badRequest("limit param must be positive");
      }
      limit = Math.min(limit, maxLimit);
    }
    String marker = ctx.queryParam("marker");
    List<ImportTask> all = new ArrayList<>();
    for (ImportTask t : imports.tasks(ImageScope.of(ctx))) {
      if ((status == null || t.status().equals(status)) && (type == null || t.type().equals(type))) {
        all.add(t);
      }
    }
    Comparator<ImportTask> order =
        switch (sortKey) {
          case "id" -> Comparator.comparing(ImportTask::id);
          case "type" -> Comparator.comparing(ImportTask::type);
          case "status" -> Comparator.comparing(ImportTask::status);
          case "updated_at" -> Comparator.comparing(ImportTask::updatedAt);
          default -> Comparator.comparing(ImportTask::createdAt);
        };
    // Ties broken by id, in the same direction, as Glance's paginate_query.
    order = order.thenComparing(ImportTask::id);
    all.sort(sortDir.equals("asc") ? order : order.reversed());
    int start = 0;
    if (marker != null) {
      start = -1;
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().equals(marker)) {
          start = i + 1;
        }
      }
      if (start < 0) {
        throw ApiException.badRequest("Task with the given id " + marker + " was not found");
      }
    }
    List<ImportTask> tasks = all.subList(start, Math.min(all.size(), start + limit));
    String next = null;
    if (!tasks.isEmpty() && tasks.size() == limit) {
      Map<String, String> params = new LinkedHashMap<>();
      for (String k : List.of("status", "type", "sort_key", "sort_dir", "limit")) {
        if (ctx.queryParam(k) != null) {
          params.put(k, ctx.queryParam(k));
        }
      }
      params.put("marker", tasks.getLast().id());
      StringBuilder q = new StringBuilder();
      params.forEach(
          (k, v) ->
              q.append(q.isEmpty() ? "" : "&")
                  .append(k)
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      next = "/v2/tasks?" + q;
    }
    String nextLink = next;
    Responses.json(
        ctx,
        200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("tasks");
              for (ImportTask t : tasks) {
                stub(g, t);
              }
              g.writeEndArray();
              g.writeStringField("first", "/v2/tasks");
              g.writeStringField("schema", "/v2/schemas/tasks");
              if (nextLink != null) {
                g.writeStringField("next", nextLink);
              }
              g.writeEndObject();
            }));
  }

  private void show(Context ctx) {
    ImportTask t = imports.task(ImageScope.of(ctx), ctx.pathParam("task_id"));
    Responses.json(ctx, 200, Json.bytes(g -> full(g, t)));
  }

  /** Glance's {@code _format_task}. */
  static void full(JsonGenerator g, ImportTask t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.id());
    g.writeFieldName("input");
    g.writeTree(Json.MAPPER.readTree(t.input()));
    g.writeStringField("type", t.type());
    g.writeStringField("status", t.status());
    g.writeStringField("owner", t.owner());
    g.writeStringField("message", t.message());
    g.writeFieldName("result");
    if (t.result() == null) {
      g.writeNull();
    } else {
      g.writeTree(Json.MAPPER.readTree(t.result()));
    }
    g.writeStringField("created_at", ImageView.time(t.createdAt()));
    g.writeStringField("updated_at", ImageView.time(t.updatedAt()));
    g.writeStringField("self", "/v2/tasks/" + t.id());
    g.writeStringField("schema", "/v2/schemas/task");
    if (t.imageId() != null) {
      g.writeStringField("image_id", t.imageId());
    }
    if (t.requestId() != null) {
      g.writeStringField("request_id", t.requestId());
    }
    if (t.userId() != null) {
      g.writeStringField("user_id", t.userId());
    }
    if (t.expiresAt() != null) {
      g.writeStringField("expires_at", ImageView.time(t.expiresAt()));
    }
    g.writeEndObject();
  }

  /** Glance's {@code _format_task_stub}, for lists. */
  static void stub(JsonGenerator g, ImportTask t) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.id());
    g.writeStringField("type", t.type());
    g.writeStringField("status", t.status());
    g.writeStringField("owner", t.owner());
    g.writeStringField("created_at", ImageView.time(t.createdAt()));
    g.writeStringField("updated_at", ImageView.time(t.updatedAt()));
    g.writeStringField("self", "/v2/tasks/" + t.id());
    g.writeStringField("schema", "/v2/schemas/task");
    if (t.expiresAt() != null) {
      g.writeStringField("expires_at", ImageView.time(t.expiresAt()));
    }
    g.writeEndObject();
  }
}
