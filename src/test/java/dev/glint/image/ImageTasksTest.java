package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.P2;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.awaitStatus;
import static dev.glint.image.ImageImportTest.DIRECT;
import static dev.glint.image.ImageImportTest.OCTETS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tasks API: each import recorded as Glance records an {@code api_image_import} task. */
class ImageTasksTest {
  static TestServer server;
  static ImageClient owner;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anImportIsATaskOfItsImageWithTheRequestAndTheOutcome() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    assertThat(json(owner.get("/v2/images/" + id + "/tasks")).get("tasks")).isEmpty();
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, new byte[1000]).statusCode())
        .isEqualTo(204);
    HttpResponse<String> r = owner.post("/v2/images/" + id + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(202);
    String requestId = r.headers().firstValue("x-openstack-request-id").orElseThrow();
    awaitStatus(owner, id, "active");

    JsonNode task = awaitTask(id, "success");
    assertThat(task.get("type").asText()).isEqualTo("api_image_import");
    assertThat(task.get("owner").asText()).isEqualTo(P1);
    assertThat(task.get("image_id").asText()).isEqualTo(id);
    assertThat(task.get("request_id").asText()).isEqualTo(requestId);
    assertThat(task.get("user_id").asText()).isNotEmpty();
    assertThat(task.get("input").get("image_id").asText()).isEqualTo(id);
    assertThat(task.get("input").get("import_req").get("method").get("name").asText())
        .isEqualTo("glance-direct");
    assertThat(task.get("input").get("backend").get(0).asText()).isEqualTo("file");
    assertThat(task.get("result").get("image_id").asText()).isEqualTo(id);
    assertThat(task.get("message").asText()).isEmpty();
    assertThat(task.get("self").asText()).isEqualTo("/v2/tasks/" + task.get("id").asText());
    assertThat(task.has("expires_at")).isTrue();

    // the same task by id, for its project and an admin; not for another project
    String taskId = task.get("id").asText();
    JsonNode shown = json(owner.get("/v2/tasks/" + taskId));
    assertThat(shown.get("status").asText()).isEqualTo("success");
    assertThat(shown.get("input").get("import_req").get("method").get("name").asText())
        .isEqualTo("glance-direct");
    ImageClient other = ImageClient.of(server, P2, "member");
    r = other.get("/v2/tasks/" + taskId);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(message(r)).isEqualTo("Task with the given id " + taskId + " was not found");
    assertThat(ImageClient.of(server, P2, "admin").get("/v2/tasks/" + taskId).statusCode())
        .isEqualTo(200);
    assertThat(other.get("/v2/images/" + id + "/tasks").statusCode()).isEqualTo(404);

    // lists: stubs of one's own project's tasks
    JsonNode list = json(owner.get("/v2/tasks"));
    assertThat(list.get("first").asText()).isEqualTo("/v2/tasks");
    assertThat(list.get("schema").asText()).isEqualTo("/v2/schemas/tasks");
    assertThat(list.get("tasks")).anyMatch(t -> t.get("id").asText().equals(taskId));
    assertThat(list.get("tasks").get(0).has("input")).isFalse();
    assertThat(json(other.get("/v2/tasks")).get("tasks"))
        .noneMatch(t -> t.get("id").asText().equals(taskId));

    // Both documents hold of what the API answers: every field described, every value valid.
    JsonNode taskSchema = json(owner.get("/v2/schemas/task"));
    assertDescribes(taskSchema, shown);
    JsonNode stubSchema = json(owner.get("/v2/schemas/tasks")).at("/properties/tasks/items");
    list.get("tasks").forEach(t -> assertDescribes(stubSchema, t));
  }

  static void assertDescribes(JsonNode schema, JsonNode value) {
    assertThat(schema.get("properties").properties().stream().map(java.util.Map.Entry::getKey))
        .containsAll(() -> value.properties().stream().map(java.util.Map.Entry::getKey).iterator());
    assertThat(ImageSchema.check(schema, value)).as(value.toString()).isNull();
  }

  /** {@code /v2/schemas/task} and {@code /v2/schemas/tasks}: Glance Zed's (api/v2/tasks.py). */
  @Test
  void theTaskSchemasAreGlances() {
    HttpResponse<String> r = owner.get("/v2/schemas/task");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(1539); // Glance's json.dumps of the document
    JsonNode task = json(r);
    assertThat(task.get("name").asText()).isEqualTo("task");
    assertThat(task.has("additionalProperties")).isFalse(); // Glance serves the minimal form
    assertThat(task.get("properties").properties().stream().map(java.util.Map.Entry::getKey))
        .containsExactly(
            "id", "type", "status", "input", "result", "owner", "message", "image_id",
            "request_id", "user_id", "expires_at", "created_at", "updated_at", "self", "schema");
    assertThat(task.at("/properties/type/enum").toString())
        .isEqualTo("[\"import\",\"api_image_import\"]");
    assertThat(task.at("/properties/status/enum").toString())
        .isEqualTo("[\"pending\",\"processing\",\"success\",\"failure\"]");
    assertThat(task.at("/properties/input/type").toString()).isEqualTo("[\"null\",\"object\"]");
    assertThat(task.at("/properties/self/readOnly").asBoolean()).isTrue();

    r = owner.get("/v2/schemas/tasks");
    assertThat(r.body()).hasSize(1364);
    JsonNode tasks = json(r);
    assertThat(tasks.get("name").asText()).isEqualTo("tasks");
    assertThat(tasks.at("/properties/schema/type").asText()).isEqualTo("string");
    assertThat(tasks.at("/links/0/rel").asText()).isEqualTo("describedby");
    assertThat(tasks.at("/links/0/href").asText()).isEqualTo("{schema}");
    JsonNode stub = tasks.at("/properties/tasks/items");
    assertThat(tasks.at("/properties/tasks/type").asText()).isEqualTo("array");
    assertThat(stub.get("name").asText()).isEqualTo("task");
    // The list's stubs leave out input, result and message (Glance's _get_partial_task_schema).
    assertThat(stub.get("properties").has("input")).isFalse();
    assertThat(stub.get("properties").has("result")).isFalse();
    assertThat(stub.get("properties").has("message")).isFalse();
    assertThat(stub.get("properties").has("expires_at")).isTrue();
    assertThat(owner.delete("/v2/schemas/task").statusCode()).isEqualTo(405);
  }

  static JsonNode awaitTask(String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode tasks = null;
    while (System.nanoTime() < deadline) {
      tasks = json(owner.get("/v2/images/" + id + "/tasks")).get("tasks");
      if (tasks.size() == 1 && tasks.get(0).get("status").asText().equals(status)) {
        return tasks.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("tasks of " + id + ": " + tasks);
  }
}
