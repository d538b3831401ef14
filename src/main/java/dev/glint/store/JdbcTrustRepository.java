package dev.glint.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.identity.TrustRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TrustRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcTrustRepository implements TrustRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS =
      "id, trustor_user_id, trustee_user_id, project_id, impersonation, expires_at,"
          + " remaining_uses, redelegated_trust_id, redelegation_count, role_ids, extra";

  private final Database db;

  public JdbcTrustRepository(Database db) {
    this.db = db;
  }

  @Override
  public void create(Trust t) {
    String roles;
    try {
      roles = JSON.writeValueAsString(t.roleIds());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO trusts
                        (id, trustor_user_id, trustee_user_id, project_id, impersonation,
                         expires_at, remaining_uses, redelegated_trust_id, redelegation_count,
                         role_ids, extra, created_at)
                    VALUES (:id, :trustor, :trustee, :project, :impersonation, :expires,
                            :uses, :redelegated, :count, :roles, :extra, :created)""")
                .bind("id", t.id())
                .bind("trustor", t.trustorUserId())
                .bind("trustee", t.trusteeUserId())
                .bind("project", t.projectId())
                .bind("impersonation", t.impersonation())
                .bind("expires", t.expiresAt() == null ? null : t.expiresAt().toEpochMilli())
                .bind("uses", t.remainingUses())
                .bind("redelegated", t.redelegatedTrustId())
                .bind("count", t.redelegationCount())
                .bind("roles", roles)
                .bind("extra", t.extra())
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<Trust> find(String id) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM trusts WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map((rs, ctx) -> trust(rs))
                .findOne());
  }

  @Override
  public List<Trust> list(String trustorUserId, String trusteeUserId) {
    String where =
        (trustorUserId == null ? "" : " AND trustor_user_id = :trustor")
            + (trusteeUserId == null ? "" : " AND trustee_user_id = :trustee");
    return db.read(
        h -> {
          var q =
              h.createQuery(
                  "SELECT " + COLUMNS + " FROM trusts WHERE deleted_at IS NULL" + where
                      + " ORDER BY created_at, id");
          if (trustorUserId != null) {
            q.bind("trustor", trustorUserId);
          }
          if (trusteeUserId != null) {
            q.bind("trustee", trusteeUserId);
          }
          return q.map((rs, ctx) -> trust(rs)).list();
        });
  }

  @Override
  public boolean consumeUse(String id) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        UPDATE trusts
                        SET remaining_uses = CASE WHEN remaining_uses IS NULL THEN NULL
                                                  ELSE remaining_uses - 1 END
                        WHERE id = :id AND deleted_at IS NULL
                          AND (remaining_uses IS NULL OR remaining_uses > 0)""")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE trusts SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL")
                    .bind("id", id)
                    .bind("now", Instant.now().toEpochMilli())
                    .execute())
        > 0;
  }

  private static Trust trust(ResultSet rs) throws SQLException {
    long expires = rs.getLong(6);
    Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
    int uses = rs.getInt(7);
    Integer remaining = rs.wasNull() ? null : uses;
    int count = rs.getInt(9);
    Integer redelegationCount = rs.wasNull() ? null : count;
    List<String> roles;
    try {
      roles = JSON.readValue(rs.getString(10), new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("role_ids of trust " + rs.getString(1) + " do not parse", e);
    }
    return new Trust(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getBoolean(5),
        expiresAt,
        remaining,
        rs.getString(8),
        redelegationCount,
        roles,
        rs.getString(11));
  }
}
