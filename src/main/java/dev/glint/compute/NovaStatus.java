package dev.glint.compute;

import dev.glint.catalog.ImageStatus;
import dev.glint.error.ApiException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Nova's names for image statuses and their progress numbers, as in Nova's {@code
 * views/images.py} ({@code _get_status}, {@code _get_progress}).
 */
enum NovaStatus {
  ACTIVE(100, EnumSet.of(ImageStatus.ACTIVE)),
  SAVING(25, EnumSet.of(ImageStatus.QUEUED, ImageStatus.SAVING)),
  DELETED(0, EnumSet.of(ImageStatus.DELETED, ImageStatus.PENDING_DELETE)),
  ERROR(0, EnumSet.of(ImageStatus.KILLED)),
  UNKNOWN(0, EnumSet.of(ImageStatus.UPLOADING, ImageStatus.IMPORTING, ImageStatus.DEACTIVATED));

  private final int progress;
  private final Set<ImageStatus> glance;

  NovaStatus(int progress, Set<ImageStatus> glance) {
    this.progress = progress;
    this.glance = glance;
  }

  static NovaStatus of(ImageStatus status) {
    for (NovaStatus s : values()) {
      if (s.glance.contains(status)) {
        return s;
      }
    }
    return UNKNOWN;
  }

  /** Nova shows 25 for queued and 50 for saving, both SAVING. */
  static int progress(ImageStatus status) {
    return status == ImageStatus.SAVING ? 50 : of(status).progress;
  }

  /**
   * The stored statuses a {@code status} filter value means. Nova's names match what Nova shows
   * (SAVING finds queued and saving images, ERROR killed ones); an image service status name
   * ({@code queued}, {@code deactivated}, ...) matches itself.
   */
  static Set<ImageStatus> filter(String value) {
    for (NovaStatus s : values()) {
      if (s.name().equalsIgnoreCase(value)) {
        return s.glance;
      }
    }
    return ImageStatus.fromWire(value.toLowerCase(Locale.ROOT))
        .map(EnumSet::of)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "Invalid status value '"
                        + value
                        + "'. Use ACTIVE, SAVING, DELETED, ERROR, UNKNOWN or an image service"
                        + " status."));
  }
}
