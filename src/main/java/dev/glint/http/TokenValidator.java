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
}
