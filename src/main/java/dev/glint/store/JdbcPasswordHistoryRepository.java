package dev.glint.store;

import dev.glint.identity.PasswordHistoryRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@link PasswordHistoryRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcPasswordHistoryRepository implements PasswordHistoryRepository {
  private final Database db;

  public JdbcPasswordHistoryRepository(Database db) {
    this.db = db;
  }

  @Override
  public void add(String userId, Entry e) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO password_history (id, user_id, password_hash, created_at,"
                        + " expires_at) VALUES (:id, :user, :hash, :created, :expires)")
                .bind("id", UUID.randomUUID().toString().replace("-", ""))
                .bind("user", userId)
                .bind("hash", e.passwordHash())
                .bind("created", e.createdAt().toEpochMilli())
                .bind("expires", e.expiresAt() == null ? null : e.expiresAt().toEpochMilli())
                .execute());
  }

  @Override
  public List<Entry> latest(String userId, int limit) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT password_hash, created_at, expires_at FROM password_history"
                        + " WHERE user_id = :user ORDER BY created_at DESC, id LIMIT :limit")
                .bind("user", userId)
                .bind("limit", limit)
                .map(
                    (rs, ctx) -> {
                      Instant created = Instant.ofEpochMilli(rs.getLong(2));
                      long expires = rs.getLong(3);
                      Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
                      return new Entry(rs.getString(1), created, expiresAt);
                    })
                .list());
  }

  @Override
  public void forget(String userId) {
    db.write(
        h -> h.createUpdate("DELETE FROM password_history WHERE user_id = :user")
            .bind("user", userId).execute());
  }
}
