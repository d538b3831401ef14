package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.cli.GlintCommand;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glint keys rotate} under two running nodes sharing a key directory (and a store): no
 * valid token is dropped, and tokens of a key rotated out stop validating everywhere.
 */
@ExtendWith(LogLeakCheck.class)
class KeyRotationTest {
  @TempDir Path dir;

  static int status(TestServer node, String token) {
    // Compute lists answer 200 for any valid token, 401 otherwise.
    return node.send(
            HttpRequest.newBuilder(URI.create(node.computeUrl() + "/v2.1/images"))
                .header("X-Auth-Token", token)
                .GET()
                .build())
        .statusCode();
  }

  static void rotate(Path keys) {
    int exit =
        glint("keys", "rotate", "--config", "/nonexistent/glint.yaml", "--data-dir",
                keys.getParent().toString());
    assertThat(exit).isZero();
  }

  static void eventually(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void rotatingUnderTwoNodesDropsNoValidToken() throws Exception {
    Path data = dir.resolve("data");
    Path keys = data.resolve("fernet-keys");
    try (SharedStore store = new SharedStore(data);
        TestServer a = TestServer.start(store.config("identity.keys.poll.seconds", "1"));
        TestServer b =
            TestServer.start(
                store.config(
                    "identity.keys.poll.seconds", "1",
                    "identity.keys.dir", keys.toString()))) {
      String before = a.demoToken();
      assertThat(status(a, before)).isEqualTo(200);
      assertThat(status(b, before)).isEqualTo(200);

      rotate(keys);
      // Both nodes re-read the directory within a poll (1 s here). The new primary was the
      // staged key every node already held, so a node still on the old set accepts its tokens.
      Thread.sleep(2_500);
      String after = a.demoToken();
      assertThat(status(b, after)).isEqualTo(200);
      assertThat(status(a, after)).isEqualTo(200);
      String fromB = b.demoToken();
      assertThat(status(a, fromB)).isEqualTo(200);
      // The token from before the rotation: its key is now a secondary, still accepted.
      assertThat(status(a, before)).isEqualTo(200);
      assertThat(status(b, before)).isEqualTo(200);

      // A second rotation pushes the first primary out (max_active_keys 3).
      rotate(keys);
      eventually(() -> status(a, before) == 401 && status(b, before) == 401);
      assertThat(status(a, after)).isEqualTo(200);
      assertThat(status(b, after)).isEqualTo(200);
      assertThat(status(b, fromB)).isEqualTo(200);
    }
  }

  /** The command line as {@code main} builds it for these arguments (only the named subcommand). */
  static int glint(String... args) {
    return GlintCommand.commandLine(args).execute(args);
  }
}
