package dev.glint.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.LogCapture;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The log-leak check over the whole HTTP suite: every token, password and secret any test of this
 * JVM handed to or got from a Glint ({@link SecretsSeen}: what the {@code TestServer} helpers sent
 * and received, and every exchange each test server saw, whatever client made it) is searched for
 * in every line logged meanwhile, at every level ({@link LogCapture}: the masked layout, Glint's
 * own lines before masking, and the logs of the {@code GlintProcess} nodes). Runs after every
 * other test class ({@code ConformanceLast}); run alone, it checks the calls it makes itself.
 * {@code LogLeakDetectionTest} shows that the check finds what it is looking for.
 */
class SuiteLogLeakTest {

  @Test
  void noTokenOrPasswordTheSuiteUsedIsInAnyLogLine() {
    LogCapture capture = LogCapture.instance();
    assertThat(capture).as("the log capture of logback-test.xml").isNotNull();
    exercise();
    Set<String> secrets = SecretsSeen.snapshot();
    System.out.printf(
        "Log-leak check: %d captured log lines searched for %d tokens, passwords and secrets%n",
        capture.lines(), secrets.size());
    assertThat(secrets).hasSizeGreaterThan(3);
    List<String> leaks = capture.leaks(0, secrets);
    assertThat(leaks)
        .as("log lines holding a token or secret the suite used:%n  %s", String.join("\n  ", leaks))
        .isEmpty();
  }

  /** A few logins and token uses, good and bad, so that this test means something alone. */
  private static void exercise() {
    try (TestServer server = TestServer.start()) {
      String admin = server.adminToken();
      String demo = server.demoToken();
      server.get(server.identityUrl() + "/v3/auth/tokens", admin, "X-Subject-Token", demo);
      server.get(server.identityUrl() + "/v2.0/tokens/" + demo, admin);
      server.get(server.imageUrl() + "/v2/images", demo);
      server.get(server.computeUrl() + "/v2.1/images/detail", demo);
      server.post(
          server.identityUrl() + "/v3/auth/tokens",
          "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\":"
              + " {\"name\": \"demo\", \"domain\": {\"id\": \"default\"},"
              + " \"password\": \"not-the-demo-password\"}}}}}");
    }
  }
}
