package dev.glint.image;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.catalog.ImportService;
import dev.glint.catalog.ImportTask;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/**
 * Glance's tasks API, read-only: the import tasks ({@code api_image_import}) Glint records, per
 * image ({@code /v2/images/{id}/tasks}) and per project ({@code /v2/tasks}).
 */
final class TasksEndpoint {
  private final ImportService imports;

  TasksEndpoint(ImportService imports) {
    this.imports = imports;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.get(prefix + "/images/{image_id}/tasks", this::ofImage);
    routes.get(prefix + "/tasks", this::list);
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

  private void list(Context ctx) {
    List<ImportTask> tasks = imports.tasks(ImageScope.of(ctx));
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
