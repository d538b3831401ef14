package dev.glint.identity;

/** Answers whether a token was revoked. Implementations must be fast and store-free. */
@FunctionalInterface
public interface Revocations {
  Revocations NONE = token -> false;

  boolean isRevoked(Caller token);
}
