package dev.glint.store;

import dev.glint.identity.CredentialRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link CredentialRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcCredentialRepository implements CredentialRepository {
  private static final String COLUMNS =
      "id, user_id, project_id, type, encrypted_blob, key_hash, extra";

  private final Database db;

  public JdbcCredentialRepository(Database db) {
    this.db = db;
  }

  @Override
  public boolean create(Stored c) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO credentials
                            (id, user_id, project_id, type, encrypted_blob, key_hash, extra,
                             created_at)
                        VALUES (:id, :user, :project, :type, :blob, :hash, :extra, :created)
                        ON CONFLICT DO NOTHING""")
                    .bind("id", c.id())
                    .bind("user", c.userId())
                    .bind("project", c.projectId())
                    .bind("type", c.type())
                    .bind("blob", c.encryptedBlob())
                    .bind("hash", c.keyHash())
                    .bind("extra", c.extra())
                    .bind("created", Instant.now().toEpochMilli())
                    .execute())
        > 0;
  }

  @Override
  public Optional<Stored> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM credentials WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> stored(rs))
                .findOne());
  }

  @Override
  public List<Stored> list(String userId, String type) {
    String where =
        (userId == null ? "" : " AND user_id = :user") + (type == null ? "" : " AND type = :type");
    return db.read(
        h -> {
          var q =
              h.createQuery(
                  "SELECT " + COLUMNS + " FROM credentials WHERE 1 = 1" + where
                      + " ORDER BY created_at, id");
          if (userId != null) {
            q.bind("user", userId);
          }
          if (type != null) {
            q.bind("type", type);
          }
          return q.map((rs, ctx) -> stored(rs)).list();
        });
  }

  @Override
  public void update(Stored c) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    UPDATE credentials SET user_id = :user, project_id = :project, type = :type,
                        encrypted_blob = :blob, key_hash = :hash, extra = :extra
                    WHERE id = :id""")
                .bind("id", c.id())
                .bind("user", c.userId())
                .bind("project", c.projectId())
                .bind("type", c.type())
                .bind("blob", c.encryptedBlob())
                .bind("hash", c.keyHash())
                .bind("extra", c.extra())
                .execute());
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM credentials WHERE id = :id").bind("id", id).execute())
        > 0;
  }

  private static Stored stored(ResultSet rs) throws SQLException {
    return new Stored(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7));
  }
}
