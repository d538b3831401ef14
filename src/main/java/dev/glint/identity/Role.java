package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/**
 * A role; {@code admin} is the one the image services treat as administrator.
 *
 * @param description free text, or null
 * @param domainId the domain of a domain-specific role, null for a global one
 */
public record Role(String id, String name, String description, String domainId) {
  public Role {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
  }

  /** A global role. */
  public Role(String id, String name, String description) {
    this(id, name, description, null);
  }

  public Role(String id, String name) {
    this(id, name, null);
  }
}
