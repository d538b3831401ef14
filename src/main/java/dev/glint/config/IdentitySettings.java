package dev.glint.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the identity side guards itself: Keystone's {@code [security_compliance]} lockout and a
 * per-source throttle on failed logins. Immutable.
 *
 * @param lockoutFailureAttempts failed password checks in a row that lock a user out (Keystone's
 *     {@code lockout_failure_attempts}); 0 turns lockout off, the default
 * @param lockoutDuration how long a locked-out user stays locked (Keystone's {@code
 *     lockout_duration}, 1800 s by default)
 * @param throttleFailures failed logins one source address may make in a burst before it gets 429
 *     on {@code POST /v3/auth/tokens}, {@code POST /v2.0/tokens} and the password change; 0 turns
 *     the throttle off
 * @param throttlePerMinute how many further failed logins a source earns back each minute
 * @param policyFile an oslo.policy file (YAML or JSON) whose rules replace the defaults; empty for
 *     the defaults alone
 * @param keysDir the Fernet key repository; nodes that share it accept each other's tokens
 * @param maxActiveKeys keys kept by a rotation, staged and primary included (Keystone's {@code
 *     max_active_keys}, 3)
 * @param keysPoll how often a running node re-reads the key repository
 * @param external the Keystone to trust in external mode; empty when Glint is its own Keystone
 * @param passwords Keystone's {@code [security_compliance]} password rules; all off by default
 */
public record IdentitySettings(
    int lockoutFailureAttempts,
    Duration lockoutDuration,
    int throttleFailures,
    int throttlePerMinute,
    Optional<Path> policyFile,
    Path keysDir,
    int maxActiveKeys,
    Duration keysPoll,
    Optional<External> external,
    PasswordRules passwords) {

  /**
   * Keystone's {@code [security_compliance]} password options, each off by default as in Keystone.
   *
   * @param regex a password must match it (Java syntax); empty: any password
   * @param regexDescription what the regex asks for, shown when a password does not match
   * @param minimumAgeDays days a password must be kept before its user changes it again (0: off)
   * @param expiresDays days after which a password expires (0: never)
   * @param uniqueLastCount a new password must differ from the last {@code n - 1} ones (0, 1: off)
   * @param changeUponFirstUse a password set by an admin must be changed by its user first
   */
  public record PasswordRules(
      Optional<String> regex,
      Optional<String> regexDescription,
      int minimumAgeDays,
      int expiresDays,
      int uniqueLastCount,
      boolean changeUponFirstUse) {

    public static PasswordRules off() {
      return new PasswordRules(Optional.empty(), Optional.empty(), 0, 0, 0, false);
    }
  }

  /**
   * Another Keystone that Glint trusts instead of issuing tokens (external mode): Glint starts no
   * identity listener and validates each token there, as keystonemiddleware does.
   *
   * @param url that Keystone's base URL, without {@code /v3}
   * @param username the service user Glint logs in as to validate tokens
   * @param password its password
   * @param project the project its service token is scoped to
   * @param userDomain the service user's domain name
   * @param projectDomain the project's domain name
   * @param cacheTtl how long a validated token is trusted before it is asked about again (and so
   *     how long a revocation can go unnoticed); a refused token is remembered for at most 10 s
   */
  public record External(
      String url,
      String username,
      String password,
      String project,
      String userDomain,
      String projectDomain,
      Duration cacheTtl) {

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
      return "External[url=" + url + ", username=" + username + ", project=" + project
          + ", cacheTtl=" + cacheTtl + "]";
    }
  }

  /** Lockout off, the throttle at its defaults, keys in {@code dataDir/fernet-keys}. */
  public static IdentitySettings defaults(Path dataDir) {
    return new IdentitySettings(
        0, Duration.ofSeconds(1800), 20, 10, Optional.empty(), dataDir.resolve("fernet-keys"), 3,
        Duration.ofSeconds(30), Optional.empty(), PasswordRules.off());
  }

  public boolean lockoutEnabled() {
    return lockoutFailureAttempts > 0;
  }
}
