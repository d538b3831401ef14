package dev.glint.catalog;

/**
 * Where per-project image quotas come from: Glint's configuration today, Keystone's unified
 * limits (registered and project limits) once identity keeps them. Thread-safe.
 */
@FunctionalInterface
public interface QuotaLimits {
  /** A limit of -1: not enforced. */
  long UNLIMITED = -1;

  /** No limit on anything. */
  QuotaLimits NONE = (project, quota) -> UNLIMITED;

  /**
   * The limit of {@code quota} for {@code project}: a count, or MiB for the size quotas; {@link
   * #UNLIMITED} when not enforced.
   */
  long limit(String project, Quota quota);

  /** Glance's unified-limits quota names ({@code glance/quota/keystone.py}). */
  enum Quota {
    /** MiB of image data a project's images hold, in every store. */
    IMAGE_SIZE_TOTAL("image_size_total"),
    /** MiB of data a project has in staging (stages and imports under way). */
    IMAGE_STAGE_TOTAL("image_stage_total"),
    /** Images a project owns, whatever their status (deleted ones aside). */
    IMAGE_COUNT_TOTAL("image_count_total"),
    /** A project's images being uploaded, staged, imported or copied at once. */
    IMAGE_COUNT_UPLOADING("image_count_uploading");

    private final String wire;

    Quota(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    /** The quota of this name, or null. */
    public static Quota of(String name) {
      for (Quota q : values()) {
        if (q.wire.equals(name)) {
          return q;
        }
      }
      return null;
    }
  }
}
