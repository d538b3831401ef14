package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/** A role; {@code admin} is the one the image services treat as administrator. */
public record Role(String id, String name) {
  public Role {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
  }
}
