package dev.glint.store;

import dev.glint.catalog.CatalogGeneration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link CatalogGeneration} up to date with commits made by other processes. On PostgreSQL a
 * dedicated connection {@code LISTEN}s on the store's channel, so another node's commit is heard
 * at once; every {@link #POLL} (and after any notification) it reads the generation row, which is
 * also the fallback when notifications are lost (a dropped connection, a pooler that does not
 * pass them). On SQLite it polls through the reader pool (another process, such as {@code glint
 * gen-data}, may write the same file). Runs on one virtual thread.
 */
final class GenerationWatcher implements AutoCloseable {
  static final Duration POLL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(GenerationWatcher.class);

  private final Database db;
  private final String url;
  private final Generations generations;
  private final CatalogGeneration generation;
  private final Thread thread;
  private volatile boolean closed;

  private GenerationWatcher(
      Database db, String url, Generations generations, CatalogGeneration generation) {
    this.db = db;
    this.url = url;
    this.generations = generations;
    this.generation = generation;
    this.thread = Thread.ofVirtual().name("glint-generation-watcher").unstarted(this::run);
  }

  static GenerationWatcher start(
      Database db, String url, Generations generations, CatalogGeneration generation) {
    GenerationWatcher w = new GenerationWatcher(db, url, generations, generation);
    w.thread.start();
    return w;
  }

  private void run() {
    while (!closed) {
      try {
        if (db.dialect() == Dialect.POSTGRESQL) {
          listen();
        } else {
          generation.advanceTo(db.read(generations::read));
          Thread.sleep(POLL);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | SQLException e) {
        if (closed) {
          return;
        }
        LOG.debug("catalog generation watch interrupted (retrying): {}", e.toString());
        try {
          Thread.sleep(POLL);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** One LISTEN session: returns or throws when its connection fails, to be opened again. */
  private void listen() throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      if (closed) {
        return;
      }
      String channel;
      try (Statement s = c.createStatement()) {
        var rs = s.executeQuery("SELECT current_schema()");
        rs.next();
        channel = "glint_catalog." + rs.getString(1);
        s.execute("LISTEN " + Generations.quoted(channel));
      }
      PGConnection pg = c.unwrap(PGConnection.class);
      while (!closed) {
        // Whatever the notifications say, the row is the truth: read it after each wake-up.
        pg.getNotifications((int) POLL.toMillis());
        try (Statement s = c.createStatement();
            var rs = s.executeQuery("SELECT generation FROM catalog_generation WHERE id = 1")) {
          if (rs.next()) {
            generation.advanceTo(rs.getLong(1));
          }
        }
      }
    }
  }

  /**
   * Stops watching without waiting: the interrupt wakes the poll's sleep, and on a virtual thread
   * it also closes the LISTEN socket, so the thread ends at once and closes its own connection.
   */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
