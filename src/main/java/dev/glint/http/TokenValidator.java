package dev.glint.http;

import java.util.Optional;

/**
 * Checks a token for the auth filter. The identity feature implements it; {@code dev.glint.Server}
 * hands that implementation to the image and compute listeners, which never see identity itself.
 */
@FunctionalInterface
public interface TokenValidator {

  /** The token's principal, or empty if it is missing, malformed, expired or revoked. */
  Optional<Principal> principal(String token);

  /**
   * The principal of a valid token this validator has already seen, answered from memory without
   * blocking; null when the token is unknown here, invalid or would need work (the caller then
   * asks {@link #principal}, which answers or refuses it).
   */
  default Principal cachedPrincipal(String token) {
    return null;
  }
}
