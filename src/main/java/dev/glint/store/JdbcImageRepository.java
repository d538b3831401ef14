package dev.glint.store;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageQuery;
import dev.glint.catalog.ImageRepository;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Page;
import dev.glint.catalog.Visibility;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** {@link ImageRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcImageRepository implements ImageRepository {

  static final String COLUMNS =
      """
      i.id, i.owner, i.name, i.status, i.visibility, i.protected, i.os_hidden, i.min_disk,
      i.min_ram, i.size, i.virtual_size, i.disk_format, i.container_format, i.checksum,
      i.os_hash_algo, i.os_hash_value, i.created_at, i.updated_at, i.deleted_at""";

  /** Statuses a plain list never shows; killed images only appear when asked for by status. */
  static final String HIDDEN_STATUSES = "('killed', 'deleted', 'pending_delete')";

  private final Database db;

  public JdbcImageRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Image> find(String id) {
    return db.read(
        h -> {
          Optional<Image> row =
              h.createQuery("SELECT " + COLUMNS + " FROM images i WHERE i.id = :id")
                  .bind("id", id)
                  .map((rs, ctx) -> row(rs))
                  .findOne();
          return row.map(img -> withDetails(h, List.of(img)).get(0));
        });
  }

  @Override
  public Page<Image> list(Scope scope, ImageQuery query, Image after, Instant deletedSince) {
    return db.read(
        h -> {
          Sql sql = filtered(scope, query, deletedSince);
          if (after != null) {
            sql.where("(i.created_at, i.id) < (:m_created, :m_id)")
                .bind("m_created", Micros.of(after.createdAt()))
                .bind("m_id", after.id());
          }
          String text =
              "SELECT "
                  + COLUMNS
                  + " FROM images i WHERE "
                  + sql.conditions()
                  + " ORDER BY i.created_at DESC, i.id DESC LIMIT :lim";
          Query q = h.createQuery(text).bind("lim", query.limit() + 1);
          sql.bindTo(q);
          List<Image> rows = q.map((rs, ctx) -> row(rs)).list();
          boolean more = rows.size() > query.limit();
          if (more) {
            rows = rows.subList(0, query.limit());
          }
          if (query.full()) {
            rows = withDetails(h, rows);
          }
          return new Page<>(rows, more, null);
        });
  }

  @Override
  public List<String> before(
      Scope scope, ImageQuery query, Image marker, Instant deletedSince, int count) {
    return db.read(
        h -> {
          Sql sql = filtered(scope, query, deletedSince);
          sql.where("(i.created_at, i.id) > (:m_created, :m_id)")
              .bind("m_created", Micros.of(marker.createdAt()))
              .bind("m_id", marker.id());
          String text =
              "SELECT i.id FROM images i WHERE "
                  + sql.conditions()
                  + " ORDER BY i.created_at ASC, i.id ASC LIMIT :lim";
          Query q = h.createQuery(text).bind("lim", count);
          sql.bindTo(q);
          return q.mapTo(String.class).list();
        });
  }

  /** The WHERE clause shared by a page and its previous-page lookup. */
  private static Sql filtered(Scope scope, ImageQuery query, Instant deletedSince) {
    Sql sql = new Sql();
    if (scope.admin()) {
      // Glance: admins see every project's images except other projects' community ones.
      sql.where("(i.visibility <> 'community' OR i.owner = :project)");
    } else {
      sql.where(
          """
          (i.visibility = 'public' OR i.owner = :project OR (i.visibility = 'shared' AND EXISTS (
              SELECT 1 FROM image_members m
              WHERE m.image_id = i.id AND m.member = :project AND m.status = 'accepted')))""");
    }
    sql.bind("project", scope.project());
    sql.where("i.os_hidden = :hidden").bind("hidden", false);

    String live = "(i.deleted_at IS NULL AND i.status NOT IN " + HIDDEN_STATUSES + ")";
    String recentlyDeleted = "(i.deleted_at IS NOT NULL AND i.deleted_at >= :deleted_since)";
    if (query.statuses().isEmpty()) {
      sql.where(deletedSince == null ? live : "(" + live + " OR " + recentlyDeleted + ")");
    } else {
      List<String> wanted = query.statuses().stream().map(ImageStatus::wire).sorted().toList();
      sql.where("i.status IN (<statuses>)").bindList("statuses", wanted);
      sql.where(
          deletedSince == null
              ? "i.deleted_at IS NULL"
              : "(i.deleted_at IS NULL OR i.deleted_at >= :deleted_since)");
    }
    if (deletedSince != null) {
      sql.bind("deleted_since", Micros.of(deletedSince));
    }
    if (query.name() != null) {
      sql.where("i.name = :name").bind("name", query.name());
    }
    int n = 0;
    for (Map.Entry<String, String> p : new java.util.TreeMap<>(query.properties()).entrySet()) {
      String k = "pk" + n;
      String v = "pv" + n++;
      sql.where(
              "EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = i.id AND p.name = :"
                  + k
                  + " AND p.value = :"
                  + v
                  + ")")
          .bind(k, p.getKey())
          .bind(v, p.getValue());
    }
    if (query.minRam() != null) {
      sql.where("i.min_ram >= :min_ram").bind("min_ram", query.minRam());
    }
    if (query.minDisk() != null) {
      sql.where("i.min_disk >= :min_disk").bind("min_disk", query.minDisk());
    }
    if (query.changesSince() != null) {
      sql.where("i.updated_at >= :since").bind("since", Micros.of(query.changesSince()));
    }
    return sql;
  }

  @Override
  public boolean markDeleted(String id, Instant when) {
    long at = Micros.of(when);
    return db.write(
        h ->
            h.createUpdate(
                        """
                        UPDATE images SET status = 'deleted', deleted_at = :at, updated_at = :at
                        WHERE id = :id AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("at", at)
                    .execute()
                > 0);
  }

  @Override
  public void replaceProperties(String id, Map<String, String> properties, Instant when) {
    db.write(
        h -> {
          h.createUpdate("DELETE FROM image_properties WHERE image_id = :id").bind("id", id).execute();
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO image_properties (image_id, name, value) VALUES (:id, :name, :value)");
          properties.forEach((k, v) -> batch.bind("id", id).bind("name", k).bind("value", v).add());
          if (batch.size() > 0) {
            batch.execute();
          }
          h.createUpdate("UPDATE images SET updated_at = :at WHERE id = :id")
              .bind("id", id)
              .bind("at", Micros.of(when))
              .execute();
          return null;
        });
  }

  @Override
  public boolean isMember(String imageId, String project) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM image_members WHERE image_id = :id AND member = :member")
                .bind("id", imageId)
                .bind("member", project)
                .mapTo(Long.class)
                .one()
            > 0);
  }

  @Override
  public long count() {
    return db.read(h -> h.createQuery("SELECT COUNT(*) FROM images").mapTo(Long.class).one());
  }

  @Override
  public void insert(Image image) {
    insertAll(List.of(image));
  }

  @Override
  public void insertAll(List<Image> images) {
    db.write(
        h -> {
          PreparedBatch rows =
              h.prepareBatch(
                  """
                  INSERT INTO images (id, owner, name, status, visibility, protected, os_hidden,
                      min_disk, min_ram, size, virtual_size, disk_format, container_format,
                      checksum, os_hash_algo, os_hash_value, created_at, updated_at, deleted_at)
                  VALUES (:id, :owner, :name, :status, :visibility, :protected, :os_hidden,
                      :min_disk, :min_ram, :size, :virtual_size, :disk_format, :container_format,
                      :checksum, :os_hash_algo, :os_hash_value, :created_at, :updated_at,
                      :deleted_at)""");
          PreparedBatch props =
              h.prepareBatch(
                  "INSERT INTO image_properties (image_id, name, value) VALUES (:id, :name, :value)");
          PreparedBatch tags =
              h.prepareBatch("INSERT INTO image_tags (image_id, tag) VALUES (:id, :tag)");
          for (Image img : images) {
            rows.bind("id", img.id())
                .bind("owner", img.owner())
                .bind("name", img.name())
                .bind("status", img.status().wire())
                .bind("visibility", img.visibility().wire())
                .bind("protected", img.isProtected())
                .bind("os_hidden", img.osHidden())
                .bind("min_disk", img.minDisk())
                .bind("min_ram", img.minRam())
                .bind("size", img.size())
                .bind("virtual_size", img.virtualSize())
                .bind("disk_format", img.diskFormat())
                .bind("container_format", img.containerFormat())
                .bind("checksum", img.checksum())
                .bind("os_hash_algo", img.osHashAlgo())
                .bind("os_hash_value", img.osHashValue())
                .bind("created_at", Micros.of(img.createdAt()))
                .bind("updated_at", Micros.of(img.updatedAt()))
                .bind("deleted_at", img.deletedAt() == null ? null : Micros.of(img.deletedAt()))
                .add();
            img.properties()
                .forEach(
                    (k, v) -> props.bind("id", img.id()).bind("name", k).bind("value", v).add());
            img.tags().forEach(t -> tags.bind("id", img.id()).bind("tag", t).add());
          }
          rows.execute();
          if (props.size() > 0) {
            props.execute();
          }
          if (tags.size() > 0) {
            tags.execute();
          }
          return null;
        });
  }

  /** Loads properties and tags for a page of images in two queries, whatever the page size. */
  static List<Image> withDetails(Handle h, List<Image> images) {
    if (images.isEmpty()) {
      return images;
    }
    List<String> ids = images.stream().map(Image::id).toList();
    Map<String, Map<String, String>> props = new HashMap<>();
    h.createQuery("SELECT image_id, name, value FROM image_properties WHERE image_id IN (<ids>)")
        .bindList("ids", ids)
        .map(
            (rs, ctx) -> {
              props
                  .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                  .put(rs.getString(2), rs.getString(3));
              return null;
            })
        .list();
    Map<String, Set<String>> tags = new HashMap<>();
    h.createQuery("SELECT image_id, tag FROM image_tags WHERE image_id IN (<ids>)")
        .bindList("ids", ids)
        .map(
            (rs, ctx) -> {
              tags.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
              return null;
            })
        .list();
    return images.stream()
        .map(
            i ->
                new Image(
                    i.id(), i.owner(), i.name(), i.status(), i.visibility(), i.isProtected(),
                    i.osHidden(), i.minDisk(), i.minRam(), i.size(), i.virtualSize(),
                    i.diskFormat(), i.containerFormat(), i.checksum(), i.osHashAlgo(),
                    i.osHashValue(), i.createdAt(), i.updatedAt(), i.deletedAt(),
                    props.getOrDefault(i.id(), Map.of()), tags.getOrDefault(i.id(), Set.of())))
        .collect(Collectors.toList());
  }

  static Image row(ResultSet rs) throws SQLException {
    return new Image(
        rs.getString("id"),
        rs.getString("owner"),
        rs.getString("name"),
        ImageStatus.fromWire(rs.getString("status")).orElse(ImageStatus.QUEUED),
        Visibility.fromWire(rs.getString("visibility")).orElse(Visibility.PRIVATE),
        rs.getBoolean("protected"),
        rs.getBoolean("os_hidden"),
        rs.getInt("min_disk"),
        rs.getInt("min_ram"),
        nullableLong(rs, "size"),
        nullableLong(rs, "virtual_size"),
        rs.getString("disk_format"),
        rs.getString("container_format"),
        rs.getString("checksum"),
        rs.getString("os_hash_algo"),
        rs.getString("os_hash_value"),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")),
        Micros.toInstantOrNull(nullableLong(rs, "deleted_at")),
        Map.of(),
        Set.of());
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** A WHERE clause built from conditions, with its bound values kept beside it. */
  static final class Sql {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, List<String>> lists = new LinkedHashMap<>();

    Sql where(String condition) {
      conditions.add(condition);
      return this;
    }

    Sql bind(String name, Object value) {
      values.put(name, value);
      return this;
    }

    Sql bindList(String name, List<String> value) {
      lists.put(name, value);
      return this;
    }

    String conditions() {
      return String.join(" AND ", conditions);
    }

    void bindTo(Query q) {
      values.forEach(q::bind);
      lists.forEach(q::bindList);
    }
  }
}
