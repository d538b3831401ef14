package dev.glint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Uploads left {@code saving} by a dead node are recovered (issue 10): two nodes on one
 * PostgreSQL catalog, node A a separate process. An upload slower than the lease is kept by A's
 * renewals while B sweeps; once A is killed mid-upload, B puts the image back to queued after the
 * lease runs out, and it can be uploaded again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadLeaseTest {
  static final int LEASE_SECONDS = 2;
  static String storeUrl;
  static Path dataDir;
  static GlintProcess a;
  static TestServer b;
  static String token;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    storeUrl = TestStores.newPostgresSchema();
    dataDir = Files.createTempDirectory("glint-upload-lease");
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
    if (storeUrl != null) {
      TestStores.dropSchema(storeUrl);
    }
  }

  /** A body that sends 1 KiB every 100 ms for {@code seconds}, then ends (or never, if 0). */
  static InputStream trickle(int seconds) {
    long end = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
    return new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        if (System.nanoTime() > end) {
          return -1;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        int n = Math.min(len, 1024);
        java.util.Arrays.fill(buf, off, off + n, (byte) 'x');
        return n;
      }
    };
  }

  static String create(String name) {
    HttpResponse<String> r =
        b.send(
            HttpRequest.newBuilder(URI.create(b.imageUrl() + "/v2/images"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"" + name
                            + "\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                .build());
    assertThat(r.statusCode()).isEqualTo(201);
    return TestServer.json(r.body()).path("id").asText();
  }

  static CompletableFuture<HttpResponse<String>> uploadOn(String imageUrl, String id, int seconds) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(imageUrl + "/v2/images/" + id + "/file"))
            .header("X-Auth-Token", token)
            .header("Content-Type", "application/octet-stream")
            .timeout(Duration.ofMinutes(2))
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> trickle(seconds)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String status(String id) {
    JsonNode image = TestServer.json(b.get(b.imageUrl() + "/v2/images/" + id, token).body());
    return image.path("status").asText();
  }

  static void awaitStatus(String id, String wanted, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!status(id).equals(wanted)) {
      assertThat(System.nanoTime()).as("image %s %s within %s", id, wanted, within).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  @Order(1)
  void anUploadSlowerThanItsLeaseIsKeptByItsNodesRenewals() throws Exception {
    String id = create("slow-on-a");
    // Three leases long, while node B sweeps for expired leases every 0.67 s.
    CompletableFuture<HttpResponse<String>> upload = uploadOn(a.imageUrl(), id, 3 * LEASE_SECONDS);
    awaitStatus(id, "saving", Duration.ofSeconds(30));
    HttpResponse<String> done = upload.get();
    assertThat(done.statusCode()).as(done.body()).isEqualTo(204);
    assertThat(status(id)).isEqualTo("active");
  }

  @Test
  @Order(2)
  void anUploadWhoseNodeDiedIsQueuedAgainByAnotherNode() throws Exception {
    String id = create("cut-off-on-a");
    CompletableFuture<HttpResponse<String>> upload = uploadOn(a.imageUrl(), id, 0);
    awaitStatus(id, "saving", Duration.ofSeconds(30));
    Thread.sleep(3 * LEASE_SECONDS * 1000L);
    assertThat(status(id)).as("renewed while node A lives").isEqualTo("saving");
    a.kill();
    long killed = System.nanoTime();
    // The lease runs out at most LEASE_SECONDS after A's last renewal; B's sweep follows within a
    // third of it. A generous margin for a loaded machine.
    awaitStatus(id, "queued", Duration.ofSeconds(LEASE_SECONDS + 30));
    assertThat(Duration.ofNanos(System.nanoTime() - killed))
        .as("not before the lease ran out")
        .isGreaterThan(Duration.ofMillis(LEASE_SECONDS * 1000L / 3));
    upload.handle((r, e) -> null).get();
    // The image takes an upload again, on the surviving node.
    HttpResponse<String> again =
        b.send(
            HttpRequest.newBuilder(URI.create(b.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("recovered"))
                .build());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(204);
    assertThat(status(id)).isEqualTo("active");
    assertThat(b.get(b.imageUrl() + "/v2/images/" + id + "/file", token).body())
        .isEqualTo("recovered");
  }
}
