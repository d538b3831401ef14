package dev.glint.store;

import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A list's statements (marker, page, previous boundary) run in one {@link
 * Database#readTransaction}: they see one snapshot, so a write committed between two of them
 * cannot show in one and not the other. On SQLite and on PostgreSQL (REPEATABLE READ).
 */
class ReadTransactionTest {
  static TestServer server;
  static Database db;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    db = server.app().db();
    server.app().catalog().addAll(List.of(image().build()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWriteCommittedMidwayIsSeenByNeitherStatementOfTheTransaction() {
    long[] counts =
        db.readTransaction(
            h -> {
              long before = count(h);
              // Another connection commits while this transaction is open.
              commitElsewhere(server);
              return new long[] {before, count(h)};
            });
    assertThat(counts[1]).as("second read, same transaction").isEqualTo(counts[0]);
    assertThat(db.read(ReadTransactionTest::count)).isEqualTo(counts[0] + 1);
  }

  @Test
  void withoutATransactionEachStatementSeesTheLatestCommit() {
    long[] counts =
        db.read(
            h -> {
              long before = count(h);
              commitElsewhere(server);
              return new long[] {before, count(h)};
            });
    // The contrast that makes the test above mean something.
    assertThat(counts[1]).isEqualTo(counts[0] + 1);
  }

  /**
   * Inserts an image from another thread, so on another connection: JDBI reuses a thread's open
   * handle for nested calls on the same pool (PostgreSQL has one pool for reads and writes).
   */
  private static void commitElsewhere(TestServer server) {
    Thread writer =
        Thread.ofPlatform().start(() -> server.app().catalog().addAll(List.of(image().build())));
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    assertThat(writer.isAlive()).as("the writer finished").isFalse();
  }

  private static long count(org.jdbi.v3.core.Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM images").mapTo(Long.class).one();
  }
}
