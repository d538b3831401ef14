package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * External Keystone mode against a second Glint acting as the Keystone: Glint issues no tokens and
 * has no identity listener; the other Keystone's users list and create images through both APIs;
 * a revocation there is noticed within the cache TTL; when it is down, 503 with Retry-After.
 */
@ExtendWith(LogLeakCheck.class)
class ExternalKeystoneTest {
  static final String SERVICE_PASSWORD = "glint-service-password";

  static {
    // Glint sends it to the other Keystone itself; the log check must look for it too.
    SecretsSeen.add(SERVICE_PASSWORD);
  }

  static HttpResponse<String> call(
      TestServer server, String method, String url, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return server.send(b.build());
  }

  /** A service user with the {@code service} role on project admin, as a deployer would make. */
  static void serviceUser(TestServer keystone) {
    String admin = keystone.adminToken();
    String v3 = keystone.identityUrl() + "/v3";
    String role =
        TestServer.json(call(keystone, "POST", v3 + "/roles", admin,
                "{\"role\": {\"name\": \"service\"}}").body())
            .at("/role/id").asText();
    String user =
        TestServer.json(call(keystone, "POST", v3 + "/users", admin,
                "{\"user\": {\"name\": \"glint\", \"password\": \"" + SERVICE_PASSWORD + "\"}}")
                .body())
            .at("/user/id").asText();
    String project =
        TestServer.json(call(keystone, "GET", v3 + "/projects?name=admin", admin, null).body())
            .at("/projects/0/id").asText();
    assertThat(call(keystone, "PUT", v3 + "/projects/" + project + "/users/" + user + "/roles/"
            + role, admin, null).statusCode())
        .isEqualTo(204);
  }

  static Map<String, String> external(TestServer keystone) {
    return Map.of(
        "identity.external.url", keystone.identityUrl(),
        "identity.external.username", "glint",
        "identity.external.password", SERVICE_PASSWORD,
        "identity.external.project", "admin",
        "identity.external.cache.seconds", "2");
  }

