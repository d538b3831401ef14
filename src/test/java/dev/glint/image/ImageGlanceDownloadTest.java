package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code glance-download}: imports from the image service that the caller's catalog names for a
 * region and interface, here Glint itself (as tempest does it) and a fake Glance the test starts
 * and registers in the catalog (region {@code FakeRegion}) whose data download fails.
 */
@ExtendWith(LogLeakCheck.class) // the caller's token goes to the remote Glance, never to a log
class ImageGlanceDownloadTest {
  static final byte[] DATA = new byte[200_000];
  static final String MISSING = "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c";
  static final String FAKE_ID = "0b5a1a1e-1111-4222-8333-444455556666";
  static TestServer server;
  static TestServer custom;
  static TestServer filtered;
  static TestServer off;
  static ImageClient owner;
  static HttpServer fake;
  static final AtomicReference<String> fakeSawToken = new AtomicReference<>();

  /** Loopback on any port: Glint's own catalog endpoint passes the import filter. */
  static Map<String, String> enabled(String... more) {
    Map<String, String> m = new java.util.HashMap<>();
    m.put("import.enabled.methods", "glance-direct,glance-download");
    m.put("import.filtering.allow.loopback", "true");
    m.put("import.filtering.allowed.ports", "");
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  @BeforeAll
  static void start() throws Exception {
    new Random(13).nextBytes(DATA);
    server = TestServer.start(enabled());
    custom = TestServer.start(enabled("import.glance.download.extra.properties", "speed, os_"));
    filtered = TestServer.start(Map.of("import.enabled.methods", "glance-direct,glance-download"));
    off = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/v2/images/" + FAKE_ID,
        ex -> {
          fakeSawToken.set(ex.getRequestHeaders().getFirst("X-Auth-Token"));
          if (ex.getRequestURI().getPath().endsWith("/file")) {
            ex.sendResponseHeaders(500, -1);
            ex.close();
            return;
          }
          byte[] body =
              ("{\"id\": \"" + FAKE_ID + "\", \"status\": \"active\", \"size\": 10,"
                      + " \"disk_format\": \"qcow2\", \"container_format\": \"bare\","
                      + " \"hw_cpu_cores\": \"8\", \"hw_machine_type\": \"q35\","
                      + " \"os_distro\": \"fake\", \"os_glance_import_task\": \"x\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    fake.start();
    registerFakeGlance(server, "http://127.0.0.1:" + fake.getAddress().getPort());
  }

  /** Region FakeRegion with a public image endpoint at {@code url}, through the identity API. */
  static void registerFakeGlance(TestServer s, String url) {
    String admin = s.adminToken();
    assertThat(identity(s, "POST", "/regions", admin, "{\"region\": {\"id\": \"FakeRegion\"}}")
            .statusCode())
        .isEqualTo(201);
    String service =
        TestServer.json(identity(s, "GET", "/services?type=image", admin, null).body())
            .at("/services/0/id")
            .asText();
    HttpResponse<String> r =
        identity(
            s,
            "POST",
            "/endpoints",
            admin,
            "{\"endpoint\": {\"service_id\": \"" + service + "\", \"interface\": \"public\","
                + " \"region_id\": \"FakeRegion\", \"url\": \"" + url + "\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  static HttpResponse<String> identity(
      TestServer s, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.identityUrl() + "/v3" + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-Auth-Token", token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return s.send(b.build());
  }

  @AfterAll
  static void stop() {
    server.close();
    custom.close();
    filtered.close();
    off.close();
    fake.stop(0);
  }

  static String body(String remote, String region, String iface) {
    return "{\"method\": {\"name\": \"glance-download\", \"glance_image_id\": \"" + remote
        + "\", \"glance_region\": \"" + region + "\""
        + (iface == null ? "" : ", \"glance_service_interface\": \"" + iface + "\"") + "}}";
  }

  /** An active source image with tempest's properties, three copied by default and one not. */
  static String source(ImageClient c) {
    String src = c.createWithData(RAW, DATA);
    HttpResponse<String> r =
        c.patch(
            src,
            "[{\"op\": \"add\", \"path\": \"/hw_cpu_cores\", \"value\": \"5\"},"
                + " {\"op\": \"add\", \"path\": \"/trait:STORAGE_DISK_SSD\", \"value\": \"required\"},"
                + " {\"op\": \"add\", \"path\": \"/os_distro\", \"value\": \"rhel\"},"
                + " {\"op\": \"add\", \"path\": \"/speed\", \"value\": \"88mph\"}]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return src;
  }

  /** A queued ovf/iso destination with two properties the import overwrites or must leave. */
  static String destination(ImageClient c) {
    String dst =
        c.create("{\"disk_format\": \"iso\", \"container_format\": \"ovf\"}").get("id").asText();
    HttpResponse<String> r =
        c.patch(
            dst,
            "[{\"op\": \"add\", \"path\": \"/hw_cpu_cores\", \"value\": \"1\"},"
                + " {\"op\": \"add\", \"path\": \"/os_distro\", \"value\": \"windows\"}]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return dst;
  }

  static JsonNode awaitTask(ImageClient c, String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode tasks = null;
    while (System.nanoTime() < deadline) {
      tasks = json(c.get("/v2/images/" + id + "/tasks")).get("tasks");
      if (tasks.size() == 1 && tasks.get(0).get("status").asText().equals(status)) {
        return tasks.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("tasks of " + id + ": " + tasks);
  }

  @Test
  void infoImportListsGlanceDownloadOnlyWhenEnabled() {
    JsonNode on = json(owner.get("/v2/info/import")).at("/import-methods/value");
    assertThat(on.toString()).isEqualTo("[\"glance-direct\",\"glance-download\"]");
    ImageClient other = ImageClient.of(off, P1, "member");
    assertThat(json(other.get("/v2/info/import")).at("/import-methods/value").toString())
        .isEqualTo("[\"glance-direct\"]");
    String id = other.create(RAW).get("id").asText();
    HttpResponse<String> r =
        other.post("/v2/images/" + id + "/import", body(MISSING, "RegionOne", "public"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Unknown import method name 'glance-download'.");
  }

  @Test
  void importsTheRemoteImageWithItsFormatsAndTheDefaultProperties() throws Exception {
    String src = source(owner);
    String dst = destination(owner);
    // No interface: Glance's default, public, which the task's request then shows.
    HttpResponse<String> r =
        owner.post("/v2/images/" + dst + "/import", body(src, "regionone", null));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode task = awaitTask(owner, dst, "success");
    assertThat(task.at("/input/import_req/method/glance_service_interface").asText())
        .isEqualTo("public");
    JsonNode img = json(owner.get("/v2/images/" + dst));
    assertThat(img.get("status").asText()).isEqualTo("active");
    assertThat(img.get("disk_format").asText()).isEqualTo("raw");
    assertThat(img.get("container_format").asText()).isEqualTo("bare");
    assertThat(img.get("hw_cpu_cores").asText()).isEqualTo("5");
    assertThat(img.get("trait:STORAGE_DISK_SSD").asText()).isEqualTo("required");
    assertThat(img.get("os_distro").asText()).isEqualTo("rhel");
    assertThat(img.has("speed")).isFalse();
    assertThat(img.get("size").asLong()).isEqualTo(DATA.length);
    assertThat(img.get("checksum").asText()).isEqualTo(hex("MD5", DATA));
    assertThat(img.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", DATA));
    assertThat(img.get("os_glance_failed_import").asText()).isEmpty();
    assertThat(img.has("os_glance_import_task")).isFalse();
    ImageClient.Download copy = owner.downloadHashed(dst);
    assertThat(copy.md5()).isEqualTo(hex("MD5", DATA));
  }

  @Test
  void extraPropertiesConfiguredCopyOnlyThoseAndNeverReservedNames() throws Exception {
    ImageClient c = ImageClient.of(custom, P1, "member");
    String src = source(c);
    String dst = destination(c);
    HttpResponse<String> r =
        c.post("/v2/images/" + dst + "/import", body(src, "RegionOne", "public"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    awaitTask(c, dst, "success");
    JsonNode img = json(c.get("/v2/images/" + dst));
    assertThat(img.get("status").asText()).isEqualTo("active");
    assertThat(img.get("speed").asText()).isEqualTo("88mph");
    assertThat(img.get("os_distro").asText()).isEqualTo("rhel");
    // hw_ is not among the prefixes: the destination keeps its own value
    assertThat(img.get("hw_cpu_cores").asText()).isEqualTo("1");
    assertThat(img.has("trait:STORAGE_DISK_SSD")).isFalse();
    // os_ matches os_hash_algo, os_hidden...: base attributes, never copied as properties
    assertThat(img.get("os_hidden").asBoolean()).isFalse();
    assertThat(img.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", DATA));
  }

  @Test
  void aRemoteIdNotAUuidOrMissingParametersAre400AndNothingMoves() {
    String dst = owner.create(RAW).get("id").asText();
    HttpResponse<String> r =
        owner.post("/v2/images/" + dst + "/import", body("foo", "RegionOne", "public"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Remote image id does not look like a UUID: foo");
    r =
        owner.post(
            "/v2/images/" + dst + "/import",
            "{\"method\": {\"name\": \"glance-download\", \"glance_image_id\": \"" + MISSING
                + "\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .contains("'glance_region' needs to be set for glance-download import method");
    r =
        owner.post(
            "/v2/images/" + dst + "/import",
            "{\"method\": {\"name\": \"glance-download\", \"glance_region\": \"RegionOne\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .contains("'glance_image_id' needs to be set for glance-download import method");
    JsonNode img = json(owner.get("/v2/images/" + dst));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(json(owner.get("/v2/images/" + dst + "/tasks")).get("tasks")).isEmpty();
    // The image's state is checked first, as Glance does: an active one is 409.
    String active = owner.createWithData(RAW, DATA);
    r = owner.post("/v2/images/" + active + "/import", body("foo", "RegionOne", "public"));
    assertThat(r.statusCode()).isEqualTo(409);
  }

  @Test
  void aBadRegionOrInterfaceFailsTheTaskAndLeavesTheImageQueuedAsItWas() throws Exception {
    for (String[] where : new String[][] {{"not a region", "public"}, {"RegionOne", "bogus"}}) {
      String dst = destination(owner);
      HttpResponse<String> r =
          owner.post("/v2/images/" + dst + "/import", body(MISSING, where[0], where[1]));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      JsonNode task = awaitTask(owner, dst, "failure");
      assertThat(task.get("message").asText())
          .contains(where[1] + " glance endpoint not found for region " + where[0]);
      JsonNode img = json(owner.get("/v2/images/" + dst));
      assertThat(img.get("status").asText()).isEqualTo("queued");
      assertThat(img.get("hw_cpu_cores").asText()).isEqualTo("1");
      assertThat(img.get("os_distro").asText()).isEqualTo("windows");
      assertThat(img.get("disk_format").asText()).isEqualTo("iso");
      assertThat(img.has("os_glance_import_task")).isFalse();
    }
  }

  @Test
  void aMissingRemoteImageFailsTheTaskAndTheImageIsQueued() throws Exception {
    String dst = destination(owner);
    HttpResponse<String> r =
        owner.post("/v2/images/" + dst + "/import", body(MISSING, "RegionOne", "public"));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode task = awaitTask(owner, dst, "failure");
    assertThat(task.get("message").asText()).contains("HTTP 404");
    JsonNode img = json(owner.get("/v2/images/" + dst));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.get("os_distro").asText()).isEqualTo("windows");
    // the image can be imported again
    String src = source(owner);
    r = owner.post("/v2/images/" + dst + "/import", body(src, "RegionOne", "public"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    awaitStatus(owner, dst);
  }

  static void awaitStatus(ImageClient c, String id) throws InterruptedException {
    ImageDataTest.awaitStatus(c, id, "active");
  }

  @Test
  void aFailedDownloadPutsTheFormatsAndPropertiesBack() throws Exception {
    String dst = destination(owner);
    HttpResponse<String> r =
        owner.post("/v2/images/" + dst + "/import", body(FAKE_ID, "FakeRegion", "public"));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode task = awaitTask(owner, dst, "failure");
    assertThat(task.get("message").asText()).contains("HTTP 500");
    // the remote Glance was called with the caller's token
    assertThat(fakeSawToken.get()).isEqualTo(owner.token);
    JsonNode img = json(owner.get("/v2/images/" + dst));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.get("disk_format").asText()).isEqualTo("iso");
    assertThat(img.get("container_format").asText()).isEqualTo("ovf");
    assertThat(img.get("hw_cpu_cores").asText()).isEqualTo("1");
    assertThat(img.get("os_distro").asText()).isEqualTo("windows");
    assertThat(img.has("hw_machine_type")).isFalse();
    assertThat(img.get("os_glance_failed_import").asText()).isEqualTo("file");
  }

  @Test
  void theImportFilterAppliesToTheCatalogEndpointAsInGlance() throws Exception {
    ImageClient c = ImageClient.of(filtered, P1, "member");
    String src = c.createWithData(RAW, DATA);
    String dst = c.create(RAW).get("id").asText();
    HttpResponse<String> r =
        c.post("/v2/images/" + dst + "/import", body(src, "RegionOne", "public"));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode task = awaitTask(c, dst, "failure");
    assertThat(task.get("message").asText()).contains("not allowed");
    assertThat(json(c.get("/v2/images/" + dst)).get("status").asText()).isEqualTo("queued");
  }
}
