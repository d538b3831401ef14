package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.P2;
import static dev.glint.image.ImageDataTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Glance's deprecated {@code POST /v2/tasks} (type import) and the task list's filters. */
class TaskCreateTest {
  static final byte[] DATA = new byte[200_000];
  static HttpServer web;
  static int port;
  static TestServer server;
  static ImageClient admin;
  static ImageClient member;

  @BeforeAll
  static void start() throws Exception {
    new Random(9).nextBytes(DATA);
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/data",
        ex -> {
          ex.sendResponseHeaders(200, DATA.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(DATA);
          }
        });
    web.createContext(
        "/missing",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    web.start();
    port = web.getAddress().getPort();
    server =
        TestServer.start(
            Map.of(
                "import.filtering.allowed.hosts", "127.0.0.1",
                "import.filtering.allowed.ports", Integer.toString(port)));
    admin = ImageClient.of(server, P1, "admin", "member");
    member = ImageClient.of(server, P2, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
    web.stop(0);
  }

  static String body(String path) {
    return "{\"type\": \"import\", \"input\": {\"import_from\": \"http://127.0.0.1:" + port + path
        + "\", \"import_from_format\": \"raw\", \"image_properties\": {\"name\": \"from-task\","
        + " \"disk_format\": \"raw\", \"container_format\": \"bare\"}}}";
  }

  static JsonNode awaitEnd(String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode t = null;
    while (System.nanoTime() < deadline) {
      t = json(admin.get("/v2/tasks/" + taskId));
      String s = t.get("status").asText();
      if (s.equals("success") || s.equals("failure")) {
        return t;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("task did not end: " + t);
  }

  @Test
  void anImportTaskCreatesTheImageFromTheUri() throws Exception {
    HttpResponse<String> r = admin.post("/v2/tasks", body("/data"));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode task = json(r);
    assertThat(task.get("type").asText()).isEqualTo("import");
    assertThat(task.get("status").asText()).isIn("pending", "processing", "success");
    assertThat(task.get("input").get("import_from_format").asText()).isEqualTo("raw");
    assertThat(task.get("owner").asText()).isEqualTo(P1);
    JsonNode done = awaitEnd(task.get("id").asText());
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("success");
    assertThat(done.get("expires_at").isTextual()).isTrue();
    String image = done.get("result").get("image_id").asText();
    JsonNode img = json(admin.get("/v2/images/" + image));
    assertThat(img.get("status").asText()).isEqualTo("active");
    assertThat(img.get("name").asText()).isEqualTo("from-task");
    assertThat(img.get("owner").asText()).isEqualTo(P1);
    assertThat(img.get("checksum").asText()).isEqualTo(hex("MD5", DATA));
  }

  @Test
  void aFailedFetchFailsTheTaskAndLeavesNoImage() throws Exception {
    int before = json(admin.get("/v2/images")).get("images").size();
    JsonNode task = json(admin.post("/v2/tasks", body("/missing")));
    JsonNode done = awaitEnd(task.get("id").asText());
    assertThat(done.get("status").asText()).isEqualTo("failure");
    assertThat(done.get("message").asText()).contains("404");
    assertThat(done.get("result").isNull()).isTrue();
    assertThat(json(admin.get("/v2/images")).get("images").size()).isEqualTo(before);

    String noFormat =
        "{\"type\": \"import\", \"input\": {\"import_from\": \"http://127.0.0.1:" + port
            + "/data\", \"image_properties\": {}}}";
    done = awaitEnd(json(admin.post("/v2/tasks", noFormat)).get("id").asText());
    assertThat(done.get("status").asText()).isEqualTo("failure");
    assertThat(done.get("message").asText())
        .isEqualTo("Input does not contain 'import_from_format' field");
  }

  @Test
  void badRequestsAndNonAdminsAreRefused() {
    HttpResponse<String> r = member.post("/v2/tasks", body("/data"));
    assertThat(r.statusCode()).isEqualTo(403);
    r = admin.post("/v2/tasks", "{\"input\": {}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Task 'type' is required");
    r = admin.post("/v2/tasks", "{\"type\": \"import\"}");
    assertThat(message(r)).isEqualTo("Task 'input' is required");
    r = admin.post("/v2/tasks", "{\"type\": \"clone\", \"input\": {}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Invalid type value: clone");
    r = admin.post("/v2/tasks", "{\"type\": \"import\", \"input\": 3}");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void listFiltersSortsAndPagesAsGlance() throws Exception {
    String a = json(admin.post("/v2/tasks", body("/data"))).get("id").asText();
    String b = json(admin.post("/v2/tasks", body("/missing"))).get("id").asText();
    awaitEnd(a);
    awaitEnd(b);
    JsonNode failures = json(admin.get("/v2/tasks?status=failure"));
    assertThat(failures.get("tasks").findValuesAsText("status")).containsOnly("failure");
    assertThat(failures.get("tasks").findValuesAsText("id")).contains(b).doesNotContain(a);
    assertThat(json(admin.get("/v2/tasks?type=api_image_import")).get("tasks")).isEmpty();

    JsonNode page = json(admin.get("/v2/tasks?limit=1&sort_key=created_at&sort_dir=asc"));
    assertThat(page.get("tasks")).hasSize(1);
    String first = page.get("tasks").get(0).get("id").asText();
    assertThat(page.get("next").asText()).contains("marker=" + first);
    JsonNode second = json(admin.get("/v2/tasks?limit=1&sort_key=created_at&sort_dir=asc&marker=" + first));
    assertThat(second.get("tasks").get(0).get("id").asText()).isNotEqualTo(first);

    assertThat(message(admin.get("/v2/tasks?status=done"))).isEqualTo("Invalid status value: done");
    assertThat(message(admin.get("/v2/tasks?sort_dir=up"))).isEqualTo("Invalid sort direction: up");
    assertThat(message(admin.get("/v2/tasks?sort_key=owner")))
        .isEqualTo(
            "Invalid sort key: owner. It must be one of the following: id, type, created_at,"
                + " updated_at, status.");
    assertThat(message(admin.get("/v2/tasks?limit=x"))).isEqualTo("limit param must be an integer");
    assertThat(admin.get("/v2/tasks?marker=nope").statusCode()).isEqualTo(400);
    // Another project sees none of them.
    assertThat(json(member.get("/v2/tasks")).get("tasks").findValuesAsText("id"))
        .doesNotContain(a, b);
  }
}