  @Test
  void anotherKeystonesUsersListAndCreateImagesThroughBothApis() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      try (TestServer glint = TestServer.start(external(keystone))) {
        String demo = keystone.demoToken();
        String project = keystone.app().tokens().validate(demo).orElseThrow().projectId();

        HttpResponse<String> created =
            call(glint, "POST", glint.imageUrl() + "/v2/images", demo,
                "{\"name\": \"from-elsewhere\", \"disk_format\": \"raw\","
                    + " \"container_format\": \"bare\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(TestServer.json(created.body()).get("owner").asText()).isEqualTo(project);
        HttpResponse<String> listed =
            call(glint, "GET", glint.computeUrl() + "/v2.1/" + project + "/images", demo, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("from-elsewhere");
        assertThat(call(glint, "GET", glint.imageUrl() + "/v2/images", demo, null).body())
            .contains("from-elsewhere");

        // Not a token of that Keystone: 401, pointing at it.
        HttpResponse<String> forged =
            call(glint, "GET", glint.imageUrl() + "/v2/images", glint.tokenFor(project, "admin"),
                null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate"))
            .hasValue("Keystone uri=\"" + keystone.identityUrl() + "\"");

        // No identity listener, no tokens issued here.
        assertThatThrownBy(() ->
                glint.http().send(
                    HttpRequest.newBuilder(URI.create(glint.identityUrl() + "/v3")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void aRevocationIsNoticedWithinTheCacheTtl() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      try (TestServer glint = TestServer.start(external(keystone))) {
        String demo = keystone.demoToken();
        String list = glint.computeUrl() + "/v2.1/images";
        assertThat(call(glint, "GET", list, demo, null).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked =
            keystone.send(
                HttpRequest.newBuilder(URI.create(keystone.identityUrl() + "/v3/auth/tokens"))
                    .header("X-Auth-Token", demo)
                    .header("X-Subject-Token", demo)
                    .DELETE()
                    .build());
        assertThat(revoked.statusCode()).isEqualTo(204);

        Instant deadline = Instant.now().plusSeconds(10);
        int status = 200;
        while (status == 200 && Instant.now().isBefore(deadline)) {
          Thread.sleep(250);
          status = call(glint, "GET", list, demo, null).statusCode();
        }
        assertThat(status).isEqualTo(401);
      }
    }
  }

  @Test
  void aTokenThatKeystoneAcceptedIsAnsweredOnTheHotLaneUntilItsCacheEntryEnds() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      try (TestServer glint = TestServer.start(external(keystone))) {
        String demo = keystone.demoToken();
        String list = glint.computeUrl() + "/v2.1/images";
        assertThat(call(glint, "GET", list, demo, null).statusCode()).isEqualTo(200);
        double before = glint.hotAnswers("compute");
        HttpResponse<String> again = call(glint, "GET", list, demo, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(glint.hotAnswers("compute")).isEqualTo(before + 1);
        // A token Keystone never saw is still asked about, through the pipeline: 401.
        assertThat(call(glint, "GET", list, demo + "x", null).statusCode()).isEqualTo(401);
        assertThat(glint.hotAnswers("compute")).isEqualTo(before + 1);
      }
    }
  }

  @Test
  void anUnreachableKeystoneIs503WithRetryAfterNever401() throws Exception {
    TestServer keystone = TestServer.start();
    serviceUser(keystone);
    try (TestServer glint = TestServer.start(external(keystone))) {
      String demo = keystone.demoToken();
      keystone.close();

      HttpResponse<String> image = call(glint, "GET", glint.imageUrl() + "/v2/images", demo, null);
      assertThat(image.statusCode()).isEqualTo(503);
      assertThat(image.headers().firstValue("Retry-After")).hasValue("5");
      HttpResponse<String> compute =
          call(glint, "GET", glint.computeUrl() + "/v2.1/images", demo, null);
      assertThat(compute.statusCode()).isEqualTo(503);
      assertThat(compute.headers().firstValue("Retry-After")).hasValue("5");
      JsonNode fault = TestServer.json(compute.body()).get("serviceUnavailable");
      assertThat(fault.get("code").asInt()).isEqualTo(503);
      assertThat(fault.get("message").asText()).contains("identity service");
    }
  }

  /** A token of a new application credential of the demo user there, with these access rules. */
  static String credentialToken(TestServer keystone, String name, String rules) {
    String demo = keystone.demoToken();
    String user = keystone.app().tokens().validate(demo).orElseThrow().userId();
    String v3 = keystone.identityUrl() + "/v3";
    HttpResponse<String> created =
        call(keystone, "POST", v3 + "/users/" + user + "/application_credentials", demo,
            "{\"application_credential\": {\"name\": \"" + name + "\""
                + (rules == null ? "" : ", \"access_rules\": " + rules) + "}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode cred = TestServer.json(created.body()).get("application_credential");
    SecretsSeen.add(cred.get("secret").asText());
    HttpResponse<String> login =
        call(keystone, "POST", v3 + "/auth/tokens", null,
            "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"],"
                + " \"application_credential\": {\"id\": \"" + cred.get("id").asText()
                + "\", \"secret\": \"" + cred.get("secret").asText() + "\"}}}}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
    return login.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  @Test
  void accessRulesFromThatKeystonesTokensAreEnforcedAsKeystonemiddlewareDoes() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      try (TestServer glint = TestServer.start(external(keystone))) {
        String project =
            keystone.app().tokens().validate(keystone.demoToken()).orElseThrow().projectId();
        String computeList = glint.computeUrl() + "/v2.1/" + project + "/images";
        String ruled = credentialToken(keystone, "list-images",
            "[{\"service\": \"image\", \"method\": \"GET\", \"path\": \"/v2/images\"},"
                + " {\"service\": \"compute\", \"method\": \"GET\", \"path\": \"/v2.1/*/images\"}]");
        assertThat(call(glint, "GET", glint.imageUrl() + "/v2/images", ruled, null).statusCode())
            .isEqualTo(200);
        assertThat(call(glint, "GET", computeList, ruled, null).statusCode()).isEqualTo(200);
        assertThat(call(glint, "GET", glint.imageUrl() + "/v2/schemas/image", ruled, null)
            .statusCode()).isEqualTo(401);
        assertThat(call(glint, "POST", glint.imageUrl() + "/v2/images", ruled, IMAGE_BODY)
            .statusCode()).isEqualTo(401);
        // A credential without rules may do anything its roles allow.
        String plain = credentialToken(keystone, "anything", null);
        assertThat(call(glint, "POST", glint.imageUrl() + "/v2/images", plain, IMAGE_BODY)
            .statusCode()).isEqualTo(201);

        // A service type missing from the token's catalog: refused even where a rule matches.
        String admin = keystone.adminToken();
        String v3 = keystone.identityUrl() + "/v3";
        String compute = TestServer.json(
                call(keystone, "GET", v3 + "/services?type=compute", admin, null).body())
            .at("/services/0/id").asText();
        assertThat(call(keystone, "PATCH", v3 + "/services/" + compute, admin,
                "{\"service\": {\"enabled\": false}}").statusCode())
            .isEqualTo(200);
        String uncatalogued = credentialToken(keystone, "no-compute",
            "[{\"service\": \"compute\", \"method\": \"GET\", \"path\": \"/v2.1/*/images\"}]");
        assertThat(call(glint, "GET", computeList, uncatalogued, null).statusCode())
            .isEqualTo(401);
      }
    }
  }

  static final String IMAGE_BODY =
      "{\"name\": \"linked\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}";

  /** The href of the first image's link of {@code rel} in a compute list. */
  static String computeLink(HttpResponse<String> list, String rel) {
    for (JsonNode link : TestServer.json(list.body()).at("/images/0/links")) {
      if (link.get("rel").asText().equals(rel)) {
        return link.get("href").asText();
      }
    }
    throw new AssertionError("no " + rel + " link in " + list.body());
  }

  @Test
  void linksNameTheUrlsThatKeystonesCatalogHasForGlint() throws Exception {
    // That Keystone's catalog registers Glint's services under these URLs (not where the test
    // reaches its listeners): links must name them.
    try (TestServer keystone =
        TestServer.start(
            Map.of(
                "image.public.url", "http://images.example.org:9292/",
                "compute.public.url", "https://cloud.example.org/compute"))) {
      serviceUser(keystone);
      try (TestServer glint = TestServer.start(external(keystone))) {
        assertThat(glint.app().config().image().publicUrl())
            .isEqualTo("http://images.example.org:9292");
        assertThat(glint.app().config().compute().publicUrl())
            .isEqualTo("https://cloud.example.org/compute");
        assertThat(glint.app().config().identity().publicUrl()).isEqualTo(keystone.identityUrl());

        String demo = keystone.demoToken();
        String project = keystone.app().tokens().validate(demo).orElseThrow().projectId();
        HttpResponse<String> created =
            call(glint, "POST", glint.imageUrl() + "/v2/images", demo, IMAGE_BODY);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = TestServer.json(created.body()).get("id").asText();
        assertThat(created.headers().firstValue("Location"))
            .hasValue("http://images.example.org:9292/v2/images/" + id);
        HttpResponse<String> listed =
            call(glint, "GET", glint.computeUrl() + "/v2.1/" + project + "/images", demo, null);
        assertThat(computeLink(listed, "self"))
            .isEqualTo("https://cloud.example.org/compute/v2.1/" + project + "/images/" + id);
        assertThat(computeLink(listed, "alternate"))
            .isEqualTo("http://images.example.org:9292/" + project + "/images/" + id);
        assertThat(call(glint, "GET", glint.computeUrl() + "/", null, null).body())
            .contains("https://cloud.example.org/compute/v2.1/");
      }
    }
  }

  @Test
  void linksKeepTheConfiguredUrlsWhereThatCatalogHasNone() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      // That Keystone's catalog is all RegionOne: nothing for a Glint in RegionTwo.
      Map<String, String> config = new java.util.HashMap<>(external(keystone));
      config.put("region", "RegionTwo");
      config.put("image.public.url", "http://glint-images.example:9292");
      config.put("compute.public.url", "http://glint-compute.example:8774");
      try (TestServer glint = TestServer.start(config)) {
        String demo = keystone.demoToken();
        String project = keystone.app().tokens().validate(demo).orElseThrow().projectId();
        HttpResponse<String> created =
            call(glint, "POST", glint.imageUrl() + "/v2/images", demo, IMAGE_BODY);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = TestServer.json(created.body()).get("id").asText();
        assertThat(created.headers().firstValue("Location"))
            .hasValue("http://glint-images.example:9292/v2/images/" + id);
        HttpResponse<String> listed =
            call(glint, "GET", glint.computeUrl() + "/v2.1/" + project + "/images", demo, null);
        assertThat(computeLink(listed, "self"))
            .isEqualTo("http://glint-compute.example:8774/v2.1/" + project + "/images/" + id);
        // No identity listener here: the console and clients log in at that Keystone.
        assertThat(glint.app().config().identity().publicUrl()).isEqualTo(keystone.identityUrl());
      }
    }
  }

  /** {@code glint serve} says where tokens are checked, and offers no login of its own users. */
  @Test
  void serveInExternalModePrintsNoDemoLogin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        dev.glint.testing.TestStores.postgres(), "runs once, in the default execution");
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      try (dev.glint.testing.GlintProcess glint =
          dev.glint.testing.GlintProcess.start(
              dir,
              "jdbc:sqlite:" + dir.resolve("glint.db"),
              Map.of(
                  "GLINT_IDENTITY_EXTERNAL_URL", keystone.identityUrl(),
                  "GLINT_IDENTITY_EXTERNAL_USERNAME", "glint",
                  "GLINT_IDENTITY_EXTERNAL_PASSWORD", SERVICE_PASSWORD,
                  "GLINT_IDENTITY_EXTERNAL_PROJECT", "admin"))) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!glint.stdout().contains("Web console:") && Instant.now().isBefore(deadline)) {
          Thread.sleep(100);
        }
        assertThat(glint.stdout())
            .contains("Identity: tokens validated by the Keystone at " + keystone.identityUrl())
            .contains("Image service: " + keystone.imageUrl())
            .contains("Web console: " + keystone.imageUrl() + "/console/")
            .contains("log in as a user of that Keystone")
            .doesNotContain("demo")
            .doesNotContain("openrc")
            .doesNotContain("password");
        assertThat(call(keystone, "GET", glint.computeUrl() + "/v2.1/images", keystone.demoToken(),
                null).statusCode())
            .isEqualTo(200);
      }
    }
  }

  /**
   * glance-download in external mode: the endpoint comes from the catalog the other Keystone gives
   * the caller's token (here its own image service, in RegionOne), and the remote image is read
   * with that token.
   */
  @Test
  void glanceDownloadFindsTheRemoteGlanceInTheOtherKeystonesCatalog() throws Exception {
    try (TestServer keystone = TestServer.start()) {
      serviceUser(keystone);
      Map<String, String> config = new java.util.HashMap<>(external(keystone));
      config.put("import.enabled.methods", "glance-direct,glance-download");
      config.put("import.filtering.allow.loopback", "true");
      config.put("import.filtering.allowed.ports", "");
      try (TestServer glint = TestServer.start(config)) {
        String demo = keystone.demoToken();
        byte[] data = "an image from the other region".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String raw = "{\"disk_format\": \"raw\", \"container_format\": \"bare\"}";
        String src =
            TestServer.json(call(keystone, "POST", keystone.imageUrl() + "/v2/images", demo, raw)
                    .body())
                .get("id").asText();
        HttpResponse<String> put =
            keystone.send(
                HttpRequest.newBuilder(URI.create(keystone.imageUrl() + "/v2/images/" + src + "/file"))
                    .header("X-Auth-Token", demo)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                    .build());
        assertThat(put.statusCode()).isEqualTo(204);
        HttpResponse<String> patched =
            keystone.send(
                HttpRequest.newBuilder(URI.create(keystone.imageUrl() + "/v2/images/" + src))
                    .header("X-Auth-Token", demo)
                    .header("Content-Type", "application/openstack-images-v2.1-json-patch")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "[{\"op\": \"add\", \"path\": \"/hw_cpu_cores\", \"value\": \"4\"}]"))
                    .build());
        assertThat(patched.statusCode()).isEqualTo(200);

        for (String region : new String[] {"RegionOne", "RegionTwo"}) {
          String dst =
              TestServer.json(call(glint, "POST", glint.imageUrl() + "/v2/images", demo,
                      "{\"disk_format\": \"iso\", \"container_format\": \"ovf\"}").body())
                  .get("id").asText();
          HttpResponse<String> r =
              call(glint, "POST", glint.imageUrl() + "/v2/images/" + dst + "/import", demo,
                  "{\"method\": {\"name\": \"glance-download\", \"glance_image_id\": \"" + src
                      + "\", \"glance_region\": \"" + region + "\"}}");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
          String expected = region.equals("RegionOne") ? "success" : "failure";
          Instant deadline = Instant.now().plusSeconds(20);
          JsonNode tasks = null;
          while (Instant.now().isBefore(deadline)) {
            tasks = TestServer.json(call(glint, "GET",
                    glint.imageUrl() + "/v2/images/" + dst + "/tasks", demo, null).body())
                .get("tasks");
            if (tasks.size() == 1 && tasks.get(0).get("status").asText().equals(expected)) {
              break;
            }
            Thread.sleep(20);
          }
          assertThat(tasks.get(0).get("status").asText()).as(tasks.toString()).isEqualTo(expected);
          JsonNode img =
              TestServer.json(
                  call(glint, "GET", glint.imageUrl() + "/v2/images/" + dst, demo, null).body());
          if (region.equals("RegionOne")) {
            assertThat(img.get("status").asText()).isEqualTo("active");
            assertThat(img.get("disk_format").asText()).isEqualTo("raw");
            assertThat(img.get("hw_cpu_cores").asText()).isEqualTo("4");
            assertThat(img.get("size").asLong()).isEqualTo(data.length);
          } else {
            assertThat(tasks.get(0).get("message").asText())
                .contains("public glance endpoint not found for region RegionTwo");
            assertThat(img.get("status").asText()).isEqualTo("queued");
            assertThat(img.get("disk_format").asText()).isEqualTo("iso");
          }
        }
      }
    }
  }
}
