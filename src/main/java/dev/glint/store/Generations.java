package dev.glint.store;

import org.jdbi.v3.core.Handle;

/** The SQL of the catalog generation row (V30); see {@link dev.glint.catalog.CatalogGeneration}. */
final class Generations {
  private final Dialect dialect;
  private volatile String channel;

  Generations(Dialect dialect) {
    this.dialect = dialect;
  }

  long read(Handle h) {
    return h.createQuery("SELECT generation FROM catalog_generation WHERE id = 1")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Advances the generation inside the caller's transaction and returns the new value. Run last in
   * a unit of work: on PostgreSQL the row stays locked until commit, which orders all catalog
   * commits, so holding it briefly keeps writers of different images from waiting on each other
   * long. The NOTIFY is delivered only if the transaction commits.
   */
  long advance(Handle h) {
    h.createUpdate("UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1")
        .execute();
    long next = read(h);
    if (dialect == Dialect.POSTGRESQL) {
      h.execute("NOTIFY " + quoted(channel(h)) + ", '" + next + "'");
    }
    return next;
  }

  static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The NOTIFY channel of this store: channels are per database, and several catalogs (schemas)
   * may share one database, so the schema is part of the name.
   */
  String channel(Handle h) {
    String c = channel;
    if (c == null) {
      c = "glint_catalog." + h.createQuery("SELECT current_schema()").mapTo(String.class).one();
      channel = c;
    }
    return c;
  }
}
