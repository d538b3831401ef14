package dev.glint.identity;

/** Answers whether a token, by its audit id, was revoked. Implementations must be fast and store-free. */
@FunctionalInterface
public interface Revocations {
  Revocations NONE = auditId -> false;

  boolean isRevoked(String auditId);
}
