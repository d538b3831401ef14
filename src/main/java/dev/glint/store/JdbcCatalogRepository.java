package dev.glint.store;

import dev.glint.identity.CatalogRepository;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * {@link CatalogRepository} over JDBC, the same SQL for SQLite and PostgreSQL. A new row's
 * {@code seq} is one more than the table's highest, computed in its insert ({@code WHERE true}
 * lets SQLite parse {@code INSERT … SELECT … ON CONFLICT}).
 */
public final class JdbcCatalogRepository implements CatalogRepository {
  private final Database db;

  public JdbcCatalogRepository(Database db) {
    this.db = db;
  }

  @Override
  public <R> R inTransaction(Supplier<R> work) {
    return db.write(h -> work.get());
  }

  // ---------------------------------------------------------------- regions

  @Override
  public List<Region> regions() {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT id, description, parent_region_id, extra FROM catalog_regions"
                        + " ORDER BY seq, id")
                .map(
                    (rs, ctx) ->
                        new Region(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
  }

  @Override
  public Optional<Region> region(String id) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT id, description, parent_region_id, extra FROM catalog_regions"
                        + " WHERE id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new Region(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .findOne());
  }

  @Override
  public boolean createRegion(Region r) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO catalog_regions (id, description, parent_region_id, extra, seq)
                        SELECT :id, :description, :parent, :extra, COALESCE(MAX(seq), 0) + 1
                        FROM catalog_regions WHERE true
                        ON CONFLICT DO NOTHING""")
                    .bind("id", r.id())
                    .bind("description", r.description())
                    .bind("parent", r.parentRegionId())
                    .bind("extra", r.extra())
                    .execute())
        > 0;
  }

  @Override
  public void updateRegion(Region r) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE catalog_regions SET description = :description,"
                        + " parent_region_id = :parent, extra = :extra WHERE id = :id")
                .bind("id", r.id())
                .bind("description", r.description())
                .bind("parent", r.parentRegionId())
                .bind("extra", r.extra())
                .execute());
  }

  @Override
  public boolean deleteRegion(String id) {
    return db.write(
            h ->
                h.createUpdate("DELETE FROM catalog_regions WHERE id = :id")
                    .bind("id", id)
                    .execute())
        > 0;
  }

  // ---------------------------------------------------------------- services

  @Override
  public List<Service> services() {
    return db.read(
        h ->
            h.createQuery("SELECT id, type, enabled, extra FROM catalog_services ORDER BY seq, id")
                .map(
                    (rs, ctx) ->
                        new Service(
                            rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)))
                .list());
  }

  @Override
  public Optional<Service> service(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT id, type, enabled, extra FROM catalog_services WHERE id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new Service(
                            rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)))
                .findOne());
  }

  @Override
  public boolean createService(Service s) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO catalog_services (id, type, enabled, extra, seq)
                        SELECT :id, :type, :enabled, :extra, COALESCE(MAX(seq), 0) + 1
                        FROM catalog_services WHERE true
                        ON CONFLICT DO NOTHING""")
                    .bind("id", s.id())
                    .bind("type", s.type())
                    .bind("enabled", s.enabled())
                    .bind("extra", s.extra())
                    .execute())
        > 0;
  }

  @Override
  public void updateService(Service s) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE catalog_services SET type = :type, enabled = :enabled, extra = :extra"
                        + " WHERE id = :id")
                .bind("id", s.id())
                .bind("type", s.type())
                .bind("enabled", s.enabled())
                .bind("extra", s.extra())
                .execute());
  }

  @Override
  public boolean deleteService(String id) {
    return db.write(
        h -> {
          h.createUpdate(
                  "DELETE FROM project_endpoints WHERE endpoint_id IN"
                      + " (SELECT id FROM catalog_endpoints WHERE service_id = :id)")
              .bind("id", id)
              .execute();
          h.createUpdate("DELETE FROM catalog_endpoints WHERE service_id = :id")
              .bind("id", id)
              .execute();
          return h.createUpdate("DELETE FROM catalog_services WHERE id = :id")
                  .bind("id", id)
                  .execute()
              > 0;
        });
  }

  // ---------------------------------------------------------------- endpoints

  private static final String ENDPOINT_COLUMNS =
      "id, service_id, interface, region_id, url, enabled, extra";

  private static Endpoint endpoint(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Endpoint(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6),
        rs.getString(7));
  }

  @Override
  public List<Endpoint> endpoints() {
    return db.read(
        h ->
            h.createQuery("SELECT " + ENDPOINT_COLUMNS + " FROM catalog_endpoints ORDER BY seq, id")
                .map((rs, ctx) -> endpoint(rs))
                .list());
  }

  @Override
  public Optional<Endpoint> endpoint(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + ENDPOINT_COLUMNS + " FROM catalog_endpoints WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> endpoint(rs))
                .findOne());
  }

  @Override
  public boolean createEndpoint(Endpoint e) {
    return db.write(
            h ->
                h.createUpdate(
                        """
                        INSERT INTO catalog_endpoints
                            (id, service_id, interface, region_id, url, enabled, extra, seq)
                        SELECT :id, :service, :iface, :region, :url, :enabled, :extra,
                               COALESCE(MAX(seq), 0) + 1
                        FROM catalog_endpoints WHERE true
                        ON CONFLICT DO NOTHING""")
                    .bind("id", e.id())
                    .bind("service", e.serviceId())
                    .bind("iface", e.iface())
                    .bind("region", e.regionId())
                    .bind("url", e.url())
                    .bind("enabled", e.enabled())
                    .bind("extra", e.extra())
                    .execute())
        > 0;
  }

  @Override
  public void updateEndpoint(Endpoint e) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    UPDATE catalog_endpoints SET service_id = :service, interface = :iface,
                        region_id = :region, url = :url, enabled = :enabled, extra = :extra
                    WHERE id = :id""")
                .bind("id", e.id())
                .bind("service", e.serviceId())
                .bind("iface", e.iface())
                .bind("region", e.regionId())
                .bind("url", e.url())
                .bind("enabled", e.enabled())
                .bind("extra", e.extra())
                .execute());
  }

  @Override
  public boolean deleteEndpoint(String id) {
    return db.write(
        h -> {
          h.createUpdate("DELETE FROM project_endpoints WHERE endpoint_id = :id")
              .bind("id", id)
              .execute();
          return h.createUpdate("DELETE FROM catalog_endpoints WHERE id = :id")
                  .bind("id", id)
                  .execute()
              > 0;
        });
  }

  // ---------------------------------------------------------------- endpoint groups

  @Override
  public List<EndpointGroup> endpointGroups() {
    return db.read(
        h ->
            h.createQuery("SELECT id, name, description, filters FROM endpoint_groups ORDER BY id")
                .map(
                    (rs, ctx) ->
                        new EndpointGroup(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
  }

  @Override
  public Optional<EndpointGroup> endpointGroup(String id) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT id, name, description, filters FROM endpoint_groups WHERE id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) ->
                        new EndpointGroup(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .findOne());
  }

  @Override
  public void createEndpointGroup(EndpointGroup g) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO endpoint_groups (id, name, description, filters)"
                        + " VALUES (:id, :name, :description, :filters)")
                .bind("id", g.id())
                .bind("name", g.name())
                .bind("description", g.description())
                .bind("filters", g.filters())
                .execute());
  }

  @Override
  public void updateEndpointGroup(EndpointGroup g) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE endpoint_groups SET name = :name, description = :description,"
                        + " filters = :filters WHERE id = :id")
                .bind("id", g.id())
                .bind("name", g.name())
                .bind("description", g.description())
                .bind("filters", g.filters())
                .execute());
  }

  @Override
  public boolean deleteEndpointGroup(String id) {
    return db.write(
        h -> {
          h.createUpdate("DELETE FROM project_endpoint_groups WHERE endpoint_group_id = :id")
              .bind("id", id)
              .execute();
          return h.createUpdate("DELETE FROM endpoint_groups WHERE id = :id")
                  .bind("id", id)
                  .execute()
              > 0;
        });
  }

  // ---------------------------------------------------------------- project associations

  @Override
  public boolean addProjectEndpoint(String endpointId, String projectId) {
    return add("project_endpoints", "endpoint_id", endpointId, projectId);
  }

  @Override
  public boolean hasProjectEndpoint(String endpointId, String projectId) {
    return has("project_endpoints", "endpoint_id", endpointId, projectId);
  }

  @Override
  public boolean removeProjectEndpoint(String endpointId, String projectId) {
    return remove("project_endpoints", "endpoint_id", endpointId, projectId);
  }

  @Override
  public List<String> projectEndpoints(String projectId) {
    return ids("SELECT endpoint_id FROM project_endpoints WHERE project_id = :id", projectId);
  }

  @Override
  public List<String> endpointProjects(String endpointId) {
    return ids("SELECT project_id FROM project_endpoints WHERE endpoint_id = :id", endpointId);
  }

  @Override
  public boolean addProjectEndpointGroup(String groupId, String projectId) {
    return add("project_endpoint_groups", "endpoint_group_id", groupId, projectId);
  }

  @Override
  public boolean hasProjectEndpointGroup(String groupId, String projectId) {
    return has("project_endpoint_groups", "endpoint_group_id", groupId, projectId);
  }

  @Override
  public boolean removeProjectEndpointGroup(String groupId, String projectId) {
    return remove("project_endpoint_groups", "endpoint_group_id", groupId, projectId);
  }

  @Override
  public List<String> projectEndpointGroups(String projectId) {
    return ids(
        "SELECT endpoint_group_id FROM project_endpoint_groups WHERE project_id = :id",
        projectId);
  }

  @Override
  public List<String> endpointGroupProjects(String groupId) {
    return ids(
        "SELECT project_id FROM project_endpoint_groups WHERE endpoint_group_id = :id", groupId);
  }

  // table and column come from the constants above, never from a request
  private boolean add(String table, String column, String id, String projectId) {
    return db.write(
            h ->
                h.createUpdate(
                        "INSERT INTO " + table + " (" + column + ", project_id)"
                            + " VALUES (:id, :project) ON CONFLICT DO NOTHING")
                    .bind("id", id)
                    .bind("project", projectId)
                    .execute())
        > 0;
  }

  private boolean has(String table, String column, String id, String projectId) {
    return db.read(
        (Handle h) ->
            h.createQuery(
                    "SELECT 1 FROM " + table + " WHERE " + column + " = :id"
                        + " AND project_id = :project")
                .bind("id", id)
                .bind("project", projectId)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
  }

  private boolean remove(String table, String column, String id, String projectId) {
    return db.write(
            h ->
                h.createUpdate(
                        "DELETE FROM " + table + " WHERE " + column + " = :id"
                            + " AND project_id = :project")
                    .bind("id", id)
                    .bind("project", projectId)
                    .execute())
        > 0;
  }

  private List<String> ids(String sql, String id) {
    return db.read(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).list());
  }
}
