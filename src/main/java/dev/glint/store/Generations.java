package dev.glint.store;

import org.jdbi.v3.core.Handle;

/** The SQL of the catalog generation row (V30); see {@link dev.glint.catalog.CatalogGeneration}. */
final class Generations {
  private final Dialect dialect;
  private volatile String channel;

  Generations(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The generation of the last change that did not name its images (0 if none). */
  long rebuiltAt(Handle h) {
    return h.createQuery("SELECT rebuilt_at FROM catalog_generation WHERE id = 1")
        .mapTo(Long.class)
        .one();
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
  long advance(Handle h, java.util.Set<String> touched, boolean bulk) {
    h.createUpdate("UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1")
        .execute();
    long next = read(h);
    if (bulk) {
      h.createUpdate("UPDATE catalog_generation SET rebuilt_at = :g WHERE id = 1")
          .bind("g", next)
          .execute();
    } else {
      // Sorted ids, in bounded IN lists: writers lock image rows in one order (no deadlocks).
      java.util.List<String> ids = new java.util.ArrayList<>(touched);
      for (int from = 0; from < ids.size(); from += 500) {
        h.createUpdate("UPDATE images SET generation = :g WHERE id IN (<ids>)")
            .bind("g", next)
            .bindList("ids", ids.subList(from, Math.min(ids.size(), from + 500)))
            .execute();
      }
    }
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
