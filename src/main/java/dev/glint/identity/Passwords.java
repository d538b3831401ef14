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

  /** Compared against when the user is unknown, so a miss costs what a wrong password costs. */
  private static final String DECOY = HASHER.hashToString(COST, "glint-decoy".toCharArray());

  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  static String hash(String password) {
    return HASHER.hashToString(COST, password.toCharArray());
  }

  /** Whether the password matches the hash; a null hash (no password set) never matches. */
  static boolean matches(String password, String hash) {
    if (password == null) {
      return false;
    }
    if (hash == null || hash.isEmpty()) {
      VERIFYER.verify(password.toCharArray(), DECOY);
      return false;
    }
    try {
      return VERIFYER.verify(password.toCharArray(), hash).verified;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Burns the time of one verification, for unknown users. */
  static void decoy(String password) {
    VERIFYER.verify((password == null ? "" : password).toCharArray(), DECOY);
  }

  /** 24 URL-safe characters (144 random bits). */
  static String generate() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
