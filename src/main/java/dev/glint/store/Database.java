package dev.glint.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.glint.config.GlintConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.sqlite.SQLiteConfig;

/**
 * The connection pools of the catalog store and their JDBI handles. SQLite gets one writer
 * connection (writes are serialised, transactions short) and a pool of read-only readers over the
 * same WAL-mode file; PostgreSQL gets one pool used for both.
 */
public final class Database implements AutoCloseable {
  private final Dialect dialect;
  private final HikariDataSource writerPool;
  private final HikariDataSource readerPool;
  private final Jdbi writer;
  private final Jdbi reader;

  private Database(Dialect dialect, HikariDataSource writerPool, HikariDataSource readerPool) {
    this.dialect = dialect;
    this.writerPool = writerPool;
    this.readerPool = readerPool;
    this.writer = Jdbi.create(writerPool);
    this.reader = readerPool == writerPool ? writer : Jdbi.create(readerPool);
  }

  /** Opens the pools and brings the schema up to date with Flyway. */
  public static Database open(GlintConfig config) {
    Dialect dialect = Dialect.of(config.storeUrl());
    long busyMs = config.busyTimeout().toMillis();
    if (dialect == Dialect.SQLITE) {
      Path file = Path.of(config.storeUrl().substring("jdbc:sqlite:".length()).split("\\?")[0]);
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          dev.glint.fs.PrivateFiles.directory(parent);
        }
        // The catalog holds bcrypt hashes: 0600 before SQLite opens it (SQLite gives its -wal and
        // -shm files the database file's mode); files from earlier versions are narrowed.
        dev.glint.fs.PrivateFiles.ensureFile(file);
        for (String side : new String[] {"-wal", "-shm"}) {
          Path f = file.resolveSibling(file.getFileName() + side);
          if (Files.exists(f)) {
            dev.glint.fs.PrivateFiles.ensureFile(f);
          }
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create " + file.getParent() + ": " + e, e);
      }
      HikariDataSource writer =
          pool("glint-writer", config.storeUrl(), sqlite(false, busyMs), 1, busyMs, false);
      migrate(writer, dialect);
      HikariDataSource readers =
          pool("glint-reader", config.storeUrl(), sqlite(true, busyMs), config.readers(), busyMs, true);
      return new Database(dialect, writer, readers);
    }
    Properties pg = new Properties();
    // A statement waiting on a lock gives up after the busy timeout (55P03 → 503), as SQLite's
    // busy_timeout does, instead of holding the request forever.
    // Plans are made for the actual values: a changes-since bound or a marker decides whether an
    // index or a scan is right, which a generic plan cannot know.
    pg.setProperty("options", "-c lock_timeout=" + busyMs + " -c plan_cache_mode=force_custom_plan");
    HikariDataSource pool =
        pool("glint-pg", config.storeUrl(), pg, config.readers() + 1, busyMs, false);
    migrate(pool, dialect);
    return new Database(dialect, pool, pool);
  }

  private static Properties sqlite(boolean readOnly, long busyMs) {
    SQLiteConfig c = new SQLiteConfig();
    if (!readOnly) {
      // WAL is a property of the file: the writer sets it once, readers inherit it.
      c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    }
    c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    c.setBusyTimeout((int) busyMs);
    // 16 MiB of page cache per connection (the default is 2 MiB): list walks touch many index
    // pages, and five connections stay well inside the memory budget.
    c.setCacheSize(-16_384);
    c.enforceForeignKeys(true);
    c.setReadOnly(readOnly);
    return c.toProperties();
  }

  private static HikariDataSource pool(
      String name, String url, Properties props, int size, long busyMs, boolean readOnly) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(name);
    hc.setJdbcUrl(url);
    hc.setDataSourceProperties(props);
    // sqlite-jdbc refuses to flip the flag on an open connection; tell Hikari what it is.
    hc.setReadOnly(readOnly);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(Math.min(1, size));
    hc.setConnectionTimeout(Math.max(250, busyMs));
    hc.setValidationTimeout(Math.max(250, Math.min(busyMs, 5000)));
    // Start even when the store is down: requests get a 503 until it is back.
    hc.setInitializationFailTimeout(-1);
    return new HikariDataSource(hc);
  }

  private static void migrate(DataSource ds, Dialect dialect) {
    Flyway.configure()
        .dataSource(ds)
        .locations("classpath:db/migration/common", dialect.migrationLocation())
        .failOnMissingLocations(false)
        .load()
        .migrate();
  }

  public Dialect dialect() {
    return dialect;
  }

  /** For writes; on SQLite the single writer connection. */
  public Jdbi writer() {
    return writer;
  }

  /** For reads; on SQLite a pool of read-only connections. */
  public Jdbi reader() {
    return reader;
  }

  /** Runs a write transaction, mapping store failures through {@link SqlErrors}. */
  public <R> R write(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    return SqlErrors.translate(() -> writer.inTransaction(TransactionIsolationLevel.UNKNOWN, work));
  }

  /** Runs a read, mapping store failures through {@link SqlErrors}. */
  public <R> R read(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    return SqlErrors.translate(() -> reader.withHandle(work));
  }

  /** Refreshes the planner's statistics (after a bulk load; both dialects know ANALYZE). */
  public void analyze() {
    SqlErrors.translate(() -> writer.withHandle(h -> h.execute("ANALYZE")));
  }

  @Override
  public void close() {
    if (readerPool != writerPool) {
      readerPool.close();
    }
    writerPool.close();
  }
}
