package dev.glint.catalog;

import java.util.List;

/**
 * On whose behalf the catalog acts: the caller's project (null for an unscoped token), roles and
 * whether they administer the cloud. The catalog's own view of a caller, free of tokens and HTTP.
 */
public record CatalogScope(String projectId, List<String> roles, boolean isAdmin) {
  public CatalogScope {
    roles = List.copyOf(roles);
  }

}
