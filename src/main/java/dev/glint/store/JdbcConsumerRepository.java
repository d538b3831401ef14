package dev.glint.store;

import dev.glint.identity.ConsumerRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ConsumerRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcConsumerRepository implements ConsumerRepository {
  private static final String SELECT =
      "SELECT id, description, secret_encrypted, key_hash, extra FROM oauth1_consumers";

  private final Database db;

  public JdbcConsumerRepository(Database db) {
    this.db = db;
  }

  @Override
  public void create(Consumer c) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO oauth1_consumers (id, description, secret_encrypted, key_hash,"
                        + " extra, created_at) VALUES (:id, :description, :secret, :hash, :extra,"
                        + " :created)")
                .bind("id", c.id())
                .bind("description", c.description())
                .bind("secret", c.secretEncrypted())
                .bind("hash", c.keyHash())
                .bind("extra", c.extra())
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<Consumer> find(String id) {
    return db.read(
        h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> consumer(rs)).findOne());
  }

  @Override
  public List<Consumer> list() {
    return db.read(
        h -> h.createQuery(SELECT + " ORDER BY created_at, id").map((rs, ctx) -> consumer(rs))
            .list());
  }

  @Override
  public void update(Consumer c) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE oauth1_consumers SET description = :description, extra = :extra"
                        + " WHERE id = :id")
                .bind("id", c.id())
                .bind("description", c.description())
                .bind("extra", c.extra())
                .execute());
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM oauth1_consumers WHERE id = :id").bind("id", id)
                .execute())
        > 0;
  }

  private static Consumer consumer(ResultSet rs) throws SQLException {
    return new Consumer(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }
}
