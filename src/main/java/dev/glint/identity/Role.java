package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/**
 * A role; {@code admin} is the one the image services treat as administrator.
 *
 * @param description free text, or null
 */
public record Role(String id, String name, String description) {
  public Role {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
  }

  public Role(String id, String name) {
    this(id, name, null);
  }
}
