package dev.glint.identity;

import dev.glint.config.IdentitySettings;
import dev.glint.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keystone's {@code [security_compliance]} password rules ({@code identity/core.py}
 * {@code _validate_password}, {@code _validate_password_history}, {@code _validate_minimum_password_age};
 * {@code identity/backends/sql.py} password expiry): each off unless configured. Thread-safe.
 */
final class PasswordCompliance {
  private final IdentitySettings.PasswordRules rules;
  private final PasswordHistoryRepository history;
  private final Clock clock;
  private final Pattern regex;

  PasswordCompliance(
      IdentitySettings.PasswordRules rules, PasswordHistoryRepository history, Clock clock) {
    this.rules = rules;
    this.history = history;
    this.clock = clock;
    this.regex = rules.regex().map(Pattern::compile).orElse(null);
  }

  /** No rules, nothing recorded: for an admin service built without the store (tests). */
  static PasswordCompliance off() {
    PasswordHistoryRepository none =
        new PasswordHistoryRepository() {
          @Override
          public void add(String userId, Entry entry) {}

          @Override
          public List<Entry> latest(String userId, int limit) {
            return List.of();
          }

          @Override
          public void forget(String userId) {}
        };
    return new PasswordCompliance(
        IdentitySettings.PasswordRules.off(), none, Clock.systemUTC());
  }

  /** {@code PasswordRequirementsValidationError}: the configured regex must match. */
  void checkRequirements(String password) {
    if (regex != null && !regex.matcher(password).matches()) {
      throw ApiException.badRequest(
          "The password does not meet the requirements: "
              + rules.regexDescription().orElse(regex.pattern()));
    }
  }

  /**
   * A user changing their own password: the requirements, the minimum age of the current one
   * and the last passwords (an admin resetting it meets the requirements only, as in Keystone).
   */
  void checkSelfService(String userId, String password) {
    checkRequirements(password);
    // Keystone compares with the last unique_last_password_count passwords, the current one
    // included (identity/backends/sql.py passwords[-unique_cnt:]).
    int count = rules.uniqueLastCount();
    List<PasswordHistoryRepository.Entry> latest = history.latest(userId, Math.max(count, 1));
    if (rules.minimumAgeDays() > 0 && !latest.isEmpty()) {
      Instant allowed = latest.get(0).createdAt().plus(Duration.ofDays(rules.minimumAgeDays()));
      Instant now = clock.instant();
      if (now.isBefore(allowed)) {
        long daysLeft = Math.max(1, (Duration.between(now, allowed).toHours() + 23) / 24);
        throw ApiException.badRequest(
            "You cannot change your password at this time due to the minimum password age."
                + " Once you change your password, it must be used for "
                + rules.minimumAgeDays()
                + " day(s) before it can be changed. Please try again in "
                + daysLeft
                + " day(s) or contact your administrator to reset your password.");
      }
    }
    if (count > 0) {
      for (PasswordHistoryRepository.Entry e : latest) {
        if (Passwords.matches(password, e.passwordHash())) {
          throw ApiException.badRequest(
              "The new password cannot be identical to a previous password. The total number"
                  + " which includes the new password must be unique is "
                  + rules.uniqueLastCount()
                  + ".");
        }
      }
    }
  }

  /**
   * Records a password just given; an admin-set one expires at once when users must change it on
   * first use. Call inside the transaction that stores the hash.
   */
  void record(String userId, String hash, boolean setByAdmin) {
    Instant now = clock.instant();
    Instant expires = null;
    if (setByAdmin && rules.changeUponFirstUse()) {
      expires = now;
    } else if (rules.expiresDays() > 0) {
      expires = now.plus(Duration.ofDays(rules.expiresDays()));
    }
    history.add(userId, new PasswordHistoryRepository.Entry(hash, now, expires));
  }

  /** When the user's current password expires; empty for never (or no recorded password). */
  Optional<Instant> expiresAt(String userId) {
    List<PasswordHistoryRepository.Entry> latest = history.latest(userId, 1);
    return latest.isEmpty() ? Optional.empty() : Optional.ofNullable(latest.get(0).expiresAt());
  }

  boolean expired(String userId) {
    return expiresAt(userId).map(at -> !clock.instant().isBefore(at)).orElse(false);
  }

  void forget(String userId) {
    history.forget(userId);
  }
}
