package dev.glint.store;

import dev.glint.identity.Domain;
import dev.glint.identity.Grant;
import dev.glint.identity.IdentityRepository;
import dev.glint.identity.Project;
import dev.glint.identity.RevocationEvent;
import dev.glint.identity.Role;
import dev.glint.identity.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link IdentityRepository} over JDBC, the same SQL for SQLite and PostgreSQL. {@code ON CONFLICT
 * DO NOTHING} (SQLite 3.24+, PostgreSQL 9.5+) makes the {@code ensure…} inserts idempotent.
 */
public final class JdbcIdentityRepository implements IdentityRepository {
  private static final String PROJECT_COLUMNS = "p.id, p.name, p.domain_id, p.description, p.enabled, p.parent_id, p.tags";
  private static final String USER_COLUMNS =
      "u.id, u.name, u.domain_id, u.enabled, u.default_project_id, u.extra";

  private final Database db;

  public JdbcIdentityRepository(Database db) {
    this.db = db;
  }

  @Override
  public <R> R inTransaction(java.util.function.Supplier<R> work) {
    return db.write(h -> work.get());
  }

  @Override
  public Optional<Domain> domain(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, enabled FROM domains WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> domain(rs))
                .findOne());
  }

  @Override
  public Optional<Domain> domainByName(String name) {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, enabled FROM domains WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> domain(rs))
                .findOne());
  }

  @Override
  public List<Domain> domains() {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, enabled FROM domains ORDER BY name")
                .map((rs, ctx) -> domain(rs))
                .list());
  }

  @Override
  public void ensureDomain(Domain d) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO domains (id, name, description, enabled)
                    VALUES (:id, :name, :description, :enabled)
                    ON CONFLICT DO NOTHING""")
                .bind("id", d.id())
                .bind("name", d.name())
                .bind("description", d.description())
                .bind("enabled", d.enabled())
                .execute());
  }

  @Override
  public Optional<Project> project(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + PROJECT_COLUMNS + " FROM projects p WHERE p.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> project(rs))
                .findOne());
  }

  @Override
  public Optional<Project> projectByName(String domainId, String name) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT "
                        + PROJECT_COLUMNS
                        + " FROM projects p WHERE p.domain_id = :domain AND p.name = :name")
                .bind("domain", domainId)
                .bind("name", name)
                .map((rs, ctx) -> project(rs))
                .findOne());
  }

  @Override
  public List<Project> projects() {
    return db.read(
        h ->
            h.createQuery("SELECT " + PROJECT_COLUMNS + " FROM projects p ORDER BY p.name, p.id")
                .map((rs, ctx) -> project(rs))
                .list());
  }

  @Override
  public void ensureProject(Project p) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO projects (id, name, domain_id, description, enabled)
                    VALUES (:id, :name, :domain, :description, :enabled)
                    ON CONFLICT DO NOTHING""")
                .bind("id", p.id())
                .bind("name", p.name())
                .bind("domain", p.domainId())
                .bind("description", p.description())
                .bind("enabled", p.enabled())
                .execute());
  }

  @Override
  public Optional<User> user(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> user(rs))
                .findOne());
  }

  @Override
  public Optional<User> userByName(String domainId, String name) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT "
                        + USER_COLUMNS
                        + " FROM users u WHERE u.domain_id = :domain AND u.name = :name")
                .bind("domain", domainId)
                .bind("name", name)
                .map((rs, ctx) -> user(rs))
                .findOne());
  }

  @Override
  public void ensureUser(User u, String passwordHash) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO users
                        (id, name, domain_id, password_hash, enabled, default_project_id, extra)
                    VALUES (:id, :name, :domain, :hash, :enabled, :project, :extra)
                    ON CONFLICT DO NOTHING""")
                .bind("id", u.id())
                .bind("name", u.name())
                .bind("domain", u.domainId())
                .bind("hash", passwordHash)
                .bind("enabled", u.enabled())
                .bind("project", u.defaultProjectId())
                .bind("extra", u.extra())
                .execute());
  }

  @Override
  public Optional<String> passwordHash(String userId) {
    return db.read(
        h ->
            h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne());
  }

  @Override
  public void setPasswordHash(String userId, String passwordHash) {
    db.write(
        h ->
            h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", passwordHash)
                .bind("id", userId)
                .execute());
  }

  @Override
  public FailedAuth failedAuth(String userId) {
    return db.read(
        h ->
            h.createQuery("SELECT failed_auth_count, failed_auth_at FROM users WHERE id = :id")
                .bind("id", userId)
                .map(
                    (rs, ctx) -> {
                      long at = rs.getLong(2);
                      return rs.wasNull() || rs.getInt(1) == 0
                          ? FailedAuth.NONE
                          : new FailedAuth(rs.getInt(1), Instant.ofEpochMilli(at));
                    })
                .findOne()
                .orElse(FailedAuth.NONE));
  }

  @Override
  public void recordFailedAuth(String userId, Instant at) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    UPDATE users SET failed_auth_count = failed_auth_count + 1, failed_auth_at = :at
                    WHERE id = :id""")
                .bind("at", at.toEpochMilli())
                .bind("id", userId)
                .execute());
  }

  @Override
  public void resetFailedAuth(String userId) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    UPDATE users SET failed_auth_count = 0, failed_auth_at = NULL
                    WHERE id = :id AND failed_auth_count <> 0""")
                .bind("id", userId)
                .execute());
  }

  @Override
  public void setDefaultProject(String userId, String projectId) {
    db.write(
        h ->
            h.createUpdate("UPDATE users SET default_project_id = :project WHERE id = :id")
                .bind("project", projectId)
                .bind("id", userId)
                .execute());
  }

  @Override
  public Optional<Role> role(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, domain_id FROM roles WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> role(rs))
                .findOne());
  }

  @Override
  public Optional<Role> roleByName(String name) {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, domain_id FROM roles WHERE name = :name")
                .bind("name", name)
                .map((rs, ctx) -> role(rs))
                .findOne());
  }

  @Override
  public List<Role> roles() {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, domain_id FROM roles ORDER BY name")
                .map((rs, ctx) -> role(rs))
                .list());
  }

  @Override
  public void ensureRole(Role r) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO roles (id, name, description) VALUES (:id, :name, :description)
                    ON CONFLICT DO NOTHING""")
                .bind("id", r.id())
                .bind("name", r.name())
                .bind("description", r.description())
                .execute());
  }

  @Override
  public void ensureImplication(String priorRoleId, String impliedRoleId) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO implied_roles (prior_role_id, implied_role_id)
                    VALUES (:prior, :implied)
                    ON CONFLICT DO NOTHING""")
                .bind("prior", priorRoleId)
                .bind("implied", impliedRoleId)
                .execute());
  }

  @Override
  public Map<String, Set<String>> implications() {
    return db.read(
        h -> {
          Map<String, Set<String>> out = new HashMap<>();
          h.createQuery(
                  """
                  SELECT prior_role_id, implied_role_id FROM implied_roles
                  ORDER BY prior_role_id, implied_role_id""")
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
              .forEach(
                  e -> out.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue()));
          return out;
        });
  }

  @Override
  public void grant(String projectId, String userId, String roleId) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO role_grants (project_id, user_id, role_id)
                    VALUES (:project, :user, :role)
                    ON CONFLICT DO NOTHING""")
                .bind("project", projectId)
                .bind("user", userId)
                .bind("role", roleId)
                .execute());
  }

  @Override
  public List<Role> grantedRoles(String userId, String projectId) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT r.id, r.name, r.description, r.domain_id
                    FROM role_grants g JOIN roles r ON r.id = g.role_id
                    WHERE g.user_id = :user AND g.project_id = :project
                    ORDER BY r.name""")
                .bind("user", userId)
                .bind("project", projectId)
                .map((rs, ctx) -> role(rs))
                .list());
  }

  @Override
  public List<Project> projectsOf(String userId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT "
                        + PROJECT_COLUMNS
                        + """
                         FROM projects p
                        WHERE EXISTS (SELECT 1 FROM role_grants g
                                      WHERE g.project_id = p.id AND g.user_id = :user)
                        ORDER BY p.name, p.id""")
                .bind("user", userId)
                .map((rs, ctx) -> project(rs))
                .list());
  }

  @Override
  public void createProject(Project p) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO projects (id, name, domain_id, description, enabled, parent_id, tags)
                    VALUES (:id, :name, :domain, :description, :enabled, :parent, :tags)""")
                .bind("id", p.id())
                .bind("name", p.name())
                .bind("domain", p.domainId())
                .bind("description", p.description())
                .bind("enabled", p.enabled())
                .bind("parent", p.parentId())
                .bind("tags", ProjectTags.write(p.tags()))
                .execute());
  }

  @Override
  public boolean updateProject(Project p) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        UPDATE projects SET name = :name, description = :description,
                            enabled = :enabled, tags = :tags
                        WHERE id = :id""")
                    .bind("id", p.id())
                    .bind("name", p.name())
                    .bind("description", p.description())
                    .bind("enabled", p.enabled())
                    .bind("tags", ProjectTags.write(p.tags()))
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteProject(String id) {
    return db.write(
            h -> {
              h.createUpdate("DELETE FROM role_grants WHERE project_id = :id").bind("id", id).execute();
              h.createUpdate("DELETE FROM application_credentials WHERE project_id = :id")
                  .bind("id", id)
                  .execute();
              return h.createUpdate("DELETE FROM projects WHERE id = :id").bind("id", id).execute();
            })
        > 0;
  }

  @Override
  public List<User> users() {
    return db.read(
        h ->
            h.createQuery("SELECT " + USER_COLUMNS + " FROM users u ORDER BY u.name, u.id")
                .map((rs, ctx) -> user(rs))
                .list());
  }

  @Override
  public void createUser(User u, String passwordHash) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO users
                        (id, name, domain_id, password_hash, enabled, default_project_id, extra)
                    VALUES (:id, :name, :domain, :hash, :enabled, :project, :extra)""")
                .bind("id", u.id())
                .bind("name", u.name())
                .bind("domain", u.domainId())
                .bind("hash", passwordHash)
                .bind("enabled", u.enabled())
                .bind("project", u.defaultProjectId())
                .bind("extra", u.extra())
                .execute());
  }

  @Override
  public boolean updateUser(User u) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        UPDATE users SET name = :name, domain_id = :domain, enabled = :enabled,
                            default_project_id = :project, extra = :extra
                        WHERE id = :id""")
                    .bind("id", u.id())
                    .bind("name", u.name())
                    .bind("domain", u.domainId())
                    .bind("enabled", u.enabled())
                    .bind("project", u.defaultProjectId())
                    .bind("extra", u.extra())
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteUser(String id) {
    return db.write(
            h -> {
              h.createUpdate("DELETE FROM role_grants WHERE user_id = :id").bind("id", id).execute();
              // As Keystone: a user's application credentials go with the user.
              h.createUpdate("DELETE FROM application_credentials WHERE user_id = :id")
                  .bind("id", id)
                  .execute();
              return h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
            })
        > 0;
  }

  @Override
  public void createRole(Role r) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO roles (id, name, description, domain_id)
                    VALUES (:id, :name, :description, :domain)""")
                .bind("domain", r.domainId())
                .bind("id", r.id())
                .bind("name", r.name())
                .bind("description", r.description())
                .execute());
  }

  @Override
  public boolean updateRole(Role r) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE roles SET name = :name, description = :description WHERE id = :id")
                    .bind("id", r.id())
                    .bind("name", r.name())
                    .bind("description", r.description())
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteRole(String id) {
    return db.write(
            h -> {
              h.createUpdate("DELETE FROM role_grants WHERE role_id = :id").bind("id", id).execute();
              h.createUpdate(
                      "DELETE FROM implied_roles WHERE prior_role_id = :id OR implied_role_id = :id")
                  .bind("id", id)
                  .execute();
              return h.createUpdate("DELETE FROM roles WHERE id = :id").bind("id", id).execute();
            })
        > 0;
  }

  @Override
  public boolean hasGrant(String projectId, String userId, String roleId) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT count(*) FROM role_grants
                    WHERE project_id = :project AND user_id = :user AND role_id = :role""")
                .bind("project", projectId)
                .bind("user", userId)
                .bind("role", roleId)
                .mapTo(Long.class)
                .one()
            > 0);
  }

  @Override
  public boolean revokeGrant(String projectId, String userId, String roleId) {
    return db.write(
        h -> {
          int removed =
              h.createUpdate(
                      """
                      DELETE FROM role_grants
                      WHERE project_id = :project AND user_id = :user AND role_id = :role""")
                  .bind("project", projectId)
                  .bind("user", userId)
                  .bind("role", roleId)
                  .execute();
          if (removed > 0) {
            // As Keystone: a removed role assignment deletes the user's application
            // credentials on that project.
            h.createUpdate(
                    """
                    DELETE FROM application_credentials
                    WHERE user_id = :user AND project_id = :project""")
                .bind("user", userId)
                .bind("project", projectId)
                .execute();
          }
          return removed > 0;
        });
  }

  @Override
  public List<Grant> grants() {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT project_id, user_id, role_id FROM role_grants
                    ORDER BY project_id, user_id, role_id""")
                .map((rs, ctx) -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list());
  }

  @Override
  public void addRevocation(RevocationEvent e, Instant revokedAt) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO revocation_events
                        (id, audit_id, user_id, project_id, application_credential_id,
                         access_token_id, trust_id, issued_before, expires_at, revoked_at)
                    VALUES (:id, :audit, :user, :project, :credential, :accessToken, :trust,
                            :before, :expires, :revoked)""")
                .bind("id", e.id())
                .bind("audit", e.auditId())
                .bind("user", e.userId())
                .bind("project", e.projectId())
                .bind("credential", e.applicationCredentialId())
                .bind("accessToken", e.accessTokenId())
                .bind("trust", e.trustId())
                .bind("before", e.issuedBefore().toEpochMilli())
                .bind("expires", e.expiresAt().getEpochSecond())
                .bind("revoked", revokedAt.toEpochMilli())
                .execute());
  }

  @Override
  public List<RevocationEvent> revocationsSince(Instant since, Instant now) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT id, audit_id, user_id, project_id, application_credential_id,
                           access_token_id, trust_id, issued_before, expires_at
                    FROM revocation_events
                    WHERE revoked_at >= :since AND expires_at > :now""")
                .bind("since", since.toEpochMilli())
                .bind("now", now.getEpochSecond())
                .map(
                    (rs, ctx) ->
                        new RevocationEvent(
                            rs.getString("id"),
                            rs.getString("audit_id"),
                            rs.getString("user_id"),
                            rs.getString("project_id"),
                            rs.getString("application_credential_id"),
                            rs.getString("access_token_id"),
                            rs.getString("trust_id"),
                            Instant.ofEpochMilli(rs.getLong("issued_before")),
                            Instant.ofEpochSecond(rs.getLong("expires_at"))))
                .list());
  }

  @Override
  public void purgeRevocations(Instant now) {
    db.write(
        h ->
            h.createUpdate("DELETE FROM revocation_events WHERE expires_at <= :now")
                .bind("now", now.getEpochSecond())
                .execute());
  }

  private static Domain domain(ResultSet rs) throws SQLException {
    return new Domain(
        rs.getString("id"), rs.getString("name"), rs.getString("description"), rs.getBoolean("enabled"));
  }

  private static Project project(ResultSet rs) throws SQLException {
    return new Project(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("domain_id"),
        rs.getString("description"),
        rs.getBoolean("enabled"),
        rs.getString("parent_id"),
        ProjectTags.read(rs.getString("tags")));
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("domain_id"),
        rs.getBoolean("enabled"),
        rs.getString("default_project_id"),
        rs.getString("extra"));
  }

  private static Role role(ResultSet rs) throws SQLException {
    return new Role(
        rs.getString("id"), rs.getString("name"), rs.getString("description"),
        rs.getString("domain_id"));
  }
}
