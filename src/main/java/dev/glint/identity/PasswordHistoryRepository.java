package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/** The passwords each user was given, for Keystone's {@code [security_compliance]} rules. */
public interface PasswordHistoryRepository {
  /** One password a user was given; {@code expiresAt} null when it never expires. */
  record Entry(String passwordHash, Instant createdAt, Instant expiresAt) {}

  void add(String userId, Entry entry);

  /** The user's passwords, newest first, at most {@code limit}. */
  List<Entry> latest(String userId, int limit);

  /** Forgets a deleted user's passwords. */
  void forget(String userId);
}
