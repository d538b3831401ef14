package dev.glint.identity;

import dev.glint.config.IdentitySettings;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.error.RetryAfterException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What stands between a guesser and the passwords: Keystone's {@code [security_compliance]}
 * lockout (per user, in the store, so every node sees it) and a throttle on failed logins per
 * source address (per node, in memory). Every password check goes through {@link #verify}, which
 * costs one bcrypt verification whatever the outcome, so timing tells nothing about the user.
 * Thread-safe.
 */
final class LoginGuard {
  /** Sources remembered at most; beyond it, sources back at a full allowance are forgotten. */
  static final int MAX_SOURCES = 10_000;

  private final IdentityRepository repository;
  private final IdentitySettings settings;
  private final Clock clock;
  private final Map<String, Allowance> sources = new ConcurrentHashMap<>();

  LoginGuard(IdentityRepository repository, IdentitySettings settings, Clock clock) {
    this.repository = repository;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Runs a login attempt from {@code source}: refused with 429 and {@code Retry-After} while the
   * source has no failed attempts left; a 401 from the attempt uses one up.
   */
  <T> T throttled(String source, Supplier<T> attempt) {
    if (settings.throttleFailures() == 0 || source == null) {
      return attempt.get();
    }
    long wait = allowance(source).waitSeconds(clock.millis());
    if (wait > 0) {
      throw new RetryAfterException(
          ErrorCode.TOO_MANY_REQUESTS,
          "Too many failed authentication attempts from this address. Retry after " + wait
              + " seconds.",
          wait);
    }
    try {
      return attempt.get();
    } catch (ApiException e) {
      if (e.code() == ErrorCode.UNAUTHORIZED) {
        allowance(source).spend(clock.millis());
      }
      throw e;
    }
  }

  private Allowance allowance(String source) {
    if (sources.size() >= MAX_SOURCES) {
      long now = clock.millis();
      sources.values().removeIf(a -> a.full(now));
      if (sources.size() >= MAX_SOURCES) {
        // Under a spread-out attack, forgetting beats growing without bound.
        sources.clear();
      }
    }
    return sources.computeIfAbsent(
        source, s -> new Allowance(settings.throttleFailures(), settings.throttlePerMinute()));
  }

  /**
   * Whether {@code password} is the user's, as Keystone's {@code authenticate} decides it: a
   * locked-out user is refused (401) even with the right password; a wrong one counts towards the
   * lockout, a right one clears the count. A null user (unknown) is simply false. Exactly one
   * bcrypt verification either way.
   */
  boolean verify(User user, String password) {
    if (user == null) {
      Passwords.decoy(password);
      return false;
    }
    IdentityRepository.FailedAuth failed = IdentityRepository.FailedAuth.NONE;
    if (settings.lockoutEnabled()) {
      failed = repository.failedAuth(user.id());
      if (failed.count() >= settings.lockoutFailureAttempts()) {
        Instant until = failed.lastAt().plus(settings.lockoutDuration());
        if (clock.instant().isBefore(until)) {
          Passwords.decoy(password);
          // Keystone's AccountLocked, a 401 whose detail the client never sees.
          throw KeystoneErrors.unauthorized("The account is locked for user: " + user.id() + ".");
        }
        repository.resetFailedAuth(user.id());
        failed = IdentityRepository.FailedAuth.NONE;
      }
    }
    boolean ok = Passwords.matches(password, repository.passwordHash(user.id()).orElse(null));
    if (settings.lockoutEnabled()) {
      if (!ok) {
        repository.recordFailedAuth(user.id(), clock.instant());
      } else if (failed.count() > 0) {
        repository.resetFailedAuth(user.id());
      }
    }
    return ok;
  }

  /** A token bucket of failed attempts: {@code burst} at most, {@code perMinute} refilled. */
  private static final class Allowance {
    private final double burst;
    private final double perMilli;
    private double left;
    private long at;

    Allowance(int burst, int perMinute) {
      this.burst = burst;
      this.perMilli = perMinute / 60_000.0;
      this.left = burst;
      this.at = Long.MIN_VALUE;
    }

    private void refill(long now) {
      if (at != Long.MIN_VALUE && now > at) {
        left = Math.min(burst, left + (now - at) * perMilli);
      }
      at = now;
    }

    synchronized long waitSeconds(long now) {
      refill(now);
      return left >= 1 ? 0 : (long) Math.ceil((1 - left) / perMilli / 1000.0);
    }

    synchronized void spend(long now) {
      refill(now);
      left = Math.max(0, left - 1);
    }

    synchronized boolean full(long now) {
      refill(now);
      return left >= burst;
    }
  }
}
