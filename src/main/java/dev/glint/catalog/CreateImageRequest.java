package dev.glint.catalog;

import java.util.Map;
import java.util.Set;

/**
 * A new image record as the client asked for it; null components take the catalog's defaults
 * (generated id, visibility {@code shared}, not protected, not hidden, owner = caller's project,
 * min_ram/min_disk 0).
 */
public record CreateImageRequest(
    String id,
    String name,
    Visibility visibility,
    Boolean isProtected,
    Boolean osHidden,
    boolean ownerGiven,
    String owner,
    String containerFormat,
    String diskFormat,
    Integer minRam,
    Integer minDisk,
    Set<String> tags,
    Map<String, String> properties) {

  public CreateImageRequest {
    tags = Set.copyOf(tags);
    properties = Map.copyOf(properties);
  }
}
