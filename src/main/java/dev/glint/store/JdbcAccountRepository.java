package dev.glint.store;

import dev.glint.identity.AccountRepository;
import dev.glint.identity.Domain;
import dev.glint.identity.Group;
import dev.glint.identity.RoleAssignment;
import dev.glint.identity.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link AccountRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcAccountRepository implements AccountRepository {
  private static final String GROUP_COLUMNS = "g.id, g.name, g.domain_id, g.description";

  private final Database db;

  public JdbcAccountRepository(Database db) {
    this.db = db;
  }

  @Override
  public void createDomain(Domain d) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO domains (id, name, description, enabled)
                    VALUES (:id, :name, :description, :enabled)""")
                .bind("id", d.id())
                .bind("name", d.name())
                .bind("description", d.description())
                .bind("enabled", d.enabled())
                .execute());
  }

  @Override
  public boolean updateDomain(Domain d) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        UPDATE domains SET name = :name, description = :description,
                            enabled = :enabled
                        WHERE id = :id""")
                    .bind("id", d.id())
                    .bind("name", d.name())
                    .bind("description", d.description())
                    .bind("enabled", d.enabled())
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteDomain(String id) {
    // Children first, so that no row is left pointing at a deleted one.
    String projects = "(SELECT id FROM projects WHERE domain_id = :id)";
    String users = "(SELECT id FROM users WHERE domain_id = :id)";
    String groups = "(SELECT id FROM user_groups WHERE domain_id = :id)";
    String roles = "(SELECT id FROM roles WHERE domain_id = :id)";
    List<String> statements =
        List.of(
            "DELETE FROM role_assignments WHERE target_type = 'project' AND target_id IN " + projects,
            "DELETE FROM role_assignments WHERE target_type = 'domain' AND target_id = :id",
            "DELETE FROM role_assignments WHERE actor_type = 'user' AND actor_id IN " + users,
            "DELETE FROM role_assignments WHERE actor_type = 'group' AND actor_id IN " + groups,
            "DELETE FROM group_members WHERE group_id IN " + groups + " OR user_id IN " + users,
            "DELETE FROM role_grants WHERE project_id IN " + projects + " OR user_id IN " + users,
            "DELETE FROM application_credentials WHERE project_id IN " + projects
                + " OR user_id IN " + users,
            "DELETE FROM user_groups WHERE domain_id = :id",
            "DELETE FROM domain_config WHERE domain_id = :id",
            // The domain's own roles (domain-specific ones) go too, with whatever names them.
            "DELETE FROM role_assignments WHERE role_id IN " + roles,
            "DELETE FROM role_grants WHERE role_id IN " + roles,
            "DELETE FROM implied_roles WHERE prior_role_id IN " + roles
                + " OR implied_role_id IN " + roles,
            "DELETE FROM roles WHERE domain_id = :id",
            "DELETE FROM users WHERE domain_id = :id",
            "DELETE FROM projects WHERE domain_id = :id");
    return db.write(
            h -> {
              for (String sql : statements) {
                h.createUpdate(sql).bind("id", id).execute();
              }
              return h.createUpdate("DELETE FROM domains WHERE id = :id").bind("id", id).execute();
            })
        > 0;
  }

  @Override
  public Optional<Group> group(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + GROUP_COLUMNS + " FROM user_groups g WHERE g.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> group(rs))
                .findOne());
  }

  @Override
  public Optional<Group> groupByName(String domainId, String name) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + GROUP_COLUMNS
                        + " FROM user_groups g WHERE g.domain_id = :domain AND g.name = :name")
                .bind("domain", domainId)
                .bind("name", name)
                .map((rs, ctx) -> group(rs))
                .findOne());
  }

  @Override
  public List<Group> groups() {
    return db.read(
        h ->
            h.createQuery("SELECT " + GROUP_COLUMNS + " FROM user_groups g ORDER BY g.name, g.id")
                .map((rs, ctx) -> group(rs))
                .list());
  }

  @Override
  public void createGroup(Group g) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO user_groups (id, name, domain_id, description)
                    VALUES (:id, :name, :domain, :description)""")
                .bind("id", g.id())
                .bind("name", g.name())
                .bind("domain", g.domainId())
                .bind("description", g.description())
                .execute());
  }

  @Override
  public boolean updateGroup(Group g) {
    return db.write(
            h ->
                h.createUpdate(
                        "UPDATE user_groups SET name = :name, description = :description WHERE id = :id")
                    .bind("id", g.id())
                    .bind("name", g.name())
                    .bind("description", g.description())
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteGroup(String id) {
    return db.write(
            h -> {
              h.createUpdate(
                      "DELETE FROM role_assignments WHERE actor_type = 'group' AND actor_id = :id")
                  .bind("id", id)
                  .execute();
              h.createUpdate("DELETE FROM group_members WHERE group_id = :id").bind("id", id).execute();
              return h.createUpdate("DELETE FROM user_groups WHERE id = :id").bind("id", id).execute();
            })
        > 0;
  }

  @Override
  public void addMember(String groupId, String userId) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO group_members (group_id, user_id) VALUES (:group, :user)
                    ON CONFLICT DO NOTHING""")
                .bind("group", groupId)
                .bind("user", userId)
                .execute());
  }

  @Override
  public boolean removeMember(String groupId, String userId) {
    return db.write(
            h ->
                h.createUpdate(
                        "DELETE FROM group_members WHERE group_id = :group AND user_id = :user")
                    .bind("group", groupId)
                    .bind("user", userId)
                    .execute())
        > 0;
  }

  @Override
  public boolean isMember(String groupId, String userId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM group_members WHERE group_id = :group AND user_id = :user")
                .bind("group", groupId)
                .bind("user", userId)
                .mapTo(Integer.class)
                .one()
                > 0);
  }

  @Override
  public List<User> members(String groupId) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT u.id, u.name, u.domain_id, u.enabled, u.default_project_id, u.extra
                    FROM users u JOIN group_members m ON m.user_id = u.id
                    WHERE m.group_id = :group ORDER BY u.name, u.id""")
                .bind("group", groupId)
                .map(
                    (rs, ctx) ->
                        new User(
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getString("domain_id"),
                            rs.getBoolean("enabled"),
                            rs.getString("default_project_id"),
                            rs.getString("extra")))
                .list());
  }

  @Override
  public List<Group> groupsOf(String userId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + GROUP_COLUMNS
                        + """
                         FROM user_groups g JOIN group_members m ON m.group_id = g.id
                        WHERE m.user_id = :user ORDER BY g.name, g.id""")
                .bind("user", userId)
                .map((rs, ctx) -> group(rs))
                .list());
  }

  @Override
  public void assign(RoleAssignment a) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO role_assignments
                        (actor_type, actor_id, target_type, target_id, role_id, inherited)
                    VALUES (:actorType, :actor, :targetType, :target, :role, :inherited)
                    ON CONFLICT DO NOTHING""")
                .bindMap(keys(a))
                .execute());
  }

  @Override
  public boolean unassign(RoleAssignment a) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM role_assignments WHERE " + MATCH)
                    .bindMap(keys(a))
                    .execute())
        > 0;
  }

  @Override
  public boolean hasAssignment(RoleAssignment a) {
    return db.read(
        h ->
            h.createQuery("SELECT COUNT(*) FROM role_assignments WHERE " + MATCH)
                .bindMap(keys(a))
                .mapTo(Integer.class)
                .one()
                > 0);
  }

  private static final String MATCH =
      """
      actor_type = :actorType AND actor_id = :actor AND target_type = :targetType
      AND target_id = :target AND role_id = :role AND inherited = :inherited""";

  private static java.util.Map<String, Object> keys(RoleAssignment a) {
    return java.util.Map.of(
        "actorType", a.actorType().name().toLowerCase(Locale.ROOT),
        "actor", a.actorId(),
        "targetType", a.targetType().name().toLowerCase(Locale.ROOT),
        "target", a.targetId(),
        "role", a.roleId(),
        "inherited", a.inherited());
  }

  @Override
  public List<RoleAssignment> assignments() {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT actor_type, actor_id, target_type, target_id, role_id, inherited
                    FROM role_assignments
                    ORDER BY target_type, target_id, actor_type, actor_id, role_id""")
                .map(
                    (rs, ctx) ->
                        new RoleAssignment(
                            RoleAssignment.Actor.valueOf(
                                rs.getString("actor_type").toUpperCase(Locale.ROOT)),
                            rs.getString("actor_id"),
                            RoleAssignment.Target.valueOf(
                                rs.getString("target_type").toUpperCase(Locale.ROOT)),
                            rs.getString("target_id"),
                            rs.getString("role_id"),
                            rs.getBoolean("inherited")))
                .list());
  }

  @Override
  public boolean deleteImplication(String priorRoleId, String impliedRoleId) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        DELETE FROM implied_roles
                        WHERE prior_role_id = :prior AND implied_role_id = :implied""")
                    .bind("prior", priorRoleId)
                    .bind("implied", impliedRoleId)
                    .execute())
        > 0;
  }

  @Override
  public void forgetUser(String userId) {
    db.write(
        h -> {
          h.createUpdate("DELETE FROM group_members WHERE user_id = :id").bind("id", userId).execute();
          return h.createUpdate(
                  "DELETE FROM role_assignments WHERE actor_type = 'user' AND actor_id = :id")
              .bind("id", userId)
              .execute();
        });
  }

  @Override
  public void forgetRole(String roleId) {
    db.write(
        h ->
            h.createUpdate("DELETE FROM role_assignments WHERE role_id = :id")
                .bind("id", roleId)
                .execute());
  }

  @Override
  public void forgetProject(String projectId) {
    db.write(
        h ->
            h.createUpdate(
                    "DELETE FROM role_assignments WHERE target_type = 'project' AND target_id = :id")
                .bind("id", projectId)
                .execute());
  }

  private static Group group(ResultSet rs) throws SQLException {
    return new Group(
        rs.getString("id"), rs.getString("name"), rs.getString("domain_id"), rs.getString("description"));
  }
}
