package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10's fuzz suite: a fixed seed's hostile requests over every route of the three listeners
 * (CI: 20 000; {@code scripts/fuzz.sh} runs 1 000 000 through the same test with
 * {@code -Dglint.fuzz.requests}). Zero 5xx but 503, zero hangs, no internals in any body, and
 * nothing of another project or of the identity store changed.
 */
class FuzzTest {
  static final long SEED = Long.getLong("glint.fuzz.seed", 20_261_201L);
  static final long REQUESTS = Long.getLong("glint.fuzz.requests", 20_000L);
  static final int THREADS = Integer.getInteger("glint.fuzz.threads", 4);

  @Test
  @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.HOURS)
  void hostileRequestsGetNo5xxNoHangAndChangeNothingTheyMayNot() throws Exception {
    // The SQLite run covers the HTTP layer; PostgreSQL's own input errors have KnownFaultsTest.
    Assumptions.assumeFalse(
        TestStores.postgres() && !Boolean.getBoolean("glint.fuzz.pg"),
        "fuzz runs on SQLite; -Dglint.fuzz.pg=true runs it on PostgreSQL too");
    try (TestServer server = TestServer.startUnrecorded()) {
      FuzzCampaign campaign = FuzzCampaign.prepare(server);
      FuzzCampaign.Result result = campaign.run(SEED, REQUESTS, THREADS);
      System.out.println(result.summary());
      // Every failure in full (request bytes included), to reproduce it: seed and index.
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("target", "fuzz-failures.txt"),
          result.summary() + "\n\n" + String.join("\n\n", result.failures()));
      assertThat(result.sent()).isEqualTo(REQUESTS);
      assertThat(result.failures()).as(result.summary()).isEmpty();
      assertThat(result.hangs()).isZero();
      assertThat(result.after()).as("what the fuzzed project must not change").isEqualTo(result.before());
    }
  }
}
