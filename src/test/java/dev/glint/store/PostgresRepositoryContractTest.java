package dev.glint.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestStores;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The repository contract on PostgreSQL (in the PostgreSQL execution only, each test in a fresh
 * schema), plus what only PostgreSQL can do: two writers that deadlock.
 */
class PostgresRepositoryContractTest extends RepositoryContract {
  @Override
  String storeUrl(Path dir) {
    Assumptions.assumeTrue(TestStores.postgres(), "runs in the PostgreSQL execution");
    return TestStores.newPostgresSchema();
  }

  @Override
  void dropStore(String url) {
    if (url != null) {
      TestStores.dropSchema(url);
    }
  }

  /**
   * Two units of work lock two images in opposite orders: PostgreSQL aborts one with {@code
   * deadlock detected}; it runs again and both commit, so the callers never see the deadlock.
   */
  @Test
  void aDeadlockedUnitOfWorkRunsAgainAndCommits() throws Exception {
    var a = image(java.time.Instant.now());
    var b = image(java.time.Instant.now());
    images.insert(a);
    images.insert(b);
    CountDownLatch firstHolds = new CountDownLatch(1);
    CountDownLatch secondHolds = new CountDownLatch(1);
    AtomicInteger attempts = new AtomicInteger();
    runAtOnce(
        2,
        i ->
            images.inTransaction(
                () -> {
                  attempts.incrementAndGet();
                  var mine = i == 0 ? a : b;
                  var theirs = i == 0 ? b : a;
                  images.lock(mine.id());
                  (i == 0 ? firstHolds : secondHolds).countDown();
                  await(i == 0 ? secondHolds : firstHolds);
                  images.lock(theirs.id());
                  images.addTag(theirs.id(), "by-" + i, java.time.Instant.now());
                  return null;
                }));
    assertThat(attempts.get()).as("one of the two ran again").isGreaterThanOrEqualTo(3);
    assertThat(images.find(a.id()).orElseThrow().tags()).contains("by-1");
    assertThat(images.find(b.id()).orElseThrow().tags()).contains("by-0");
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
