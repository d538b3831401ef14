package dev.glint.metadef;

/**
 * Who asks, as far as metadefs care: the token's project (null when unscoped) and whether it
 * carries the admin role (Glance's {@code context.is_admin}, and its {@code metadef_admin} rule).
 */
public record MetadefScope(String projectId, boolean admin) {
  /** The scope of {@code glint metadefs load}: an operator, who sees and may do everything. */
  public static final MetadefScope OPERATOR = new MetadefScope(null, true);
}
