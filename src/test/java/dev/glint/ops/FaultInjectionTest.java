package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin fault-injection API (/glint/faults) and its effects, with curl-level and real clients. */
class FaultInjectionTest {
  private static TestServer server;
  private static String admin;

  @BeforeAll
  static void start() {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    server = TestServer.start(Map.of("faults.enabled", "true"));
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void noRules() {
    assertThat(delete(server.computeUrl() + "/glint/faults", admin).statusCode()).isEqualTo(204);
  }

  @Test
  void isAdminOnlyAndValidatesRules() {
    String faults = server.imageUrl() + "/glint/faults";
    assertThat(post(faults, null, "{}").statusCode()).isEqualTo(401);
    HttpResponse<String> member = post(faults, server.demoToken(), "{}");
    assertThat(member.statusCode()).isEqualTo(403);
    HttpResponse<String> bad = post(faults, admin, "{\"effect\": {\"status\": 418}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("effect.status must be one of");
    assertThat(post(faults, admin, "{\"effect\": {}}").statusCode()).isEqualTo(400);
    assertThat(post(faults, admin, "{\"match\": {\"colour\": \"red\"}, \"effect\": {\"status\": 503}}")
        .statusCode()).isEqualTo(400);
    assertThat(post(faults, admin, "not json").statusCode()).isEqualTo(400);
    // Keystone's fault format on the identity listener.
    HttpResponse<String> keystone = post(server.identityUrl() + "/glint/faults", admin, "[]");
    assertThat(keystone.statusCode()).isEqualTo(400);
    assertThat(TestServer.json(keystone.body()).at("/error/code").asInt()).isEqualTo(400);
  }

  @Test
  void isAbsentUnlessEnabled() {
    try (TestServer plain = TestServer.start()) {
      HttpResponse<String> r =
          plain.get(plain.computeUrl() + "/glint/faults", plain.adminToken());
      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void answersWithTheApisOwnFaultForCountTimesThenNormally() {
    JsonNode rule = add(server.computeUrl(), """
        {"match": {"listener": "compute", "method": "GET", "route": "/v2.1/images"},
         "effect": {"status": 503}, "count": 2}""");
    String url = server.computeUrl() + "/v2.1/images";
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = server.get(url, admin);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
      assertThat(TestServer.json(r.body()).at("/serviceUnavailable/code").asInt()).isEqualTo(503);
    }
    assertThat(server.get(url, admin).statusCode()).isEqualTo(200);
    // Exhausted rules leave the list.
    JsonNode list = TestServer.json(server.get(server.imageUrl() + "/glint/faults", admin).body());
    assertThat(list.get("faults")).isEmpty();
    assertThat(rule.at("/fault/remaining").asInt()).isEqualTo(2);

    add(server.computeUrl(), """
        {"match": {"route": "/v2.1/images/detail", "query": {"limit": "1"}},
         "effect": {"status": 413}}""");
    assertThat(server.get(server.computeUrl() + "/v2.1/images/detail", admin).statusCode())
        .isEqualTo(200);
    HttpResponse<String> over = server.get(server.computeUrl() + "/v2.1/images/detail?limit=1", admin);
    assertThat(over.statusCode()).isEqualTo(413);
    assertThat(TestServer.json(over.body()).at("/overLimit/code").asInt()).isEqualTo(413);

    // Glance's own (text) fault body on the image listener; a project match spares the others.
    String demo = server.demoToken();
    String demoId = server.app().tokens().validate(demo).orElseThrow().projectId();
    add(server.imageUrl(), """
        {"match": {"listener": "image", "project": "%s"}, "effect": {"status": 500}}"""
        .formatted(demoId));
    HttpResponse<String> glance = server.get(server.imageUrl() + "/v2/images", demo);
    assertThat(glance.statusCode()).isEqualTo(500);
    assertThat(server.get(server.imageUrl() + "/v2/images", admin).statusCode()).isEqualTo(200);

    add(server.computeUrl(), """
        {"match": {"listener": "compute", "route": "/v2.1/images/{image_id}"},
         "effect": {"status": 401}, "count": 1}""");
    HttpResponse<String> unauthorized = server.get(server.computeUrl() + "/v2.1/images/whatever", admin);
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void listsDelaysAndDeletesRules() {
    JsonNode rule = add(server.computeUrl(), """
        {"match": {"listener": "compute", "route": "/v2.1/images"}, "effect": {"delay_ms": 400},
         "ttl_seconds": 60}""");
    String id = rule.at("/fault/id").asText();
    long t0 = System.nanoTime();
    assertThat(server.get(server.computeUrl() + "/v2.1/images", admin).statusCode()).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(400);
    JsonNode one = TestServer.json(server.get(server.identityUrl() + "/glint/faults/" + id, admin).body());
    assertThat(one.at("/fault/hits").asInt()).isEqualTo(1);
    assertThat(one.at("/fault/remaining").isNull()).isTrue();
    assertThat(delete(server.computeUrl() + "/glint/faults/" + id, admin).statusCode()).isEqualTo(204);
    assertThat(delete(server.computeUrl() + "/glint/faults/" + id, admin).statusCode()).isEqualTo(404);
    assertThat(TestServer.json(server.get(server.computeUrl() + "/glint/faults", admin).body())
        .get("faults")).isEmpty();
  }

  @Test
  void cutsTheBodyOrResetsTheConnection() {
    add(server.computeUrl(), """
        {"match": {"route": "/v2.1/images"}, "effect": {"truncate_bytes": 10}, "count": 1}""");
    assertThatThrownBy(() -> server.get(server.computeUrl() + "/v2.1/images", admin))
        .isInstanceOf(java.io.UncheckedIOException.class);
    add(server.computeUrl(), """
        {"match": {"route": "/v2.1/images"}, "effect": {"reset": true}, "count": 1}""");
    assertThatThrownBy(() -> server.get(server.computeUrl() + "/v2.1/images", admin))
        .isInstanceOf(java.io.UncheckedIOException.class);
    // The server itself is unharmed.
    assertThat(server.get(server.computeUrl() + "/v2.1/images", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void cutsAStreamedDownloadMidBody() throws Exception {
    String token = server.demoToken();
    String image = server.imageUrl();
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(image + "/v2/images"))
        .header("X-Auth-Token", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\": \"cut\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
        .build());
    String id = TestServer.json(created.body()).get("id").asText();
    byte[] data = new byte[300_000];
    assertThat(server.send(HttpRequest.newBuilder(URI.create(image + "/v2/images/" + id + "/file"))
        .header("X-Auth-Token", token).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build()).statusCode()).isEqualTo(204);
    String path = "/v2/images/" + id + "/file";

    add(image, """
        {"match": {"route": "/v2/images/{image_id}/file", "method": "GET"},
         "effect": {"truncate_bytes": 1000}, "count": 1}""");
    Raw cut = raw(image, path, token);
    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.contentLength()).isEqualTo(300_000);
    assertThat(cut.bodyBytes()).isEqualTo(1000);

    add(image, """
        {"match": {"route": "/v2/images/{image_id}/file", "method": "GET"},
         "effect": {"reset": true}, "count": 1}""");
    Raw reset = raw(image, path, token);
    assertThat(reset.bodyBytes()).isLessThan(300_000);
    assertThat(reset.reset() || reset.bodyBytes() <= 150_000).isTrue();

    Raw whole = raw(image, path, token);
    assertThat(whole.bodyBytes()).isEqualTo(300_000);
  }

  /** What a raw HTTP/1.1 GET saw: status, announced length, body bytes before the end. */
  record Raw(int status, long contentLength, long bodyBytes, boolean reset) {}

  private static Raw raw(String base, String path, String token) throws Exception {
    URI uri = URI.create(base);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
          + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      boolean reset = false;
      try {
        in.transferTo(all);
      } catch (java.net.SocketException e) {
        reset = true;
      }
      byte[] bytes = all.toByteArray();
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("headers arrived").isPositive();
      String head = text.substring(0, end);
      int status = Integer.parseInt(head.split(" ")[1]);
      long length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
          .mapToLong(l -> Long.parseLong(l.substring(15).trim())).findFirst().orElse(-1);
      return new Raw(status, length, bytes.length - end - 4, reset);
    }
  }

  @Test
  void openstacksdkRidesOutInjectedUnavailability() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
    Assumptions.assumeTrue(
        new ProcessBuilder(python.toString(), "-c", "import openstack").start().waitFor() == 0,
        "openstacksdk is not installed (Debian: python3-openstacksdk)");
    add(server.imageUrl(), """
        {"match": {"listener": "image", "method": "GET", "route": "/v2/images"},
         "effect": {"status": 503}, "count": 3}""");
    JsonNode ok = sdk(5);
    assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
    // All three failures were served (the client saw and retried them), none is left.
    assertThat(TestServer.json(server.get(server.imageUrl() + "/glint/faults", admin).body())
        .get("faults")).isEmpty();

    // Without retries the same client fails on the first injected 503.
    add(server.imageUrl(), """
        {"match": {"listener": "image", "method": "GET", "route": "/v2/images"},
         "effect": {"status": 503}, "count": 1}""");
    JsonNode failed = sdk(0);
    assertThat(failed.get("ok").asBoolean()).as(failed.toString()).isFalse();
    assertThat(failed.get("status").asInt()).isEqualTo(503);
  }

  private static JsonNode sdk(int retries) throws Exception {
    Path script = Path.of(FaultInjectionTest.class.getResource("/ops/openstacksdk_list_images.py").toURI());
    Process p = new ProcessBuilder("/usr/bin/python3", script.toString(),
        server.identityUrl() + "/v3", TestServer.ADMIN_PASSWORD, Integer.toString(retries))
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String last = out.strip().lines().reduce((a, b) -> b).orElse("");
    assertThat(last).as(out).startsWith("{");
    return TestServer.json(last);
  }

  private static JsonNode add(String base, String rule) {
    HttpResponse<String> r = post(base + "/glint/faults", admin, rule);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestServer.json(r.body());
  }

  private static HttpResponse<String> post(String url, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    return server.send(b.build());
  }

  private static HttpResponse<String> delete(String url, String token) {
    return server.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token)
        .DELETE().build());
  }

}
