package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/** A Keystone domain; the bootstrap one is {@code default}/{@code Default}. */
public record Domain(String id, String name, String description, boolean enabled) {
  public Domain {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    description = description == null ? "" : description;
  }
}
