package dev.glint.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.identity.ApplicationCredential;
import dev.glint.identity.ApplicationCredentialRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ApplicationCredentialRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcApplicationCredentialRepository implements ApplicationCredentialRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, name, description, user_id, project_id, expires_at, unrestricted, role_ids";

  private final Database db;

  public JdbcApplicationCredentialRepository(Database db) {
    this.db = db;
  }

  @Override
  public boolean create(ApplicationCredential c, String secretHash) {
    String roles;
    try {
      roles = JSON.writeValueAsString(c.roleIds());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO application_credentials
                            (id, name, description, user_id, project_id, secret_hash, expires_at,
                             unrestricted, role_ids, created_at)
                        VALUES (:id, :name, :description, :user, :project, :hash, :expires,
                                :unrestricted, :roles, :created)
                        ON CONFLICT DO NOTHING""")
                    .bind("id", c.id())
                    .bind("name", c.name())
                    .bind("description", c.description())
                    .bind("user", c.userId())
                    .bind("project", c.projectId())
                    .bind("hash", secretHash)
                    .bind("expires", c.expiresAt() == null ? null : Micros.of(c.expiresAt()))
                    .bind("unrestricted", c.unrestricted())
                    .bind("roles", roles)
                    .bind("created", Instant.now().toEpochMilli())
                    .execute())
        > 0;
  }

  @Override
  public Optional<ApplicationCredential> find(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM application_credentials WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> credential(rs))
                .findOne());
  }

  @Override
  public Optional<ApplicationCredential> findByName(String userId, String name) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS
                        + " FROM application_credentials WHERE user_id = :user AND name = :name")
                .bind("user", userId)
                .bind("name", name)
                .map((rs, ctx) -> credential(rs))
                .findOne());
  }

  @Override
  public List<ApplicationCredential> list(String userId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS
                        + " FROM application_credentials WHERE user_id = :user ORDER BY name")
                .bind("user", userId)
                .map((rs, ctx) -> credential(rs))
                .list());
  }

  @Override
  public Optional<String> secretHash(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT secret_hash FROM application_credentials WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM application_credentials WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  private static ApplicationCredential credential(ResultSet rs) throws SQLException {
    long expires = rs.getLong("expires_at");
    Instant expiresAt = rs.wasNull() ? null : Micros.toInstant(expires);
    List<String> roles;
    try {
      roles = JSON.readValue(rs.getString("role_ids"), new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable role_ids of application credential " + rs.getString("id"), e);
    }
    return new ApplicationCredential(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("user_id"),
        rs.getString("project_id"),
        expiresAt,
        rs.getBoolean("unrestricted"),
        roles);
  }
}
