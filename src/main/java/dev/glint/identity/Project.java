package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/** A project (tenant): what tokens are scoped to and what owns images. */
public record Project(
    String id, String name, String domainId, String description, boolean enabled) {
  public Project {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(domainId, "domainId");
    description = description == null ? "" : description;
  }
}
