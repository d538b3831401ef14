package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.P2;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.awaitStatus;
import static dev.glint.image.ImageDataTest.hex;
import static dev.glint.image.ImageImportTest.OCTETS;
import static dev.glint.image.ImageImportTest.staged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code web-download} import from a local HTTP server the test starts (port 0) and explicitly
 * allows, and Glance's {@code [import_filtering_opts]} refusals with the default filter.
 */
class ImageWebDownloadTest {
  static final byte[] DATA = new byte[300_000];
  static HttpServer web;
  static int port;
  static TestServer allowed;
  static TestServer filtered;
  static TestServer plain;
  static ImageClient owner;

  @BeforeAll
  static void start() throws Exception {
    new Random(7).nextBytes(DATA);
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
        "/chunked",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < DATA.length; i += 7000) {
              out.write(DATA, i, Math.min(7000, DATA.length - i));
              out.flush();
            }
          }
        });
    web.createContext(
        "/short",
        ex -> {
          // announces more than it sends, then drops the connection
          ex.sendResponseHeaders(200, DATA.length);
          OutputStream out = ex.getResponseBody();
          out.write(DATA, 0, 1000);
          out.flush();
          ex.close();
        });
    web.createContext(
        "/missing",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    web.createContext("/to-data", ex -> redirect(ex, "/data"));
    web.createContext("/to-port-1", ex -> redirect(ex, "http://127.0.0.1:1/data"));
    web.start();
    port = web.getAddress().getPort();
    allowed =
        TestServer.start(
            Map.of(
                "import.enabled.methods", "glance-direct,web-download",
                "import.filtering.allowed.hosts", "127.0.0.1",
                "import.filtering.allowed.ports", Integer.toString(port)));
    filtered = TestServer.start(Map.of("import.enabled.methods", "glance-direct, web-download"));
    plain = TestServer.start();
    owner = ImageClient.of(allowed, P1, "member");
  }

  static void redirect(com.sun.net.httpserver.HttpExchange ex, String to) throws java.io.IOException {
    ex.getResponseHeaders().add("Location", to);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  @AfterAll
  static void stop() {
    allowed.close();
    filtered.close();
    plain.close();
    web.stop(0);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static String body(String uri) {
    return "{\"method\": {\"name\": \"web-download\", \"uri\": \"" + uri + "\"}}";
  }

  @Test
  void infoImportListsWebDownloadOnlyWhenEnabled() {
    JsonNode on = json(owner.get("/v2/info/import")).get("import-methods").get("value");
    assertThat(on).hasSize(2);
    assertThat(on.get(0).asText()).isEqualTo("glance-direct");
    assertThat(on.get(1).asText()).isEqualTo("web-download");
    ImageClient other = ImageClient.of(plain, P1, "member");
    JsonNode off = json(other.get("/v2/info/import")).get("import-methods").get("value");
    assertThat(off).hasSize(1);
    String id = other.create(RAW).get("id").asText();
    HttpResponse<String> r = other.post("/v2/images/" + id + "/import", body(url("/data")));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Unknown import method name 'web-download'.");
  }

  @Test
  void webDownloadStreamsTheDataInAndMakesTheImageActive() throws Exception {
    for (String path : new String[] {"/data", "/chunked", "/to-data"}) {
      String id = owner.create(RAW).get("id").asText();
      HttpResponse<String> r = owner.post("/v2/images/" + id + "/import", body(url(path)));
      assertThat(r.statusCode()).as(path).isEqualTo(202);
      awaitStatus(owner, id, "active");
      JsonNode img = json(owner.get("/v2/images/" + id));
      assertThat(img.get("size").asLong()).as(path).isEqualTo(DATA.length);
      assertThat(img.get("checksum").asText()).isEqualTo(hex("MD5", DATA));
      assertThat(img.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", DATA));
      assertThat(img.get("stores").asText()).isEqualTo("file");
      assertThat(img.get("os_glance_failed_import").asText()).isEmpty();
      assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
      assertThat(img.has("os_glance_import_task")).isFalse();
      HttpResponse<byte[]> down =
          allowed.http()
              .send(
                  owner.request("/v2/images/" + id + "/file").GET().build(),
                  BodyHandlers.ofByteArray());
      assertThat(down.body()).isEqualTo(DATA);
      assertThat(staged(allowed)).noneMatch(p -> p.getFileName().toString().startsWith(id));
    }
  }

  @Test
  void aFailedDownloadLeavesTheImageQueuedWithTheStoreFailedAndNothingStaged() throws Exception {
    // cut off mid-body, an HTTP error, a redirect the filter refuses
    for (String path : new String[] {"/short", "/missing", "/to-port-1"}) {
      String id = owner.create(RAW).get("id").asText();
      assertThat(owner.post("/v2/images/" + id + "/import", body(url(path))).statusCode())
          .as(path)
          .isEqualTo(202);
      JsonNode img = awaitFailed(id);
      assertThat(img.get("status").asText()).as(path).isEqualTo("queued");
      assertThat(img.get("size").isNull()).isTrue();
      assertThat(img.has("os_glance_import_task")).isFalse();
      assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
      assertThat(staged(allowed)).noneMatch(p -> p.getFileName().toString().startsWith(id));
      JsonNode task = json(owner.get("/v2/images/" + id + "/tasks")).get("tasks").get(0);
      assertThat(task.get("status").asText()).isEqualTo("failure");
      assertThat(task.get("message").asText()).startsWith("Failed to download the image data: ");
      // and it may be imported again
      assertThat(owner.post("/v2/images/" + id + "/import", body(url("/data"))).statusCode())
          .isEqualTo(202);
      awaitStatus(owner, id, "active");
    }
  }

  static JsonNode awaitFailed(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode img = null;
    while (System.nanoTime() < deadline) {
      img = json(owner.get("/v2/images/" + id));
      // Both: a show reads the row and its properties in two statements, so one may be newer.
      if (img.path("os_glance_failed_import").asText().equals("file")
          && img.path("status").asText().equals("queued")) {
        return img;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("import of " + id + " did not fail: " + img);
  }

  @Test
  void importErrorsAreGlances() {
    String staged = owner.create(RAW).get("id").asText();
    assertThat(owner.put("/v2/images/" + staged + "/stage", OCTETS, new byte[10]).statusCode())
        .isEqualTo(204);
    HttpResponse<String> r = owner.post("/v2/images/" + staged + "/import", body(url("/data")));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("Image needs to be in 'queued' state to use 'web-download' method");

    String id = owner.create(RAW).get("id").asText();
    r = owner.post("/v2/images/" + id + "/import", "{\"method\": {\"name\": \"web-download\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("URI for web-download does not pass filtering: None");

    String bare = owner.create("{\"disk_format\": \"raw\"}").get("id").asText();
    r = owner.post("/v2/images/" + bare + "/import", body(url("/data")));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("'container_format' needs to be set before import");

    r = ImageClient.of(allowed, P2, "member").post("/v2/images/" + id + "/import", body(url("/data")));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(owner.get("/v2/images/" + id)).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void theDefaultFilterRefusesLoopbackOtherPortsSchemesAndEncodedHosts() {
    ImageClient c = ImageClient.of(filtered, P1, "member");
    String id = c.create(RAW).get("id").asText();
    for (String uri :
        new String[] {
          url("/data"), // port not 80/443
          "http://127.0.0.1/data", // loopback
          "http://[::1]/data",
          "http://169.254.169.254/latest/meta-data", // link-local (cloud metadata)
          "http://10.0.0.1/data", // private
          "http://2130706433/data", // 127.0.0.1, decimal
          "http://127.1/data",
          "ftp://example.com/data",
          "file:///etc/passwd"
        }) {
      HttpResponse<String> r = c.post("/v2/images/" + id + "/import", body(uri));
      assertThat(r.statusCode()).as(uri).isEqualTo(400);
      assertThat(message(r)).isEqualTo("URI for web-download does not pass filtering: " + uri);
    }
    JsonNode img = json(c.get("/v2/images/" + id));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.has("os_glance_import_task")).isFalse();
  }

  @Test
  void aHostNameIsResolvedAtFetchTimeAndAFailedLookupOrLoopbackFailsTheImport() throws Exception {
    ImageClient c = ImageClient.of(filtered, P1, "member");
    for (String uri : new String[] {"http://localhost/data", "http://does-not.exist/no/way"}) {
      String id = c.create(RAW).get("id").asText();
      assertThat(c.post("/v2/images/" + id + "/import", body(uri)).statusCode()).as(uri).isEqualTo(202);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      JsonNode img = json(c.get("/v2/images/" + id));
      while (!(img.path("os_glance_failed_import").asText().equals("file")
              && img.path("status").asText().equals("queued"))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
        img = json(c.get("/v2/images/" + id));
      }
      assertThat(img.get("os_glance_failed_import").asText()).as(uri).isEqualTo("file");
      assertThat(img.get("status").asText()).isEqualTo("queued");
    }
  }
}
