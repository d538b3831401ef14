package dev.glint.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What a list asks for, independent of the API it came through: filters, then a keyset page.
 *
 * @param name exact name, or null for any
 * @param statuses statuses to match; empty means every status a plain list shows (not killed,
 *     not deleted)
 * @param properties extra properties that must equal the given values
 * @param changesSince only images whose {@code updated_at} is at or after this instant, or null;
 *     when set, recently deleted images are listed too (see {@link CatalogService})
 * @param marker id of the last image of the previous page, or null for the first page
 * @param limit page size, at least 1
 * @param full load properties and tags (detail views); summaries skip them
 * @param minRam only images whose {@code min_ram} is at least this (MB), or null for any
 * @param minDisk only images whose {@code min_disk} is at least this (GB), or null for any
 */
public record ImageQuery(
    String name,
    Set<ImageStatus> statuses,
    Map<String, String> properties,
    Instant changesSince,
    String marker,
    int limit,
    boolean full,
    Integer minRam,
    Integer minDisk) {

  public ImageQuery {
    statuses = Set.copyOf(statuses);
    properties = Map.copyOf(properties);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }

  /** A query without the minimum RAM and disk filters. */
  public ImageQuery(
      String name,
      Set<ImageStatus> statuses,
      Map<String, String> properties,
      Instant changesSince,
      String marker,
      int limit,
      boolean full) {
    this(name, statuses, properties, changesSince, marker, limit, full, null, null);
  }

  public static ImageQuery firstPage(int limit) {
    return new ImageQuery(null, Set.of(), Map.of(), null, null, limit, false);
  }
}
