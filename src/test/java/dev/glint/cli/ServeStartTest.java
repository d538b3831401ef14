package dev.glint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code glint serve} listens before the bootstrap's bcrypt work is done; a login right after the
 * start still sees the configured password, and the start report still says what changed.
 */
class ServeStartTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aChangedConfiguredPasswordHoldsForTheFirstLoginAfterTheStart() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    Path dir = Files.createTempDirectory("glint-serve-start");
    String url = "jdbc:sqlite:" + dir.resolve("glint.db");
    try (GlintProcess first =
        GlintProcess.start(dir, url,
            Map.of("GLINT_ADMIN_PASSWORD", "first-secret", "GLINT_DEMO_PASSWORD", "demo-secret"))) {
      assertThat(login(first, "first-secret")).isEqualTo(201);
    }
    try (GlintProcess again =
        GlintProcess.start(dir, url,
            Map.of("GLINT_ADMIN_PASSWORD", "second-secret", "GLINT_DEMO_PASSWORD", "demo-secret"))) {
      // Sent as soon as the listener answers: the password check waits for the bootstrap.
      assertThat(login(again, "second-secret")).isEqualTo(201);
      assertThat(login(again, "first-secret")).isEqualTo(401);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!again.output().contains("User admin (password updated)")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(again.output()).contains("User admin (password updated)")
          .contains("User demo (exists)");
    }
  }

  private int login(GlintProcess node, String password) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(node.identityUrl() + "/v3/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                    {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                      "name": "admin", "domain": {"name": "Default"}, "password": "%s"}}}}}"""
                    .formatted(password)))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
