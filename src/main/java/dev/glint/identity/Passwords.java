package dev.glint.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.security.SecureRandom;
import java.util.Base64;

/** bcrypt hashing (as Keystone's default {@code password_hash_algorithm}) and password generation. */
final class Passwords {
  /** Keystone's default bcrypt rounds are 12; 10 keeps a password auth near 50 ms. */
  static final int COST = 10;

  // passlib (Keystone) truncates passwords to bcrypt's 72 bytes rather than refusing them.
  private static final BCrypt.Hasher HASHER =
      BCrypt.with(
          BCrypt.Version.VERSION_2B,
          new SecureRandom(),
          LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));
  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(
          BCrypt.Version.VERSION_2B, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2B));

  /**
   * Compared against when the user is unknown, so a miss costs what a wrong password costs. Made
   * on first use (a holder class), not when the bootstrap first touches this class at start-up.
   */
  private static final class Decoy {
    static final String HASH = HASHER.hashToString(COST, "glint-decoy".toCharArray());
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * bcrypt verifications run so far, decoys included. Every login, whether it succeeds or fails
   * and whatever the reason, must cost exactly one; tests hold the code to that through this.
   */
  static final java.util.concurrent.atomic.AtomicLong VERIFICATIONS =
      new java.util.concurrent.atomic.AtomicLong();

  private Passwords() {}

  static String hash(String password) {
    return HASHER.hashToString(COST, password.toCharArray());
  }

  /**
   * Whether the password matches the hash. A null password or a null hash (no password set) never
   * matches, and still costs one bcrypt verification, as every other answer does.
   */
  static boolean matches(String password, String hash) {
    if (password == null || hash == null || hash.isEmpty()) {
      decoy(password);
      return false;
    }
    VERIFICATIONS.incrementAndGet();
    try {
      return VERIFYER.verify(password.toCharArray(), hash).verified;
    } catch (IllegalArgumentException e) {
      // A stored hash bcrypt cannot read: answer as slowly as a real check.
      VERIFYER.verify(password.toCharArray(), Decoy.HASH);
      return false;
    }
  }

  /** Burns the time of one verification, for a login that fails before its password is checked. */
  static void decoy(String password) {
    VERIFICATIONS.incrementAndGet();
    VERIFYER.verify((password == null ? "" : password).toCharArray(), Decoy.HASH);
  }

  /** 24 URL-safe characters (144 random bits). */
  static String generate() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
