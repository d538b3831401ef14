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
 */
public record IdentitySettings(
    int lockoutFailureAttempts,
    Duration lockoutDuration,
    int throttleFailures,
    int throttlePerMinute,
    Optional<Path> policyFile,
    Path keysDir,
    int maxActiveKeys,
    Duration keysPoll) {

  /** Lockout off, the throttle at its defaults, keys in {@code dataDir/fernet-keys}. */
  public static IdentitySettings defaults(Path dataDir) {
    return new IdentitySettings(
        0, Duration.ofSeconds(1800), 20, 10, Optional.empty(), dataDir.resolve("fernet-keys"), 3,
        Duration.ofSeconds(30));
  }

  public boolean lockoutEnabled() {
    return lockoutFailureAttempts > 0;
  }
}
