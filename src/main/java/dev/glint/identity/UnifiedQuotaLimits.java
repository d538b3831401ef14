package dev.glint.identity;

import dev.glint.catalog.QuotaLimits;

/**
 * The image service's quotas read from identity's unified limits, as Glance reads Keystone's
 * through oslo.limit: a project limit on the image service's resource (Glance's names,
 * {@code image_size_total}, ...) wins, else the registered limit (the default for every project),
 * else {@code fallback} (Glint's {@code quota.*} configuration). A limit belongs to the image
 * service when its {@code service_id} is a catalog service of type {@code image}; regions are not
 * told apart (one region). Read from the store on each check: checks come with creates and
 * uploads, not with reads, and every node then sees a change at once.
 */
public final class UnifiedQuotaLimits implements QuotaLimits {
  private final LimitRepository limits;
  private final CatalogRepository catalog;
  private final QuotaLimits fallback;

  public UnifiedQuotaLimits(LimitRepository limits, CatalogRepository catalog, QuotaLimits fallback) {
    this.limits = limits;
    this.catalog = catalog;
    this.fallback = fallback;
  }

  @Override
  public long limit(String project, Quota quota) {
    java.util.Set<String> image =
        catalog.services().stream()
            .filter(s -> s.type().equals("image"))
            .map(CatalogRepository.Service::id)
            .collect(java.util.stream.Collectors.toSet());
    if (image.isEmpty()) {
      return fallback.limit(project, quota);
    }
    for (LimitRepository.Limit l : limits.limits()) {
      if (project != null && project.equals(l.projectId()) && image.contains(l.serviceId())
          && quota.wire().equals(l.resourceName())) {
        return l.resourceLimit();
      }
    }
    for (LimitRepository.RegisteredLimit r : limits.registeredLimits()) {
      if (image.contains(r.serviceId()) && quota.wire().equals(r.resourceName())) {
        return r.defaultLimit();
      }
    }
    return fallback.limit(project, quota);
  }
}
