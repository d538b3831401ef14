package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The access log goes through an asynchronous appender (logback.xml): a stop right after a burst
 * of requests still writes one line per request, each with that response's request id.
 */
class AccessLogShutdownTest {
  @Test
  void aStopRightAfterABurstLosesNoAccessLine() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    Path dir = Files.createTempDirectory("glint-accesslog");
    try (GlintProcess glint =
        GlintProcess.start(dir, "jdbc:sqlite:" + dir.resolve("glint.db"),
            Map.of("GLINT_DEMO_PASSWORD", "demo-secret", "GLINT_ADMIN_PASSWORD", "admin-secret"),
            // The product's logging set-up, not the tests' quiet one.
            List.of("-Dlogback.configurationFile="
                + Path.of(AccessLogShutdownTest.class.getResource("/logback.xml").toURI())))) {
      HttpClient http = HttpClient.newHttpClient();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(glint.imageUrl() + "/v2/images")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(401);
        ids.add(r.headers().firstValue("x-openstack-request-id").orElseThrow());
      }

      glint.stop();

      List<String> access =
          glint.stderr().lines().filter(l -> l.contains(" glint.access ")).toList();
      for (String id : ids) {
        assertThat(access).filteredOn(l -> l.contains("[" + id + "]") && l.contains(" 401 "))
            .as("the access line of " + id).hasSize(1);
      }
    }
  }
}
