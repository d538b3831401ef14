package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/**
 * A Keystone group of users; roles assigned to it count for each member.
 *
 * @param description free text, or null
 */
public record Group(String id, String name, String domainId, String description) {
  public Group {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(domainId, "domainId");
  }
}
