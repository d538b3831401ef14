package dev.glint.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.LogCapture;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log-leak check can fail: secrets written to the log here (made up for this test and never
 * registered with {@code SecretsSeen}, so the suite's own check does not trip on them) are found,
 * at any level, masked by the layout or not, wherever the secret was learnt.
 */
class LogLeakDetectionTest {
  private static final Logger OURS = LoggerFactory.getLogger("dev.glint.identity.LeakProbe");
  private static final Logger LIBRARY = LoggerFactory.getLogger("org.example.LeakProbe");

  private static String fernetLike() {
    return "gAAAAABp" + UUID.randomUUID().toString().replace("-", "")
        + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  void aPasswordALibraryLogsAtTraceIsFound() {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    String password = "probe-password-" + UUID.randomUUID();
    LIBRARY.trace("login for bob with {} failed", password);
    List<String> leaks = capture.leaks(from, List.of(password, "never-logged-" + UUID.randomUUID()));
    assertThat(leaks).hasSize(1);
    assertThat(leaks.get(0)).contains("login for bob with <SECRET> failed").doesNotContain(password);
  }

  /** Hostile input logs characters UTF-8 cannot encode: the capture goes on past them. */
  @Test
  void aLoneSurrogateDoesNotStopTheSearch() {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    String password = "probe-password-" + UUID.randomUUID();
    LIBRARY.debug("odd path /v2/images/\ud800x");
    LIBRARY.debug("then {}", password);
    assertThat(capture.leaks(from, List.of(password))).hasSize(1);
  }

  @Test
  void aTokenGlintLogsIsFoundEvenThoughTheLayoutMasksIt() {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    String token = fernetLike();
    OURS.debug("validated {}", token);
    // The masked line is clean; the line as Glint's code wrote it is not.
    List<String> leaks = capture.leaks(from, List.of(token));
    assertThat(leaks).singleElement().asString().startsWith("[gAAA…] UNMASKED dev.glint.identity");
  }

  @Test
  void aLibraryTokenHeaderIsMaskedSoNotALeak() {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    String token = fernetLike();
    String opaque = "opaque" + UUID.randomUUID();
    LIBRARY.debug("sending X-Auth-Token: {} and X-Subject-Token: {}", token, opaque);
    assertThat(capture.leaks(from, List.of(token, opaque))).isEmpty();
    assertThat(capture.lines()).isGreaterThan(from);
  }

  @Test
  void aSecretInAnExceptionMessageIsFound() {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    String secret = "probe-secret-" + UUID.randomUUID();
    LIBRARY.warn("request failed", new IllegalStateException("bad credential " + secret));
    assertThat(capture.leaks(from, List.of(secret))).singleElement().asString()
        .contains("IllegalStateException: bad credential <SECRET>");
  }

  /** What a server logs reaches the capture: its access line, under the request's id. */
  @Test
  void aTestServersLogIsCaptured() throws InterruptedException {
    LogCapture capture = LogCapture.instance();
    long from = capture.lines();
    try (TestServer server = TestServer.start()) {
      String id =
          server.get(server.computeUrl() + "/v2.1/images", null)
              .headers().firstValue("x-compute-request-id").orElseThrow();
      // The access line is written once the response is complete; look for the id as a secret.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (capture.leaks(from, List.of(id)).stream().noneMatch(l -> l.contains("glint.access"))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(capture.leaks(from, List.of(id)))
          .anyMatch(l -> l.contains("glint.access") && l.contains("GET /v2.1/images 401"));
    }
  }

  /**
   * A token a test got without {@code TestServer}'s helpers (as openstack4j or the CLI get theirs)
   * is still searched for: the test server hands every exchange's tokens to {@code SecretsSeen}.
   */
  @Test
  void tokensAnyClientGetsAreCollected() throws Exception {
    try (TestServer server = TestServer.start()) {
      HttpResponse<String> r =
          server.http().send(
              HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/auth/tokens"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\":"
                          + " {\"user\": {\"name\": \"demo\", \"domain\": {\"id\": \"default\"},"
                          + " \"password\": \"" + TestServer.DEMO_PASSWORD + "\"}}}}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String token = r.headers().firstValue("X-Subject-Token").orElseThrow();
      assertThat(SecretsSeen.snapshot()).contains(token);
    }
  }
}
