package dev.glint.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One image of the catalog, as both image APIs see it. Times are UTC instants with microsecond
 * precision; {@code size}, {@code virtualSize} and the checksums are null until data is uploaded.
 * {@code properties} are the image's extra (non-base) properties, sorted by key.
 */
public record Image(
    String id,
    String owner,
    String name,
    ImageStatus status,
    Visibility visibility,
    boolean isProtected,
    boolean osHidden,
    int minDisk,
    int minRam,
    Long size,
    Long virtualSize,
    String diskFormat,
    String containerFormat,
    String checksum,
    String osHashAlgo,
    String osHashValue,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt,
    Map<String, String> properties,
    Set<String> tags) {

  public Image {
    requireNonNull(id, "id");
    requireNonNull(status, "status");
    requireNonNull(visibility, "visibility");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
    properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    tags = Collections.unmodifiableSet(new TreeSet<>(tags));
  }

  public boolean deleted() {
    return deletedAt != null || status.isDeleted();
  }
}
