package dev.glint.store;

/** The SQL dialect, decided once from the store URL. Differences between dialects live here. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported store URL " + jdbcUrl);
  }

  /** Classpath folder of this dialect's own migrations, applied after the common ones. */
  public String migrationLocation() {
    return "classpath:db/migration/" + migrationFolder;
  }
}
