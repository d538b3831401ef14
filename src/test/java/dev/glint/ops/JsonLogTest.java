package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code log.format=json} on a real {@code glint serve} process: every line of its log parses as
 * one JSON object, and each request's access line carries that response's request id.
 */
class JsonLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyLogLineIsJsonAndCarriesItsResponsesRequestId() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    Path dir = Files.createTempDirectory("glint-jsonlog");
    try (GlintProcess glint =
        GlintProcess.start(dir, "jdbc:sqlite:" + dir.resolve("glint.db"),
            Map.of("GLINT_LOG_FORMAT", "json", "GLINT_DEMO_PASSWORD", "demo-secret",
                "GLINT_ADMIN_PASSWORD", "admin-secret"),
            // The product's logging set-up, not the tests' quiet one.
            List.of("-Dlogback.configurationFile="
                + Path.of(JsonLogTest.class.getResource("/logback.xml").toURI())))) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> auth = http.send(
          HttpRequest.newBuilder(URI.create(glint.identityUrl() + "/v3/auth/tokens"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("""
                  {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                    "name": "demo", "domain": {"name": "Default"}, "password": "demo-secret"}}},
                    "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}"""))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(auth.statusCode()).isEqualTo(201);
      String token = auth.headers().firstValue("X-Subject-Token").orElseThrow();
      dev.glint.testing.SecretsSeen.add(token); // for the suite's log-leak check
      String project = JSON.readTree(auth.body()).at("/token/project/id").asText();
      String user = JSON.readTree(auth.body()).at("/token/user/id").asText();

      String global = "req-" + UUID.randomUUID();
      List<HttpResponse<String>> calls = new ArrayList<>();
      calls.add(auth);
      calls.add(get(http, glint.computeUrl() + "/v2.1/images", token, global));
      calls.add(get(http, glint.computeUrl() + "/v2.1/images/" + UUID.randomUUID(), token,
          "not-a-request-id"));
      calls.add(get(http, glint.imageUrl() + "/v2/images", null, null));
      assertThat(calls.stream().map(HttpResponse::statusCode).toList())
          .containsExactly(201, 200, 404, 401);

      List<JsonNode> lines = new ArrayList<>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      do {
        lines.clear();
        for (String line : glint.stderr().split("\n")) {
          if (!line.isBlank()) {
            lines.add(JSON.readTree(line)); // throws if a line is not one JSON object
          }
        }
        // An access line is written once its response is complete, maybe after the client read it.
      } while (!allLogged(access(lines), calls) && System.nanoTime() < deadline);
      assertThat(lines).allSatisfy(l -> {
        assertThat(l.isObject()).isTrue();
        assertThat(l.get("timestamp").isNumber()).isTrue();
        assertThat(l.get("level").asText()).isNotEmpty();
        assertThat(l.get("loggerName").asText()).isNotEmpty();
        assertThat(l.has("formattedMessage")).isTrue();
      });
      // The start-up line is JSON too.
      assertThat(lines).anySatisfy(
          l -> assertThat(l.get("formattedMessage").asText()).startsWith("Glint started in"));

      List<JsonNode> access = access(lines);
      for (HttpResponse<String> call : calls) {
        String id = call.headers().firstValue("x-openstack-request-id").orElseThrow();
        JsonNode mdc = access.stream()
            .map(l -> l.get("mdc"))
            .filter(m -> id.equals(m.path("request_id").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access line for " + id + " in " + access));
        assertThat(mdc.get("status").asText()).isEqualTo(Integer.toString(call.statusCode()));
        assertThat(mdc.get("method").asText()).isEqualTo(call.request().method());
        assertThat(Double.parseDouble(mdc.get("duration_ms").asText())).isGreaterThanOrEqualTo(0);
        assertThat(mdc.get("api").asText()).isIn("identity", "image", "compute");
      }
      JsonNode list = mdcOf(access, calls.get(1));
      assertThat(list.get("route").asText()).isEqualTo("/v2.1/images");
      assertThat(list.get("api").asText()).isEqualTo("compute");
      assertThat(list.get("global_request_id").asText()).isEqualTo(global);
      assertThat(list.get("user").asText()).isEqualTo(user);
      assertThat(list.get("project").asText()).isEqualTo(project);
      JsonNode show = mdcOf(access, calls.get(2));
      assertThat(show.get("route").asText()).isEqualTo("/v2.1/images/{image_id}");
      assertThat(show.has("global_request_id")).as("oslo drops a malformed id").isFalse();
      JsonNode refused = mdcOf(access, calls.get(3));
      assertThat(refused.get("route").asText()).isEqualTo("/v2/images");
      assertThat(refused.has("user")).isFalse();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<JsonNode> access(List<JsonNode> lines) {
    return lines.stream().filter(l -> "glint.access".equals(l.path("loggerName").asText())).toList();
  }

  private static boolean allLogged(List<JsonNode> access, List<HttpResponse<String>> calls) {
    return calls.stream().allMatch(c -> {
      String id = c.headers().firstValue("x-openstack-request-id").orElseThrow();
      return access.stream().anyMatch(l -> id.equals(l.path("mdc").path("request_id").asText()));
    });
  }

  private static JsonNode mdcOf(List<JsonNode> access, HttpResponse<String> call) {
    String id = call.headers().firstValue("x-openstack-request-id").orElseThrow();
    return access.stream().map(l -> l.get("mdc"))
        .filter(m -> id.equals(m.path("request_id").asText())).findFirst().orElseThrow();
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token,
      String globalId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (globalId != null) {
      b.header("X-OpenStack-Request-Id", globalId);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
