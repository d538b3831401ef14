package dev.glint.store;

import dev.glint.identity.LimitRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link LimitRepository} over JDBC, the same SQL for SQLite and PostgreSQL. Absent regions and
 * owners are stored as {@code ''} so that the unique keys hold (NULLs never clash in SQL).
 */
public final class JdbcLimitRepository implements LimitRepository {
  private final Database db;

  public JdbcLimitRepository(Database db) {
    this.db = db;
  }

  private static String none(String s) {
    return s == null ? "" : s;
  }

  private static String orNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Override
  public <R> R inTransaction(Supplier<R> work) {
    return db.write(h -> work.get());
  }

  @Override
  public boolean createRegistered(RegisteredLimit r) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO registered_limits (id, service_id, region_id, resource_name,
                            default_limit, description, created_at)
                        VALUES (:id, :service, :region, :resource, :limit, :description, :created)
                        ON CONFLICT DO NOTHING""")
                    .bind("id", r.id())
                    .bind("service", r.serviceId())
                    .bind("region", none(r.regionId()))
                    .bind("resource", r.resourceName())
                    .bind("limit", r.defaultLimit())
                    .bind("description", r.description())
                    .bind("created", Instant.now().toEpochMilli())
                    .execute())
        > 0;
  }

  private static final String REGISTERED =
      "SELECT id, service_id, region_id, resource_name, default_limit, description"
          + " FROM registered_limits";

  private static RegisteredLimit registered(ResultSet rs) throws SQLException {
    return new RegisteredLimit(
        rs.getString(1), rs.getString(2), orNull(rs.getString(3)), rs.getString(4), rs.getInt(5),
        rs.getString(6));
  }

  @Override
  public Optional<RegisteredLimit> registered(String id) {
    return db.read(
        h -> h.createQuery(REGISTERED + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> registered(rs)).findOne());
  }

  @Override
  public List<RegisteredLimit> registeredLimits() {
    return db.read(
        h -> h.createQuery(REGISTERED + " ORDER BY created_at, id")
            .map((rs, ctx) -> registered(rs)).list());
  }

  @Override
  public boolean updateRegistered(RegisteredLimit r) {
    return db.write(
        h -> {
          boolean clash =
              h.createQuery(
                      "SELECT 1 FROM registered_limits WHERE service_id = :service"
                          + " AND region_id = :region AND resource_name = :resource AND id <> :id")
                  .bind("id", r.id())
                  .bind("service", r.serviceId())
                  .bind("region", none(r.regionId()))
                  .bind("resource", r.resourceName())
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          if (clash) {
            return false;
          }
          h.createUpdate(
                  """
                  UPDATE registered_limits SET service_id = :service, region_id = :region,
                      resource_name = :resource, default_limit = :limit, description = :description
                  WHERE id = :id""")
              .bind("id", r.id())
              .bind("service", r.serviceId())
              .bind("region", none(r.regionId()))
              .bind("resource", r.resourceName())
              .bind("limit", r.defaultLimit())
              .bind("description", r.description())
              .execute();
          return true;
        });
  }

  @Override
  public boolean deleteRegistered(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM registered_limits WHERE id = :id").bind("id", id)
                .execute())
        > 0;
  }

  @Override
  public boolean createLimit(Limit l) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO limits (id, project_id, domain_id, service_id, region_id,
                            resource_name, resource_limit, description, created_at)
                        VALUES (:id, :project, :domain, :service, :region, :resource, :limit,
                                :description, :created)
                        ON CONFLICT DO NOTHING""")
                    .bind("id", l.id())
                    .bind("project", none(l.projectId()))
                    .bind("domain", none(l.domainId()))
                    .bind("service", l.serviceId())
                    .bind("region", none(l.regionId()))
                    .bind("resource", l.resourceName())
                    .bind("limit", l.resourceLimit())
                    .bind("description", l.description())
                    .bind("created", Instant.now().toEpochMilli())
                    .execute())
        > 0;
  }

  private static final String LIMITS =
      "SELECT id, project_id, domain_id, service_id, region_id, resource_name, resource_limit,"
          + " description FROM limits";

  private static Limit limit(ResultSet rs) throws SQLException {
    return new Limit(
        rs.getString(1), orNull(rs.getString(2)), orNull(rs.getString(3)), rs.getString(4),
        orNull(rs.getString(5)), rs.getString(6), rs.getInt(7), rs.getString(8));
  }

  @Override
  public Optional<Limit> limit(String id) {
    return db.read(
        h -> h.createQuery(LIMITS + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> limit(rs)).findOne());
  }

  @Override
  public List<Limit> limits() {
    return db.read(
        h -> h.createQuery(LIMITS + " ORDER BY created_at, id").map((rs, ctx) -> limit(rs))
            .list());
  }

  @Override
  public void updateLimit(Limit l) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE limits SET resource_limit = :limit, description = :description"
                        + " WHERE id = :id")
                .bind("id", l.id())
                .bind("limit", l.resourceLimit())
                .bind("description", l.description())
                .execute());
  }

  @Override
  public boolean deleteLimit(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM limits WHERE id = :id").bind("id", id).execute())
        > 0;
  }
}
