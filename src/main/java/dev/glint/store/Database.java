package dev.glint.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.glint.catalog.CatalogGeneration;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.error.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  /** Attempts of a unit of work that PostgreSQL aborts as a serialization failure or deadlock. */
  static final int RETRIES = 5;

  private final ThreadLocal<Tx> current = new ThreadLocal<>();
  private final Generations generations;
  private final CatalogGeneration generation;
  private final GenerationWatcher watcher;

  private Database(
      Dialect dialect, String url, HikariDataSource writerPool, HikariDataSource readerPool) {
    this.dialect = dialect;
    this.writerPool = writerPool;
    this.readerPool = readerPool;
    this.writer = Jdbi.create(writerPool);
    this.reader = readerPool == writerPool ? writer : Jdbi.create(readerPool);
    this.generations = new Generations(dialect);
    this.generation = new CatalogGeneration(startingGeneration());
    this.watcher = GenerationWatcher.start(this, url, generations, generation);
  }

  /** The stored generation, or 0 while the store is down (the watcher catches up later). */
  private long startingGeneration() {
    try {
      return read(generations::read);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Opens the pools and brings the schema up to date with Flyway (skipped when the store's history
   * already records exactly this build's migrations: {@link SchemaHistory}).
   */
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
      return new Database(dialect, config.storeUrl(), writer, readers);
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
    return new Database(dialect, config.storeUrl(), pool, pool);
  }

  private static Properties sqlite(boolean readOnly, long busyMs) {
    SQLiteConfig c = new SQLiteConfig();
    if (!readOnly) {
      // The writer takes the write lock when its transaction begins, not at its first write: a
      // unit of work that reads, checks and then writes cannot be overtaken by another process
      // between its read and its write (within this process the one connection serialises).
      c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      // WAL is a property of the file: the writer sets it once, readers inherit it.
      c.setJournalMode(SQLiteConfig.JournalMode.WAL);
    }
    c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    c.setBusyTimeout((int) busyMs);
    // 4 MiB of page cache per connection (the default is 2 MiB). Lists come from the in-memory
    // index; SQL reads images by id and writes, and the OS keeps the file's pages anyway. At 16 MiB
    // the five connections' caches alone grew peak RSS by about 60 MB under the 1 M-image benchmark.
    c.setCacheSize(-4_096);
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

  /** Where the dialect's Flyway migrations are. */
  static List<String> migrationLocations(Dialect dialect) {
    return List.of("classpath:db/migration/common", dialect.migrationLocation());
  }

  private static void migrate(DataSource ds, Dialect dialect) {
    List<String> locations = migrationLocations(dialect);
    if (SchemaHistory.upToDate(ds, locations)) {
      return; // what Flyway would find: nothing to apply, nothing changed
    }
    Flyway.configure()
        .dataSource(ds)
        .locations(locations.toArray(String[]::new))
        .failOnMissingLocations(false)
        // Features land as independent migrations numbered by area (V113 list index, V120 accounts,
        // V130 catalog, V170 ...): a store that took a higher one first still takes a lower one
        // that arrives later, instead of refusing to start.
        .outOfOrder(true)
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

  /**
   * Runs {@code work} as one write transaction (a unit of work), mapping store failures through
   * {@link SqlErrors}. Reads and writes made inside it through this database, on the same thread,
   * join it, so a service can read, check and write in one transaction by nesting repository
   * calls in one {@code write}. When the work marked the catalog changed ({@link
   * #catalogChanged()}), the catalog generation advances in the same transaction and {@link
   * #generation()} learns the new value after the commit. A PostgreSQL serialization failure or
   * deadlock runs the whole work again (it must have no effects outside the store), a few times,
   * then answers 409.
   */
  public <R> R write(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    Tx open = current.get();
    if (open != null) {
      return work.withHandle(open.handle);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work);
      } catch (TransactionConflictException e) {
        if (attempt >= RETRIES) {
          throw ApiException.conflict(
              "The image was changed by another request at the same time. Please retry.");
        }
        backOff(attempt);
      }
    }
  }

  private <R> R once(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    long[] advanced = {-1};
    R result =
        SqlErrors.translate(
            () ->
                writer.inTransaction(
                    TransactionIsolationLevel.UNKNOWN,
                    h -> {
                      Tx tx = new Tx(h);
                      current.set(tx);
                      try {
                        R r = work.withHandle(h);
                        if (tx.catalogChanged) {
                          advanced[0] = generations.advance(h, tx.touched, tx.bulk);
                        }
                        return r;
                      } finally {
                        current.remove();
                      }
                    }));
    if (advanced[0] >= 0) {
      generation.committed(advanced[0]);
    }
    return result;
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(2, 10 * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while retrying a transaction", e);
    }
  }

  /**
   * Marks the write transaction open on this thread as a change to the catalog (images, members,
   * tags, properties): the generation advances once when it commits.
   */
  public void catalogChanged() {
    open("catalogChanged()").bulk = true;
  }

  /**
   * As {@link #catalogChanged()}, naming the one image that changed: the commit stamps it with
   * the new generation, so nodes catch up on it alone instead of rescanning the catalog.
   */
  public void catalogChanged(String imageId) {
    open("catalogChanged(id)").touched.add(imageId);
  }

  private Tx open(String what) {
    Tx tx = current.get();
    if (tx == null) {
      throw new IllegalStateException(what + " outside a write transaction");
    }
    tx.catalogChanged = true;
    return tx;
  }

  /** Whether this thread is inside a {@link #write} (repositories lock rows only then). */
  public boolean inTransaction() {
    return current.get() != null;
  }

  Generations generations() {
    return generations;
  }

  /** The catalog generation as this node knows it; see {@link CatalogGeneration}. */
  public CatalogGeneration generation() {
    return generation;
  }

  /**
   * Runs a read, mapping store failures through {@link SqlErrors}. Inside a {@link #write} on the
   * same thread it reads through that transaction (and sees its own writes).
   */
  public <R> R read(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    Tx open = current.get();
    if (open != null) {
      return work.withHandle(open.handle);
    }
    return SqlErrors.translate(() -> reader.withHandle(work));
  }

  /** The write transaction open on a thread. */
  private static final class Tx {
    final org.jdbi.v3.core.Handle handle;
    final java.util.Set<String> touched = new java.util.TreeSet<>();
    boolean catalogChanged;
    boolean bulk;

    Tx(org.jdbi.v3.core.Handle handle) {
      this.handle = handle;
    }
  }

  /**
   * Runs several reads in one read transaction, so that they all see one snapshot: REPEATABLE
   * READ on PostgreSQL (its default, READ COMMITTED, gives each statement its own snapshot); on
   * SQLite a deferred transaction, whose first read fixes the snapshot in WAL mode.
   */
  public <R> R readTransaction(org.jdbi.v3.core.HandleCallback<R, RuntimeException> work) {
    TransactionIsolationLevel level =
        dialect == Dialect.POSTGRESQL
            ? TransactionIsolationLevel.REPEATABLE_READ
            : TransactionIsolationLevel.UNKNOWN;
    return SqlErrors.translate(() -> reader.inTransaction(level, work));
  }

  /**
   * Reports the pools' usage and wait times to a Micrometer {@code MeterRegistry} (HikariCP's own
   * {@code hikaricp_*} meters, tagged by pool name). Typed as Object so that the store does not
   * depend on Micrometer; HikariCP checks the type. Once per database.
   */
  public void meterPools(Object meterRegistry) {
    writerPool.setMetricRegistry(meterRegistry);
    if (readerPool != writerPool) {
      readerPool.setMetricRegistry(meterRegistry);
    }
  }

  /** One round trip to the store (a reader connection); throws when it is unreachable. */
  public void ping() {
    read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
  }

  /** Refreshes the planner's statistics (after a bulk load; both dialects know ANALYZE). */
  public void analyze() {
    SqlErrors.translate(() -> writer.withHandle(h -> h.execute("ANALYZE")));
  }

  @Override
  public void close() {
    watcher.close();
    if (readerPool != writerPool) {
      readerPool.close();
    }
    writerPool.close();
  }
}
