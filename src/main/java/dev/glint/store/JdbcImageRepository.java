package dev.glint.store;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageMember;
import dev.glint.catalog.ImageRepository;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.MemberStatus;
import dev.glint.catalog.Page;
import dev.glint.catalog.Visibility;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
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

  /** Above this many images, an insert marks a bulk change (see V113). */
  static final int BULK = 1000;

  private final Database db;

  public JdbcImageRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Image> find(String id) {
    // One snapshot for the row and its properties: a background import commits both together,
    // and a show must not pair the old status with the new properties.
    org.jdbi.v3.core.HandleCallback<Optional<Image>, RuntimeException> work =
        h -> {
          Optional<Image> row =
              h.createQuery("SELECT " + COLUMNS + " FROM images i WHERE i.id = :id")
                  .bind("id", id)
                  .map((rs, ctx) -> row(rs))
                  .findOne();
          return row.map(img -> withDetails(h, List.of(img)).get(0));
        };
    return db.inTransaction() ? db.read(work) : db.readTransaction(work);
  }

  @Override
  public Optional<Image> lock(String id) {
    if (!db.inTransaction()) {
      throw new IllegalStateException("lock() outside a unit of work");
    }
    // PostgreSQL: the row lock orders writers of one image (taken first, so no lock cycle can
    // form). SQLite: the transaction already holds the database's write lock (BEGIN IMMEDIATE).
    String forUpdate = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    return db.read(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM images i WHERE i.id = :id" + forUpdate)
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(img -> withDetails(h, List.of(img)).get(0)));
  }

  @Override
  public dev.glint.catalog.CatalogGeneration generation() {
    return db.generation();
  }

  @Override
  public <R> R inTransaction(java.util.function.Supplier<R> work) {
    return db.write(h -> work.get());
  }

  @Override
  public ListRead list(Scope scope, ListQuery query, Instant deletedSince) {
    return db.readTransaction(
        h -> {
          Image marker = null;
          boolean member = false;
          if (query.marker() != null) {
            Optional<MarkerRow> found = marker(h, scope, query.marker());
            if (found.isEmpty()) {
              return new ListRead(Optional.empty(), false, new Page<>(List.of(), false, null));
            }
            marker = found.get().image();
            member = found.get().member();
          }
          ListSql sql = ListSql.of(scope, query, deletedSince, marker);
          sql.debug();
          List<Image> rows = query.limit() == 0 ? List.of() : sql.page(h);
          boolean more = rows.size() > query.limit();
          if (more) {
            rows = rows.subList(0, query.limit());
          }
          if (query.full()) {
            rows = withDetails(h, rows);
          }
          String previous =
              marker != null && query.previous() && query.limit() > 0 ? sql.previous(h) : null;
          return new ListRead(Optional.ofNullable(marker), member, new Page<>(rows, more, previous));
        });
  }

  @Override
  public String listSql(Scope scope, ListQuery query, Instant deletedSince) {
    return db.read(
        h -> {
          Image marker =
              query.marker() == null
                  ? null
                  : marker(h, scope, query.marker()).map(MarkerRow::image).orElse(null);
          return ListSql.of(scope, query, deletedSince, marker).toSql();
        });
  }

  /** A list's marker and whether the caller's project is one of its members (any status). */
  private record MarkerRow(Image image, boolean member) {}

  private static Optional<MarkerRow> marker(Handle h, Scope scope, String id) {
    return h.createQuery(ListSql.MARKER)
        .bind("project", scope.project())
        .bind("marker", id)
        .map((rs, ctx) -> new MarkerRow(row(rs), rs.getBoolean("is_member")))
        .findOne();
  }

  @Override
  public boolean markDeleted(String id, Instant when) {
    long at = Micros.of(when);
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'deleted', deleted_at = :at, updated_at = :at
                        WHERE id = :id AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("at", at)
                    .execute(), id));
  }

  @Override
  public void changeProperties(
      String id, Map<String, String> set, Set<String> remove, Instant when) {
    db.write(
        h -> {
          mergeProperties(h, id, set, remove);
          touch(h, id, when);
          return null;
        });
  }

  /**
   * Writes only the named keys: an upsert per key set, a delete per key removed, so a concurrent
   * writer's other keys are never touched (no delete-and-reinsert of the whole set).
   */
  private void mergeProperties(Handle h, String id, Map<String, String> set, Set<String> remove) {
    if (!set.isEmpty()) {
      PreparedBatch upsert =
          h.prepareBatch(
              """
              INSERT INTO image_properties (image_id, name, value) VALUES (:id, :name, :value)
              ON CONFLICT (image_id, name) DO UPDATE SET value = excluded.value""");
      new java.util.TreeMap<>(set)
          .forEach((k, v) -> upsert.bind("id", id).bind("name", k).bind("value", v).add());
      upsert.execute();
    }
    if (!remove.isEmpty()) {
      h.createUpdate("DELETE FROM image_properties WHERE image_id = :id AND name IN (<names>)")
          .bind("id", id)
          .bindList("names", new ArrayList<>(new TreeSet<>(remove)))
          .execute();
    }
    if (!set.isEmpty() || !remove.isEmpty()) {
      db.catalogChanged(id);
    }
  }

  private void mergeTags(Handle h, String id, Set<String> add, Set<String> remove) {
    if (!add.isEmpty()) {
      PreparedBatch insert =
          h.prepareBatch(
              """
              INSERT INTO image_tags (image_id, tag) VALUES (:id, :tag)
              ON CONFLICT (image_id, tag) DO NOTHING""");
      new TreeSet<>(add).forEach(t -> insert.bind("id", id).bind("tag", t).add());
      insert.execute();
    }
    if (!remove.isEmpty()) {
      h.createUpdate("DELETE FROM image_tags WHERE image_id = :id AND tag IN (<tags>)")
          .bind("id", id)
          .bindList("tags", new ArrayList<>(new TreeSet<>(remove)))
          .execute();
    }
    if (!add.isEmpty() || !remove.isEmpty()) {
      db.catalogChanged(id);
    }
  }

  /**
   * Marks the unit of work a change to image {@code id} when a statement changed rows; returns
   * whether.
   */
  private boolean changed(int rows, String id) {
    if (rows > 0) {
      db.catalogChanged(id);
    }
    return rows > 0;
  }

  @Override
  public Map<String, Image> findAll(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return db.readTransaction(
        h -> {
          List<Image> rows =
              h.createQuery("SELECT " + COLUMNS + " FROM images i WHERE i.id IN (<ids>)")
                  .bindList("ids", new ArrayList<>(ids))
                  .map((rs, ctx) -> row(rs))
                  .list();
          Map<String, Image> out = new HashMap<>();
          withDetails(h, rows).forEach(i -> out.put(i.id(), i));
          return out;
        });
  }

  @Override
  public Scan scan(long since, ScanSink sink) {
    return db.readTransaction(h -> ImageScan.run(h, db.generations(), since, sink));
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
          if (images.size() > BULK) {
            db.catalogChanged(); // nodes rescan rather than stamp a million rows one by one
          } else {
            images.forEach(img -> db.catalogChanged(img.id()));
          }
          return null;
        });
  }

  @Override
  public boolean update(Image image) {
    return db.write(
        h -> {
          int rows =
              h.createUpdate(
                      """
                      UPDATE images SET name = :name, visibility = :visibility,
                          protected = :protected, os_hidden = :os_hidden, owner = :owner,
                          disk_format = :disk_format, container_format = :container_format,
                          min_ram = :min_ram, min_disk = :min_disk, updated_at = :updated_at
                      WHERE id = :id AND deleted_at IS NULL""")
                  .bind("id", image.id())
                  .bind("name", image.name())
                  .bind("visibility", image.visibility().wire())
                  .bind("protected", image.isProtected())
                  .bind("os_hidden", image.osHidden())
                  .bind("owner", image.owner())
                  .bind("disk_format", image.diskFormat())
                  .bind("container_format", image.containerFormat())
                  .bind("min_ram", image.minRam())
                  .bind("min_disk", image.minDisk())
                  .bind("updated_at", Micros.of(image.updatedAt()))
                  .execute();
          if (!changed(rows, image.id())) {
            return false;
          }
          // Only what differs from the stored sets is written (read in this same transaction).
          Image stored = withDetails(h, List.of(image)).get(0);
          Map<String, String> set = new HashMap<>();
          image.properties()
              .forEach(
                  (k, v) -> {
                    if (!v.equals(stored.properties().get(k))) {
                      set.put(k, v);
                    }
                  });
          Set<String> unset = new TreeSet<>(stored.properties().keySet());
          unset.removeAll(image.properties().keySet());
          mergeProperties(h, image.id(), set, unset);
          Set<String> addTags = new TreeSet<>(image.tags());
          addTags.removeAll(stored.tags());
          Set<String> dropTags = new TreeSet<>(stored.tags());
          dropTags.removeAll(image.tags());
          mergeTags(h, image.id(), addTags, dropTags);
          return true;
        });
  }

  @Override
  public boolean moveStatus(String id, ImageStatus from, ImageStatus to, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = :to, updated_at = :at
                        WHERE id = :id AND status = :from AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("from", from.wire())
                    .bind("to", to.wire())
                    .bind("at", Micros.of(when))
                    .execute(), id));
  }

  @Override
  public boolean activate(String id, ImageStatus from, ImageData data, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'active', size = :size,
                            virtual_size = :virtual_size, checksum = :checksum,
                            os_hash_algo = :algo, os_hash_value = :hash, upload_lease = NULL,
                            upload_lease_until = NULL, updated_at = :at
                        WHERE id = :id AND status = :from AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("from", from.wire())
                    .bind("size", data.size())
                    .bind("virtual_size", data.virtualSize())
                    .bind("checksum", data.checksum())
                    .bind("algo", data.osHashAlgo())
                    .bind("hash", data.osHashValue())
                    .bind("at", Micros.of(when))
                    .execute(), id));
  }

  @Override
  public boolean requeue(String id, ImageStatus from, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'queued', size = NULL, virtual_size = NULL,
                            checksum = NULL, os_hash_algo = NULL, os_hash_value = NULL,
                            upload_lease = NULL, upload_lease_until = NULL, updated_at = :at
                        WHERE id = :id AND status = :from""")
                    .bind("id", id)
                    .bind("from", from.wire())
                    .bind("at", Micros.of(when))
                    .execute(), id));
  }

  /** The statuses of the partial index images_in_flight (V170), and its WHERE term verbatim. */
  private static final Set<ImageStatus> IN_FLIGHT =
      EnumSet.of(ImageStatus.SAVING, ImageStatus.IMPORTING, ImageStatus.UPLOADING);

  private static final String IN_FLIGHT_SQL =
      "status IN ('saving', 'importing', 'uploading') AND deleted_at IS NULL";

  @Override
  public boolean recordStagedSize(String id, long size, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET size = :size, updated_at = :at
                        WHERE id = :id AND status = 'uploading' AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("size", size)
                    .bind("at", Micros.of(when))
                    .execute(),
                id));
  }

  /**
   * Glance's four quota counts in one statement. An image being copied to another store has a
   * non-empty {@code os_glance_importing_to_stores} while it stays {@code active}; an image's
   * size counts once per store holding it ({@code os_glance_stores}, comma-separated; none: one).
   */
  @Override
  public Usage usage(String owner) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT
                      COALESCE(SUM(CASE WHEN i.status IN ('active', 'deactivated')
                                   THEN i.size * COALESCE(LENGTH(s.value)
                                     - LENGTH(REPLACE(s.value, ',', '')) + 1, 1)
                                   ELSE 0 END), 0),
                      COALESCE(SUM(CASE WHEN i.status IN ('uploading', 'importing') OR c.image_id
                                   IS NOT NULL THEN COALESCE(i.size, 0) ELSE 0 END), 0),
                      COUNT(*),
                      COALESCE(SUM(CASE WHEN i.status IN ('saving', 'uploading', 'importing')
                                   OR c.image_id IS NOT NULL THEN 1 ELSE 0 END), 0)
                    FROM images i
                    LEFT JOIN image_properties c ON c.image_id = i.id
                      AND c.name = 'os_glance_importing_to_stores' AND c.value <> ''
                    LEFT JOIN image_properties s ON s.image_id = i.id
                      AND s.name = 'os_glance_stores' AND s.value <> ''
                    WHERE i.owner = :owner AND i.deleted_at IS NULL
                      AND i.status NOT IN ('deleted', 'killed')""")
                .bind("owner", owner)
                .map(
                    (rs, ctx) ->
                        new Usage(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .one());
  }

  @Override
  public void insertTask(dev.glint.catalog.ImportTask t) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO tasks (id, type, status, owner, image_id, request_id, user_id,
                        input, result, message, created_at, updated_at, expires_at)
                    VALUES (:id, :type, :status, :owner, :image_id, :request_id, :user_id,
                        :input, :result, :message, :created_at, :updated_at, :expires_at)""")
                .bind("id", t.id())
                .bind("type", t.type())
                .bind("status", t.status())
                .bind("owner", t.owner())
                .bind("image_id", t.imageId())
                .bind("request_id", t.requestId())
                .bind("user_id", t.userId())
                .bind("input", t.input())
                .bind("result", t.result())
                .bind("message", t.message())
                .bind("created_at", Micros.of(t.createdAt()))
                .bind("updated_at", Micros.of(t.updatedAt()))
                .bind("expires_at", t.expiresAt() == null ? null : Micros.of(t.expiresAt()))
                .execute());
  }

  @Override
  public boolean finishTask(
      String id, String status, String message, String result, Instant when, Instant expiresAt) {
    return db.write(
        h ->
            h.createUpdate(
                        """
                        UPDATE tasks SET status = :status, message = :message, result = :result,
                            updated_at = :at, expires_at = :expires
                        WHERE id = :id AND status = 'processing'""")
                    .bind("id", id)
                    .bind("status", status)
                    .bind("message", message)
                    .bind("result", result)
                    .bind("at", Micros.of(when))
                    .bind("expires", Micros.of(expiresAt))
                    .execute()
                > 0);
  }

  @Override
  public boolean moveTask(String id, String from, String to, Instant when) {
    return db.write(
        h ->
            h.createUpdate(
                        "UPDATE tasks SET status = :to, updated_at = :at WHERE id = :id AND status = :from")
                    .bind("id", id)
                    .bind("from", from)
                    .bind("to", to)
                    .bind("at", Micros.of(when))
                    .execute()
                > 0);
  }

  private static final String TASK_COLUMNS =
      "id, type, status, owner, image_id, request_id, user_id, input, result, message,"
          + " created_at, updated_at, expires_at";

  @Override
  public Optional<dev.glint.catalog.ImportTask> findTask(String id) {
    return db.read(
        h ->
            h.createQuery("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> task(rs))
                .findOne());
  }

  @Override
  public List<dev.glint.catalog.ImportTask> tasks(String imageId, String owner) {
    String where =
        imageId != null ? " WHERE image_id = :image" : owner != null ? " WHERE owner = :owner" : "";
    return db.read(
        h -> {
          var q =
              h.createQuery(
                  "SELECT " + TASK_COLUMNS + " FROM tasks" + where
                      + " ORDER BY created_at DESC, id DESC");
          if (imageId != null) {
            q.bind("image", imageId);
          } else if (owner != null) {
            q.bind("owner", owner);
          }
          return q.map((rs, ctx) -> task(rs)).list();
        });
  }

  private static dev.glint.catalog.ImportTask task(ResultSet rs) throws SQLException {
    long expires = rs.getLong("expires_at");
    boolean noExpiry = rs.wasNull();
    return new dev.glint.catalog.ImportTask(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("status"),
        rs.getString("owner"),
        rs.getString("image_id"),
        rs.getString("request_id"),
        rs.getString("user_id"),
        rs.getString("input"),
        rs.getString("result"),
        rs.getString("message"),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")),
        noExpiry ? null : Micros.toInstant(expires));
  }

  @Override
  public List<String> idsWithProperty(String name) {
    return db.read(
        h ->
            h.createQuery(
                    """
                    SELECT p.image_id FROM image_properties p JOIN images i ON i.id = p.image_id
                    WHERE p.name = :name AND i.deleted_at IS NULL""")
                .bind("name", name)
                .mapTo(String.class)
                .list());
  }

  @Override
  public List<String> idsInStatus(ImageStatus status) {
    if (!IN_FLIGHT.contains(status)) {
      throw new IllegalArgumentException("not an in-flight status: " + status);
    }
    return db.read(
        h ->
            h.createQuery("SELECT id FROM images WHERE status = :s AND " + IN_FLIGHT_SQL)
                .bind("s", status.wire())
                .mapTo(String.class)
                .list());
  }

  @Override
  public int requeueAllSaving(Instant when) {
    return db.write(
        h -> {
          int n =
              h.createUpdate(
                      """
                      UPDATE images SET status = 'queued', size = NULL, virtual_size = NULL,
                          checksum = NULL, os_hash_algo = NULL, os_hash_value = NULL,
                          upload_lease = NULL, upload_lease_until = NULL, updated_at = :at
                      WHERE status = 'saving'""" + " AND " + IN_FLIGHT_SQL)
                  .bind("at", Micros.of(when))
                  .execute();
          if (n > 0) {
            db.catalogChanged();
          }
          return n;
        });
  }

  @Override
  public boolean startUpload(String id, String lease, Instant until, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'saving', upload_lease = :lease,
                            upload_lease_until = :until, updated_at = :at
                        WHERE id = :id AND status = 'queued' AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("lease", lease)
                    .bind("until", Micros.of(until))
                    .bind("at", Micros.of(when))
                    .execute(),
                id));
  }

  @Override
  public boolean finishUpload(String id, String lease, ImageData data, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'active', size = :size,
                            virtual_size = :virtual_size, checksum = :checksum,
                            os_hash_algo = :algo, os_hash_value = :hash, upload_lease = NULL,
                            upload_lease_until = NULL, updated_at = :at
                        WHERE id = :id AND status = 'saving' AND upload_lease = :lease
                            AND deleted_at IS NULL""")
                    .bind("id", id)
                    .bind("lease", lease)
                    .bind("size", data.size())
                    .bind("virtual_size", data.virtualSize())
                    .bind("checksum", data.checksum())
                    .bind("algo", data.osHashAlgo())
                    .bind("hash", data.osHashValue())
                    .bind("at", Micros.of(when))
                    .execute(),
                id));
  }

  @Override
  public boolean abandonUpload(String id, String lease, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE images SET status = 'queued', size = NULL, virtual_size = NULL,
                            checksum = NULL, os_hash_algo = NULL, os_hash_value = NULL,
                            upload_lease = NULL, upload_lease_until = NULL, updated_at = :at
                        WHERE id = :id AND status = 'saving' AND upload_lease = :lease""")
                    .bind("id", id)
                    .bind("lease", lease)
                    .bind("at", Micros.of(when))
                    .execute(),
                id));
  }

  @Override
  public int renewUploadLeases(java.util.Collection<String> leases, Instant until) {
    if (leases.isEmpty()) {
      return 0;
    }
    // Not catalogChanged(): a lease is no part of what either API shows.
    return db.write(
        h ->
            h.createUpdate(
                    """
                    UPDATE images SET upload_lease_until = :until
                    WHERE status IN ('saving', 'importing') AND upload_lease IN (<leases>)""")
                .bind("until", Micros.of(until))
                .bindList("leases", new ArrayList<>(leases))
                .execute());
  }

  @Override
  public List<String> requeueExpiredUploads(Instant now, Instant staleBefore) {
    String expired =
        """
        status = 'saving' AND deleted_at IS NULL
        AND (upload_lease_until < :now
             OR (upload_lease_until IS NULL AND updated_at < :stale))""";
    // Most sweeps find nothing: look first with a reader, take the writer only for candidates.
    List<String> candidates =
        db.read(
            h ->
                h.createQuery("SELECT id FROM images WHERE " + expired)
                    .bind("now", Micros.of(now))
                    .bind("stale", Micros.of(staleBefore))
                    .mapTo(String.class)
                    .list());
    if (candidates.isEmpty()) {
      return List.of();
    }
    return db.write(
        h -> {
          // Each row is moved by a statement that checks the lease again under the row's lock:
          // when two nodes sweep at once, or the owner renewed meanwhile, the other sees 0 rows.
          List<String> moved = new ArrayList<>();
          for (String id : candidates) {
            int rows =
                h.createUpdate(
                        """
                        UPDATE images SET status = 'queued', size = NULL, virtual_size = NULL,
                            checksum = NULL, os_hash_algo = NULL, os_hash_value = NULL,
                            upload_lease = NULL, upload_lease_until = NULL, updated_at = :now
                        WHERE id = :id AND\s"""
                            + expired)
                    .bind("id", id)
                    .bind("now", Micros.of(now))
                    .bind("stale", Micros.of(staleBefore))
                    .execute();
            if (changed(rows, id)) {
              moved.add(id);
            }
          }
          return moved;
        });
  }

  private static final String EXPIRED_IMPORT =
      """
      status = 'importing' AND deleted_at IS NULL
      AND (upload_lease_until < :now
           OR (upload_lease_until IS NULL AND updated_at < :stale))""";

  @Override
  public void leaseImport(String id, String lease, Instant until) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE images SET upload_lease = :lease, upload_lease_until = :until"
                        + " WHERE id = :id AND status = 'importing'")
                .bind("id", id)
                .bind("lease", lease)
                .bind("until", Micros.of(until))
                .execute());
  }

  @Override
  public List<String> expiredImports(Instant now, Instant staleBefore) {
    return db.read(
        h ->
            h.createQuery("SELECT id FROM images WHERE " + EXPIRED_IMPORT)
                .bind("now", Micros.of(now))
                .bind("stale", Micros.of(staleBefore))
                .mapTo(String.class)
                .list());
  }

  @Override
  public boolean takeExpiredImport(String id, Instant now, Instant staleBefore) {
    return db.write(
        h ->
            h.createUpdate(
                        "UPDATE images SET upload_lease = NULL, upload_lease_until = NULL"
                            + " WHERE id = :id AND " + EXPIRED_IMPORT)
                    .bind("id", id)
                    .bind("now", Micros.of(now))
                    .bind("stale", Micros.of(staleBefore))
                    .execute()
                > 0);
  }

  @Override
  public Purged purgeDeleted(Instant deletedBefore, int limit) {
    // PostgreSQL: nodes purging at once take different rows instead of queueing on the same ones.
    String skipLocked = db.dialect() == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    return db.write(
        h -> {
          List<String> ids =
              h.createQuery(
                      """
                      SELECT id FROM images WHERE deleted_at IS NOT NULL AND deleted_at < :before
                      ORDER BY deleted_at, id LIMIT :limit"""
                          + skipLocked)
                  .bind("before", Micros.of(deletedBefore))
                  .bind("limit", limit)
                  .mapTo(String.class)
                  .list();
          if (ids.isEmpty()) {
            return new Purged(List.of(), 0, 0, 0);
          }
          // Children first: they reference the image rows.
          int props = deleteWhereImageIn(h, "image_properties", "image_id", ids);
          int tags = deleteWhereImageIn(h, "image_tags", "image_id", ids);
          int members = deleteWhereImageIn(h, "image_members", "image_id", ids);
          int rows = deleteWhereImageIn(h, "images", "id", ids);
          if (rows > 0) {
            // Rows that are gone cannot carry a generation stamp: readers rebuild (V113).
            db.catalogChanged();
          }
          return new Purged(ids, props, tags, members);
        });
  }

  private static int deleteWhereImageIn(Handle h, String table, String column, List<String> ids) {
    return h.createUpdate("DELETE FROM " + table + " WHERE " + column + " IN (<ids>)")
        .bindList("ids", ids)
        .execute();
  }

  @Override
  public Set<String> withoutLiveImage(java.util.Collection<String> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    Set<String> live =
        db.read(
            h ->
                new java.util.HashSet<>(
                    h.createQuery(
                            "SELECT id FROM images WHERE id IN (<ids>) AND deleted_at IS NULL")
                        .bindList("ids", new ArrayList<>(ids))
                        .mapTo(String.class)
                        .list()));
    Set<String> orphans = new TreeSet<>(ids);
    orphans.removeAll(live);
    return orphans;
  }

  @Override
  public void addTag(String id, String tag, Instant when) {
    db.write(
        h -> {
          mergeTags(h, id, Set.of(tag), Set.of());
          return touch(h, id, when);
        });
  }

  @Override
  public boolean removeTag(String id, String tag, Instant when) {
    return db.write(
        h -> {
          int rows =
              h.createUpdate("DELETE FROM image_tags WHERE image_id = :id AND tag = :tag")
                  .bind("id", id)
                  .bind("tag", tag)
                  .execute();
          if (changed(rows, id)) {
            touch(h, id, when);
          }
          return rows > 0;
        });
  }

  /** Bumps the image's updated_at: a change to the image, so the generation advances too. */
  private int touch(Handle h, String id, Instant when) {
    int rows =
        h.createUpdate("UPDATE images SET updated_at = :at WHERE id = :id")
            .bind("id", id)
            .bind("at", Micros.of(when))
            .execute();
    changed(rows, id);
    return rows;
  }

  static final String MEMBER_COLUMNS = "image_id, member, status, created_at, updated_at";

  @Override
  public List<ImageMember> members(String imageId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + MEMBER_COLUMNS
                        + " FROM image_members WHERE image_id = :id ORDER BY created_at, member")
                .bind("id", imageId)
                .map((rs, ctx) -> memberRow(rs))
                .list());
  }

  @Override
  public Optional<ImageMember> member(String imageId, String memberId) {
    return db.read(
        h ->
            h.createQuery(
                    "SELECT " + MEMBER_COLUMNS
                        + " FROM image_members WHERE image_id = :id AND member = :member")
                .bind("id", imageId)
                .bind("member", memberId)
                .map((rs, ctx) -> memberRow(rs))
                .findOne());
  }

  @Override
  public void addMember(ImageMember m) {
    db.write(
        h ->
            changed(
                h.createUpdate(
                    """
                    INSERT INTO image_members (image_id, member, status, created_at, updated_at)
                    VALUES (:id, :member, :status, :created, :updated)""")
                .bind("id", m.imageId())
                .bind("member", m.memberId())
                .bind("status", m.status().wire())
                .bind("created", Micros.of(m.createdAt()))
                .bind("updated", Micros.of(m.updatedAt()))
                .execute(), m.imageId()));
  }

  @Override
  public boolean updateMember(String imageId, String memberId, MemberStatus status, Instant when) {
    return db.write(
        h ->
            changed(
                h.createUpdate(
                        """
                        UPDATE image_members SET status = :status, updated_at = :at
                        WHERE image_id = :id AND member = :member""")
                    .bind("id", imageId)
                    .bind("member", memberId)
                    .bind("status", status.wire())
                    .bind("at", Micros.of(when))
                    .execute(), imageId));
  }

  @Override
  public boolean removeMember(String imageId, String memberId) {
    return db.write(
        h ->
            changed(
                h.createUpdate("DELETE FROM image_members WHERE image_id = :id AND member = :member")
                    .bind("id", imageId)
                    .bind("member", memberId)
                    .execute(), imageId));
  }

  static ImageMember memberRow(ResultSet rs) throws SQLException {
    return new ImageMember(
        rs.getString("image_id"),
        rs.getString("member"),
        MemberStatus.fromWire(rs.getString("status")).orElse(MemberStatus.PENDING),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")));
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
}
