package dev.glint.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every response the HTTP suite's servers sent in this JVM (SQLite or PostgreSQL execution),
 * validated against the listener's OpenAPI description by {@link ExchangeRecorder} as it was sent:
 * an undescribed route, an undeclared status or content type, or a body its schema refuses fails
 * here, with the first offenders. Runs after every other test class ({@link ConformanceLast}); run
 * alone, it still checks the exchanges it makes itself.
 */
class OpenApiConformanceTest {

  @Test
  void everyResponseOfTheSuiteMatchesTheDescription() {
    assumeTrue(ExchangeRecorder.listener() != null, "recording is off (-Dglint.openapi.record=false)");
    exerciseEachListener();
    ExchangeRecorder recorder = ExchangeRecorder.instance();
    Set<String> kinds = new TreeSet<>(recorder.seen());
    System.out.printf(
        "OpenAPI conformance: %d responses checked, %d kinds (listener method template status),"
            + " %d of routes not yet described skipped%n",
        recorder.checked(), kinds.size(), recorder.waived());
    assertThat(recorder.checked()).isGreaterThanOrEqualTo(20);
    List<String> violations = recorder.violations();
    assertThat(violations)
        .as(
            "%d of %d responses do not match src/main/resources/openapi/*.yaml; the first ones:%n  %s",
            recorder.violationCount(), recorder.checked(), String.join("\n  ", violations))
        .isEmpty();
  }

  /** A few calls on each listener, successes and faults, so that this test means something alone. */
  private static void exerciseEachListener() {
    try (TestServer server = TestServer.start()) {
      String token = server.adminToken();
      String identity = server.identityUrl();
      String image = server.imageUrl();
      String compute = server.computeUrl();
      for (String base : List.of(identity, image, compute)) {
        server.get(base + "/openapi.json", null);
        server.get(base + "/", null);
        server.get(base + "/no/such/path", token);
      }
      server.get(identity + "/v3", null);
      server.get(identity + "/v3/projects", token);
      server.get(identity + "/v3/projects/nope", token);
      server.get(identity + "/v3/users", null);
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(image + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .header("Accept", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"conformance\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      String id = TestServer.json(created.body()).path("id").asText();
      server.get(image + "/v2/images?limit=1", token);
      server.get(image + "/v2/images/" + id, token);
      server.get(image + "/v2/images?limit=abc", token, "Accept", "application/json");
      server.get(image + "/v2/images", null);
      server.get(compute + "/v2.1", null);
      server.get(compute + "/v2.1/images/detail", token);
      server.get(compute + "/v2.1/images/" + id, token);
      server.get(compute + "/v2/images/" + id + "/metadata", token);
      server.get(compute + "/v2.1/images?limit=-1", token);
      server.get(compute + "/v2.1/images", token, "OpenStack-API-Version", "compute 9.0");
      server.get(compute + "/v2.1/images", null);
      server.send(
          HttpRequest.newBuilder(URI.create(compute + "/v2.1/images"))
              .header("X-Auth-Token", token)
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build());
    }
  }
}
