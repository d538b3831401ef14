package dev.glint.identity;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A project (tenant): what tokens are scoped to and what owns images.
 *
 * @param parentId the parent project, or null when the project sits directly under its domain
 *     (Keystone then shows the domain id as {@code parent_id})
 * @param tags Keystone's project tags, in the order they were set
 */
public record Project(
    String id,
    String name,
    String domainId,
    String description,
    boolean enabled,
    String parentId,
    List<String> tags) {
  public Project {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(domainId, "domainId");
    description = description == null ? "" : description;
    parentId = domainId.equals(parentId) ? null : parentId;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A project directly under its domain, without tags. */
  public Project(String id, String name, String domainId, String description, boolean enabled) {
    this(id, name, domainId, description, enabled, null, List.of());
  }

  /** The {@code parent_id} Keystone shows: the parent project, else the domain. */
  public String parentOrDomain() {
    return parentId == null ? domainId : parentId;
  }
}
