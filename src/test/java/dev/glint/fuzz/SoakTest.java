package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak (issue 10, point 7): {@code glint serve} as its own process ({@code -Xmx256m}, heap
 * committed and touched up front, so the resident set only grows if memory outside the heap
 * does), under {@link Soak}'s steady mixed load for {@code glint.soak.seconds} (CI: 30;
 * {@code scripts/soak.sh --duration 600}) at {@code glint.soak.rate} operations a second. Zero
 * errors, every acknowledged image there with its checksum, and a flat resident set.
 */
class SoakTest {
  static final long SECONDS = Long.getLong("glint.soak.seconds", 30);
  static final int RATE = Integer.getInteger("glint.soak.rate", 20);
  static final long SEED = Long.getLong("glint.soak.seed", 20_261_202L);

  @Test
  @Timeout(value = 6, unit = TimeUnit.HOURS)
  void aSteadyMixedLoadGivesNoErrorLosesNothingAndHoldsItsMemory() throws Exception {
    Assumptions.assumeFalse(
        TestStores.postgres() && !Boolean.getBoolean("glint.soak.pg"),
        "the soak runs on SQLite; -Dglint.soak.pg=true runs it on PostgreSQL too");
    Path dir = Files.createTempDirectory("glint-soak");
    String store =
        TestStores.postgres() ? TestStores.newPostgresSchema() : "jdbc:sqlite:" + dir.resolve("glint.db");
    try (GlintProcess node =
        GlintProcess.start(
            dir,
            store,
            Map.of(
                "GLINT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "GLINT_DEMO_PASSWORD", TestServer.DEMO_PASSWORD,
                // The soak's uploads are its load, not a client to throttle.
                "GLINT_UPLOAD_MAX_PER_PROJECT", "64",
                "GLINT_LOG_LEVEL", "WARN"),
            List.of("-Xms256m", "-XX:+AlwaysPreTouch"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String token = demoToken(http, node.identityUrl());
      Soak soak = new Soak(http, node.imageUrl(), node.computeUrl(), token, SEED);
      Soak.Result result =
          soak.run(Duration.ofSeconds(SECONDS), RATE, () -> rssKib(node.pid()));
      System.out.println(result.summary());
      Files.createDirectories(Path.of("target"));
      Files.writeString(
          Path.of("target", "soak-report.txt"),
          result.summary() + "\n\nerrors:\n" + String.join("\n", result.errors())
              + "\n\ninconsistencies:\n" + String.join("\n", result.inconsistencies()) + "\n");
      assertThat(result.errors()).as(result.summary()).isEmpty();
      assertThat(result.inconsistencies()).as(result.summary()).isEmpty();
      assertThat(result.acknowledged()).as(result.summary()).isPositive();
      assertThat(result.verified()).isEqualTo(result.acknowledged());
      // Flat: the heap is fixed and touched from the start, so growth here is memory outside it
      // (threads, buffers, metaspace); a little is warm-up (JIT code, classes first loaded).
      assertThat(result.rssEndKib())
          .as(result.summary())
          .isLessThanOrEqualTo(result.rssStartKib() + 96 * 1024);
      assertThat(node.stderr()).as("the node's log").doesNotContain("ERROR");
    } finally {
      if (TestStores.postgres()) {
        TestStores.dropSchema(store);
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The resident set of a process in KiB, from Linux's /proc. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmRSS for " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String demoToken(HttpClient http, String identityUrl) throws Exception {
    String body =
        """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo",
          "domain": {"name": "Default"}, "password": "%s"}}},
          "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}"""
            .formatted(TestServer.DEMO_PASSWORD);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(identityUrl + "/v3/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.headers().firstValue("X-Subject-Token").orElseThrow();
  }
}
