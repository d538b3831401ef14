package dev.glint.catalog;

import dev.glint.catalog.QuotaLimits.Quota;
import dev.glint.error.CatalogException;
import dev.glint.error.CatalogException.Reason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Glance's unified-limits quotas ({@code glance/quota/keystone.py} with oslo.limit's flat
 * enforcer): a project may not go over a limit by the amount a request asks for. Usage is counted
 * from the catalog at the time of the check, inside the caller's unit of work where there is one.
 */
public final class ImageQuotas {
  private static final long MIB = 1024 * 1024;

  private final ImageRepository images;
  private final QuotaLimits limits;

  ImageQuotas(ImageRepository images, QuotaLimits limits) {
    this.images = images;
    this.limits = limits;
  }

  /**
   * Refuses (OVER_QUOTA, 413) when the project's current usage of {@code quota} plus {@code
   * delta} exceeds its limit. An unscoped caller (no project) owns nothing and is not limited.
   */
  void enforce(String project, Quota quota, long delta) {
    if (project == null) {
      return;
    }
    long limit = limits.limit(project, quota);
    if (limit < 0) {
      return;
    }
    long current = usage(images.usage(project), quota);
    if (current + delta > limit) {
      throw new CatalogException(
          Reason.OVER_QUOTA,
          null,
          "The request returned a 413 Request Entity Too Large. This generally means that rate"
              + " limiting or a quota threshold was breached.\n\nThe response body:\nProject "
              + project + " is over a limit for [Resource " + quota.wire() + " is over limit of "
              + limit + " due to current usage " + current + " and delta " + delta + "]");
    }
  }

  /** {@code GET /v2/info/usage}: each quota's usage and limit, in Glance's order. */
  public Map<Quota, Usage> usage(CatalogScope caller) {
    Map<Quota, Usage> out = new LinkedHashMap<>();
    if (caller.projectId() == null) {
      return out;
    }
    ImageRepository.Usage used = images.usage(caller.projectId());
    for (Quota q : Quota.values()) {
      out.put(q, new Usage(usage(used, q), limits.limit(caller.projectId(), q)));
    }
    return out;
  }

  /** One quota's usage and limit (-1: none). */
  public record Usage(long usage, long limit) {}

  /** MiB rounded down for the sizes, as Glance divides by {@code units.Mi}. */
  static long mib(long bytes) {
    return bytes / MIB;
  }

  private static long usage(ImageRepository.Usage u, Quota quota) {
    return switch (quota) {
      case IMAGE_SIZE_TOTAL -> mib(u.storedBytes());
      case IMAGE_STAGE_TOTAL -> mib(u.stagedBytes());
      case IMAGE_COUNT_TOTAL -> u.images();
      case IMAGE_COUNT_UPLOADING -> u.uploading();
    };
  }
}
