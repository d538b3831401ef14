package dev.glint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Imports left {@code importing} by a dead node are failed by another (issue 13): two nodes on one
 * PostgreSQL catalog, node A a separate process running a web-download from a server that never
 * finishes sending. While A lives its renewals keep the import; once A is killed, node B fails it
 * after the lease runs out: {@code queued}, {@code os_glance_failed_import} set, its task failed.
 */
class ImportLeaseTest {
  static final int LEASE_SECONDS = 2;
  static String storeUrl;
  static Path dataDir;
  static HttpServer web;
  static GlintProcess a;
  static TestServer b;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    storeUrl = TestStores.newPostgresSchema();
    dataDir = Files.createTempDirectory("glint-import-lease");
    // Sends 1 KiB every 100 ms, forever: the import stays importing while its node lives.
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/endless",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            byte[] kib = new byte[1024];
            while (true) {
              out.write(kib);
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException gone) {
            ex.close();
          }
        });
    web.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    web.start();
    b =
        TestServer.start(
            Map.of(
                "data.dir", dataDir.toString(),
                "store.url", storeUrl,
                "upload.lease.seconds", Integer.toString(LEASE_SECONDS)));
    a =
        GlintProcess.start(
            dataDir,
            storeUrl,
            Map.of(
                "GLINT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "GLINT_DEMO_PASSWORD", TestServer.DEMO_PASSWORD,
                "GLINT_UPLOAD_LEASE_SECONDS", Integer.toString(LEASE_SECONDS),
                "GLINT_IMPORT_ENABLED_METHODS", "glance-direct,web-download",
                "GLINT_IMPORT_FILTERING_ALLOW_LOOPBACK", "true",
                "GLINT_IMPORT_FILTERING_ALLOWED_PORTS", Integer.toString(web.getAddress().getPort()),
                "GLINT_LOG_LEVEL", "WARN"));
    token = b.demoToken();
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (web != null) {
      web.stop(0);
    }
    if (storeUrl != null) {
      TestStores.dropSchema(storeUrl);
    }
  }

  static HttpResponse<String> send(String url, String method, String json) {
    return b.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("X-Auth-Token", token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  static JsonNode image(String id) {
    return TestServer.json(b.get(b.imageUrl() + "/v2/images/" + id, token).body());
  }

  static void awaitStatus(String id, String wanted, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!image(id).path("status").asText().equals(wanted)) {
      assertThat(System.nanoTime()).as("image %s %s within %s", id, wanted, within).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void anImportWhoseNodeDiedIsFailedByAnotherNode() throws Exception {
    HttpResponse<String> created =
        send(
            b.imageUrl() + "/v2/images",
            "POST",
            "{\"name\": \"import-on-a\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = TestServer.json(created.body()).path("id").asText();
    String uri = "http://127.0.0.1:" + web.getAddress().getPort() + "/endless";
    HttpResponse<String> started =
        send(
            a.imageUrl() + "/v2/images/" + id + "/import",
            "POST",
            "{\"method\": {\"name\": \"web-download\", \"uri\": \"" + uri + "\"}}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    awaitStatus(id, "importing", Duration.ofSeconds(30));
    String task = image(id).path("os_glance_import_task").asText();
    assertThat(task).isNotEmpty();

    // Three leases long while node B sweeps every 0.67 s: node A's renewals keep it.
    Thread.sleep(3 * LEASE_SECONDS * 1000L);
    assertThat(image(id).path("status").asText()).as("renewed while node A lives").isEqualTo("importing");

    a.kill();
    awaitStatus(id, "queued", Duration.ofSeconds(LEASE_SECONDS + 30));
    JsonNode failed = image(id);
    assertThat(failed.path("os_glance_failed_import").asText()).isEqualTo("file");
    assertThat(failed.path("os_glance_importing_to_stores").asText()).isEmpty();
    assertThat(failed.has("os_glance_import_task")).isFalse();
    JsonNode t =
        TestServer.json(b.get(b.imageUrl() + "/v2/images/" + id + "/tasks", token).body())
            .get("tasks")
            .get(0);
    assertThat(t.path("id").asText()).isEqualTo(task);
    assertThat(t.path("status").asText()).isEqualTo("failure");
    assertThat(t.path("message").asText()).contains("lease expired");

    // The image takes data again, on the surviving node.
    HttpResponse<String> again =
        b.send(
            HttpRequest.newBuilder(URI.create(b.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("recovered"))
                .build());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
    assertThat(image(id).path("status").asText()).isEqualTo("active");
  }
}
