package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/**
 * A user's application credential: a login (id or name + user, and a secret) to one project with
 * some of the roles the user held there when it was made. The secret's hash is not part of it.
 *
 * @param expiresAt null for never
 * @param unrestricted whether tokens from it may manage application credentials themselves
 * @param roleIds the roles it grants, a subset of the user's roles on the project
 */
public record ApplicationCredential(
    String id,
    String name,
    String description,
    String userId,
    String projectId,
    Instant expiresAt,
    boolean unrestricted,
    List<String> roleIds) {
  public ApplicationCredential {
    roleIds = List.copyOf(roleIds);
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
