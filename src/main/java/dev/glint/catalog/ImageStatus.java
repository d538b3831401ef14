package dev.glint.catalog;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An image's status, kept once in the image service's (Glance's) terms. The allowed moves are data,
 * exactly Glance's {@code Image.valid_state_targets} (glance/domain/__init__.py, Zed); {@code
 * CatalogService} checks every move against this one table and refuses others with a 409.
 */
public enum ImageStatus {
  QUEUED,
  SAVING,
  UPLOADING,
  IMPORTING,
  ACTIVE,
  DEACTIVATED,
  KILLED,
  DELETED,
  PENDING_DELETE;

  private static final Map<ImageStatus, Set<ImageStatus>> NEXT =
      Map.of(
          QUEUED, EnumSet.of(SAVING, UPLOADING, IMPORTING, ACTIVE, DELETED),
          SAVING, EnumSet.of(ACTIVE, KILLED, DELETED, QUEUED),
          UPLOADING, EnumSet.of(IMPORTING, QUEUED, DELETED),
          IMPORTING, EnumSet.of(ACTIVE, DELETED, QUEUED),
          ACTIVE, EnumSet.of(DEACTIVATED, PENDING_DELETE, DELETED),
          DEACTIVATED, EnumSet.of(ACTIVE, DELETED),
          KILLED, EnumSet.of(DELETED),
          PENDING_DELETE, EnumSet.of(DELETED),
          DELETED, EnumSet.noneOf(ImageStatus.class));

  public boolean canMoveTo(ImageStatus next) {
    return NEXT.get(this).contains(next);
  }

  public boolean isDeleted() {
    return this == DELETED || this == PENDING_DELETE;
  }

  /** The wire and database spelling: {@code pending_delete}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ImageStatus> fromWire(String value) {
    for (ImageStatus s : values()) {
      if (s.wire().equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
