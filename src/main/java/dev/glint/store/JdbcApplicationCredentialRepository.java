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
            h -> {
              h.createUpdate(
                      "DELETE FROM application_credential_access_rules"
                          + " WHERE application_credential_id = :id")
                  .bind("id", id)
                  .execute();
              return h.createUpdate("DELETE FROM application_credentials WHERE id = :id")
                  .bind("id", id)
                  .execute();
            })
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

  private static final String RULE_COLUMNS = "r.id, r.service, r.method, r.path";

  private static dev.glint.identity.AccessRule rule(ResultSet rs) throws SQLException {
    return new dev.glint.identity.AccessRule(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
  }

  @Override
  public List<dev.glint.identity.AccessRule> accessRules(String userId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + RULE_COLUMNS + " FROM access_rules r WHERE r.user_id = :user"
                        + " ORDER BY r.created_at, r.id")
                .bind("user", userId)
                .map((rs, ctx) -> rule(rs))
                .list());
  }

  @Override
  public List<dev.glint.identity.AccessRule> accessRulesOf(String credentialId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + RULE_COLUMNS + " FROM access_rules r"
                        + " JOIN application_credential_access_rules l ON l.access_rule_id = r.id"
                        + " WHERE l.application_credential_id = :credential"
                        + " ORDER BY r.created_at, r.id")
                .bind("credential", credentialId)
                .map((rs, ctx) -> rule(rs))
                .list());
  }

  @Override
  public void addAccessRule(String userId, dev.glint.identity.AccessRule r) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO access_rules (id, user_id, service, method, path, created_at)
                    VALUES (:id, :user, :service, :method, :path, :created)""")
                .bind("id", r.id())
                .bind("user", userId)
                .bind("service", r.service())
                .bind("method", r.method())
                .bind("path", r.path())
                .bind("created", Micros.of(Micros.now()))
                .execute());
  }

  @Override
  public void linkAccessRules(String credentialId, List<String> ruleIds) {
    db.write(
        h -> {
          for (String id : ruleIds) {
            h.createUpdate(
                    """
                    INSERT INTO application_credential_access_rules
                        (application_credential_id, access_rule_id)
                    VALUES (:credential, :rule)""")
                .bind("credential", credentialId)
                .bind("rule", id)
                .execute();
          }
          return null;
        });
  }

  @Override
  public boolean accessRuleInUse(String ruleId) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT COUNT(*) FROM application_credential_access_rules l
                    JOIN application_credentials c ON c.id = l.application_credential_id
                    WHERE l.access_rule_id = :rule""")
                .bind("rule", ruleId)
                .mapTo(Long.class)
                .one())
        > 0;
  }

  @Override
  public boolean deleteAccessRule(String ruleId) {
    return db.write(
        h -> {
          // Links left by credentials deleted with their user or project go with the rule.
          h.createUpdate("DELETE FROM application_credential_access_rules WHERE access_rule_id = :id")
              .bind("id", ruleId)
              .execute();
          return h.createUpdate("DELETE FROM access_rules WHERE id = :id")
                  .bind("id", ruleId)
                  .execute()
              > 0;
        });
  }
}
