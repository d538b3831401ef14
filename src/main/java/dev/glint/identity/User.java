package dev.glint.identity;

import static java.util.Objects.requireNonNull;

/**
 * A user. The password hash is deliberately not part of it: only {@link IdentityRepository}'s
 * password methods touch it, so no view can leak it.
 *
 * @param defaultProjectId project a password auth without scope lands in, or null
 * @param extra other attributes as a JSON object text ({@code "{}"} when none)
 */
public record User(
    String id, String name, String domainId, boolean enabled, String defaultProjectId, String extra) {
  public User {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(domainId, "domainId");
    extra = extra == null ? "{}" : extra;
  }
}
