package dev.glint.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Which store the HTTP tests run on. By default SQLite in the test's temporary data dir; with
 * {@code -Dglint.test.store=postgresql} each test server gets a fresh schema in the PostgreSQL at
 * {@code glint.test.pg.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}),
 * dropped when the server closes. Tests skip, not fail, when that PostgreSQL is not reachable.
 */
public final class TestStores {
  public static final String STORE_PROPERTY = "glint.test.store";
  static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private TestStores() {}

  public static boolean postgres() {
    return "postgresql".equals(System.getProperty(STORE_PROPERTY));
  }

  public static String pgBaseUrl() {
    return System.getProperty("glint.test.pg.url", DEFAULT_PG);
  }

  /** A new, empty schema's store URL; skips the calling test if PostgreSQL is unreachable. */
  public static String newPostgresSchema() {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(pgBaseUrl());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      Assumptions.abort("PostgreSQL not reachable at " + pgBaseUrl() + ": " + e.getMessage());
    }
    return pgBaseUrl() + "&currentSchema=" + schema;
  }

  private static final java.util.Set<String> SHARED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The schema of a data dir that several test servers use in turn (a restart, two nodes): made by
   * the first, remembered in the dir, dropped when the test JVM exits.
   */
  public static synchronized String schemaFor(java.nio.file.Path dataDir) {
    java.nio.file.Path marker = dataDir.resolve(".glint-test-store-url");
    try {
      if (java.nio.file.Files.exists(marker)) {
        return java.nio.file.Files.readString(marker).trim();
      }
      String url = newPostgresSchema();
      java.nio.file.Files.createDirectories(dataDir);
      java.nio.file.Files.writeString(marker, url);
      if (SHARED.isEmpty()) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> SHARED.forEach(TestStores::dropSchema)));
      }
      SHARED.add(url);
      return url;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Drops the schema a {@link #newPostgresSchema()} URL names; best effort. */
  public static void dropSchema(String storeUrl) {
    int at = storeUrl.indexOf("currentSchema=");
    if (at < 0) {
      return;
    }
    String schema = storeUrl.substring(at + "currentSchema=".length()).split("&")[0];
    try (Connection c = DriverManager.getConnection(pgBaseUrl());
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException ignored) {
      // the next run starts from fresh schemas anyway
    }
  }
}
