package dev.glint.catalog;

import java.io.IOException;
import java.util.Optional;

/**
 * Where {@code glance-download} finds the other Glance: the caller's service catalog, as Glance's
 * {@code get_glance_endpoint} reads the token's catalog. Identity implements it over Glint's own
 * catalog, or over the validating Keystone's in external mode.
 */
@FunctionalInterface
public interface GlanceEndpoints {

  /**
   * The URL of the {@code image} service's endpoint with interface {@code iface} in {@code
   * region} (compared ignoring case, as Glance does), in the catalog of the token; empty when the
   * catalog has none.
   *
   * @param token the caller's token
   * @param projectId the token's project (null when not project-scoped)
   * @throws IOException when the catalog cannot be read (external Keystone unreachable)
   */
  Optional<String> find(String token, String projectId, String region, String iface)
      throws IOException;
}
