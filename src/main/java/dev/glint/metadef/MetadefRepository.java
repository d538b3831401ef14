package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import dev.glint.store.Micros;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The metadefs' SQL, the same for SQLite and PostgreSQL. Every method runs on the handle of a
 * transaction the service opened; none decides visibility or policy.
 */
final class MetadefRepository {
  private static final String NS_COLUMNS =
      "n.id, n.namespace, n.display_name, n.description, n.visibility, n.protected, n.owner,"
          + " n.created_at, n.updated_at";

  /** Sort keys a namespace list accepts, to their (never null) columns. */
  static final Map<String, String> NAMESPACE_SORT_KEYS =
      Map.of(
          "created_at", "n.created_at",
          "updated_at", "n.updated_at",
          "namespace", "n.namespace",
          "visibility", "n.visibility",
          "owner", "n.owner");

  /** Sort keys a tag list accepts. */
  static final Map<String, String> TAG_SORT_KEYS =
      Map.of("created_at", "t.created_at", "updated_at", "t.updated_at", "name", "t.name");

  // --- namespaces

  Optional<Namespace> namespace(Handle h, String name) {
    return h.createQuery("SELECT " + NS_COLUMNS + " FROM metadef_namespaces n WHERE n.namespace = :name")
        .bind("name", name)
        .map((rs, ctx) -> namespace(rs))
        .findOne();
  }

  /**
   * One page of the namespaces {@code scope} may see, keyset-paged on (sort key, created_at, id)
   * after {@code marker}, optionally only those of a visibility or associated with one of the
   * resource types.
   */
  List<Namespace> namespaces(Handle h, MetadefScope scope, NamespaceQuery q, Namespace marker) {
    List<String> where = new ArrayList<>();
    if (!scope.admin()) {
      where.add(
          scope.projectId() == null
              ? "n.visibility = 'public'"
              : "(n.visibility = 'public' OR n.owner = :project)");
    }
    if (q.visibility() != null) {
      where.add("n.visibility = :visibility");
    }
    if (!q.resourceTypes().isEmpty()) {
      where.add(
          """
          n.id IN (SELECT a.namespace_id FROM metadef_namespace_resource_types a
                   JOIN metadef_resource_types r ON r.id = a.resource_type_id
                   WHERE r.name IN (<resource_types>))""");
    }
    String column = NAMESPACE_SORT_KEYS.get(q.sortKey());
    String dir = q.ascending() ? "ASC" : "DESC";
    if (marker != null) {
      where.add(
          "(" + column + ", n.created_at, n.id) " + (q.ascending() ? ">" : "<")
              + " (:m_sort, :m_created, :m_id)");
    }
    String sql =
        "SELECT " + NS_COLUMNS + " FROM metadef_namespaces n"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY " + column + " " + dir + ", n.created_at " + dir + ", n.id " + dir
            + " LIMIT :limit";
    Query query = h.createQuery(sql).bind("limit", q.limit());
    if (!scope.admin() && scope.projectId() != null) {
      query.bind("project", scope.projectId());
    }
    if (q.visibility() != null) {
      query.bind("visibility", q.visibility());
    }
    if (!q.resourceTypes().isEmpty()) {
      query.bindList("resource_types", q.resourceTypes());
    }
    if (marker != null) {
      Object sortValue =
          switch (q.sortKey()) {
            case "updated_at" -> Micros.of(marker.updatedAt());
            case "namespace" -> marker.namespace();
            case "visibility" -> marker.visibility();
            case "owner" -> marker.owner();
            default -> Micros.of(marker.createdAt());
          };
      query
          .bind("m_sort", sortValue)
          .bind("m_created", Micros.of(marker.createdAt()))
          .bind("m_id", marker.id());
    }
    return query.map((rs, ctx) -> namespace(rs)).list();
  }

  void insertNamespace(Handle h, Namespace n) {
    h.createUpdate(
            """
            INSERT INTO metadef_namespaces (id, namespace, display_name, description, visibility,
                protected, owner, created_at, updated_at)
            VALUES (:id, :namespace, :display_name, :description, :visibility, :protected, :owner,
                :created_at, :updated_at)""")
        .bind("id", n.id())
        .bind("namespace", n.namespace())
        .bind("display_name", n.displayName())
        .bind("description", n.description())
        .bind("visibility", n.visibility())
        .bind("protected", n.isProtected())
        .bind("owner", n.owner())
        .bind("created_at", Micros.of(n.createdAt()))
        .bind("updated_at", Micros.of(n.updatedAt()))
        .execute();
  }

  void updateNamespace(Handle h, Namespace n) {
    h.createUpdate(
            """
            UPDATE metadef_namespaces SET namespace = :namespace, display_name = :display_name,
                description = :description, visibility = :visibility, protected = :protected,
                owner = :owner, updated_at = :updated_at
            WHERE id = :id""")
        .bind("id", n.id())
        .bind("namespace", n.namespace())
        .bind("display_name", n.displayName())
        .bind("description", n.description())
        .bind("visibility", n.visibility())
        .bind("protected", n.isProtected())
        .bind("owner", n.owner())
        .bind("updated_at", Micros.of(n.updatedAt()))
        .execute();
  }

  /** Deletes a namespace and everything in it (Glance's {@code delete_cascade}). */
  void deleteNamespace(Handle h, String namespaceId) {
    deleteObjects(h, namespaceId);
    deleteProperties(h, namespaceId);
    deleteTags(h, namespaceId);
    h.createUpdate("DELETE FROM metadef_namespace_resource_types WHERE namespace_id = :ns")
        .bind("ns", namespaceId)
        .execute();
    h.createUpdate("DELETE FROM metadef_namespaces WHERE id = :ns").bind("ns", namespaceId).execute();
  }

  // --- objects

  List<MetadefObject> objects(Handle h, String namespaceId) {
    return h.createQuery(
            """
            SELECT name, description, required, json_schema, created_at, updated_at
            FROM metadef_objects WHERE namespace_id = :ns ORDER BY created_at, name""")
        .bind("ns", namespaceId)
        .map((rs, ctx) -> object(rs))
        .list();
  }

  Optional<MetadefObject> object(Handle h, String namespaceId, String name) {
    return h.createQuery(
            """
            SELECT name, description, required, json_schema, created_at, updated_at
            FROM metadef_objects WHERE namespace_id = :ns AND name = :name""")
        .bind("ns", namespaceId)
        .bind("name", name)
        .map((rs, ctx) -> object(rs))
        .findOne();
  }

  void insertObject(Handle h, String namespaceId, MetadefObject o) {
    h.createUpdate(
            """
            INSERT INTO metadef_objects (id, namespace_id, name, description, required, json_schema,
                created_at, updated_at)
            VALUES (:id, :ns, :name, :description, :required, :schema, :created_at, :updated_at)""")
        .bind("id", UUID.randomUUID().toString())
        .bind("ns", namespaceId)
        .bind("name", o.name())
        .bind("description", o.description())
        .bind("required", text(requiredArray(o.required())))
        .bind("schema", text(o.properties()))
        .bind("created_at", Micros.of(o.createdAt()))
        .bind("updated_at", Micros.of(o.updatedAt()))
        .execute();
  }

  void updateObject(Handle h, String namespaceId, String oldName, MetadefObject o) {
    h.createUpdate(
            """
            UPDATE metadef_objects SET name = :name, description = :description,
                required = :required, json_schema = :schema, updated_at = :updated_at
            WHERE namespace_id = :ns AND name = :old""")
        .bind("ns", namespaceId)
        .bind("old", oldName)
        .bind("name", o.name())
        .bind("description", o.description())
        .bind("required", text(requiredArray(o.required())))
        .bind("schema", text(o.properties()))
        .bind("updated_at", Micros.of(o.updatedAt()))
        .execute();
  }

  void deleteObject(Handle h, String namespaceId, String name) {
    h.createUpdate("DELETE FROM metadef_objects WHERE namespace_id = :ns AND name = :name")
        .bind("ns", namespaceId)
        .bind("name", name)
        .execute();
  }

  void deleteObjects(Handle h, String namespaceId) {
    h.createUpdate("DELETE FROM metadef_objects WHERE namespace_id = :ns").bind("ns", namespaceId).execute();
  }

  // --- properties

  /** The namespace's properties, name → definition, in name order. */
  ObjectNode properties(Handle h, String namespaceId) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    h.createQuery(
            "SELECT name, json_schema FROM metadef_properties WHERE namespace_id = :ns ORDER BY name")
        .bind("ns", namespaceId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), parse(rs.getString(2))))
        .forEach(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  Optional<ObjectNode> property(Handle h, String namespaceId, String name) {
    return h.createQuery(
            "SELECT json_schema FROM metadef_properties WHERE namespace_id = :ns AND name = :name")
        .bind("ns", namespaceId)
        .bind("name", name)
        .map((rs, ctx) -> (ObjectNode) parse(rs.getString(1)))
        .findOne();
  }

  void insertProperty(Handle h, String namespaceId, String name, ObjectNode schema, Instant now) {
    h.createUpdate(
            """
            INSERT INTO metadef_properties (id, namespace_id, name, json_schema, created_at, updated_at)
            VALUES (:id, :ns, :name, :schema, :now, :now)""")
        .bind("id", UUID.randomUUID().toString())
        .bind("ns", namespaceId)
        .bind("name", name)
        .bind("schema", text(schema))
        .bind("now", Micros.of(now))
        .execute();
  }

  void updateProperty(
      Handle h, String namespaceId, String oldName, String name, ObjectNode schema, Instant now) {
    h.createUpdate(
            """
            UPDATE metadef_properties SET name = :name, json_schema = :schema, updated_at = :now
            WHERE namespace_id = :ns AND name = :old""")
        .bind("ns", namespaceId)
        .bind("old", oldName)
        .bind("name", name)
        .bind("schema", text(schema))
        .bind("now", Micros.of(now))
        .execute();
  }

  void deleteProperty(Handle h, String namespaceId, String name) {
    h.createUpdate("DELETE FROM metadef_properties WHERE namespace_id = :ns AND name = :name")
        .bind("ns", namespaceId)
        .bind("name", name)
        .execute();
  }

  void deleteProperties(Handle h, String namespaceId) {
    h.createUpdate("DELETE FROM metadef_properties WHERE namespace_id = :ns").bind("ns", namespaceId).execute();
  }

  // --- tags

  /** Tags in the query's order, after the marker tag (keyset on sort key, created_at, name). */
  List<MetadefTag> tags(Handle h, String namespaceId, TagQuery q, MetadefTag marker) {
    String column = TAG_SORT_KEYS.get(q.sortKey());
    String dir = q.ascending() ? "ASC" : "DESC";
    String after =
        marker == null
            ? ""
            : " AND (" + column + ", t.created_at, t.name) " + (q.ascending() ? ">" : "<")
                + " (:m_sort, :m_created, :m_name)";
    Query query =
        h.createQuery(
                "SELECT t.name, t.created_at, t.updated_at FROM metadef_tags t WHERE t.namespace_id = :ns"
                    + after
                    + " ORDER BY " + column + " " + dir + ", t.created_at " + dir + ", t.name " + dir
                    + (q.limit() == null ? "" : " LIMIT :limit"))
            .bind("ns", namespaceId);
    if (q.limit() != null) {
      query.bind("limit", q.limit());
    }
    if (marker != null) {
      Object sortValue =
          switch (q.sortKey()) {
            case "updated_at" -> Micros.of(marker.updatedAt());
            case "name" -> marker.name();
            default -> Micros.of(marker.createdAt());
          };
      query
          .bind("m_sort", sortValue)
          .bind("m_created", Micros.of(marker.createdAt()))
          .bind("m_name", marker.name());
    }
    return query.map((rs, ctx) -> tag(rs)).list();
  }

  List<MetadefTag> tags(Handle h, String namespaceId) {
    return h.createQuery(
            "SELECT t.name, t.created_at, t.updated_at FROM metadef_tags t WHERE t.namespace_id = :ns"
                + " ORDER BY t.created_at, t.name")
        .bind("ns", namespaceId)
        .map((rs, ctx) -> tag(rs))
        .list();
  }

  Optional<MetadefTag> tag(Handle h, String namespaceId, String name) {
    return h.createQuery(
            "SELECT t.name, t.created_at, t.updated_at FROM metadef_tags t"
                + " WHERE t.namespace_id = :ns AND t.name = :name")
        .bind("ns", namespaceId)
        .bind("name", name)
        .map((rs, ctx) -> tag(rs))
        .findOne();
  }

  void insertTag(Handle h, String namespaceId, MetadefTag t) {
    h.createUpdate(
            """
            INSERT INTO metadef_tags (id, namespace_id, name, created_at, updated_at)
            VALUES (:id, :ns, :name, :created_at, :updated_at)""")
        .bind("id", UUID.randomUUID().toString())
        .bind("ns", namespaceId)
        .bind("name", t.name())
        .bind("created_at", Micros.of(t.createdAt()))
        .bind("updated_at", Micros.of(t.updatedAt()))
        .execute();
  }

  void renameTag(Handle h, String namespaceId, String oldName, String name, Instant now) {
    h.createUpdate(
            "UPDATE metadef_tags SET name = :name, updated_at = :now WHERE namespace_id = :ns AND name = :old")
        .bind("ns", namespaceId)
        .bind("old", oldName)
        .bind("name", name)
        .bind("now", Micros.of(now))
        .execute();
  }

  void deleteTag(Handle h, String namespaceId, String name) {
    h.createUpdate("DELETE FROM metadef_tags WHERE namespace_id = :ns AND name = :name")
        .bind("ns", namespaceId)
        .bind("name", name)
        .execute();
  }

  void deleteTags(Handle h, String namespaceId) {
    h.createUpdate("DELETE FROM metadef_tags WHERE namespace_id = :ns").bind("ns", namespaceId).execute();
  }

  // --- resource types and associations

  List<ResourceType> resourceTypes(Handle h) {
    return h.createQuery(
            "SELECT name, created_at, updated_at FROM metadef_resource_types ORDER BY created_at, name")
        .map(
            (rs, ctx) ->
                new ResourceType(
                    rs.getString(1), Micros.toInstant(rs.getLong(2)), Micros.toInstant(rs.getLong(3))))
        .list();
  }

  /** The id of the resource type called {@code name}, created (with {@code protect}) if new. */
  String resourceTypeId(Handle h, String name, boolean protect, Instant now) {
    Optional<String> id =
        h.createQuery("SELECT id FROM metadef_resource_types WHERE name = :name")
            .bind("name", name)
            .mapTo(String.class)
            .findOne();
    if (id.isPresent()) {
      return id.get();
    }
    String created = UUID.randomUUID().toString();
    h.createUpdate(
            """
            INSERT INTO metadef_resource_types (id, name, protected, created_at, updated_at)
            VALUES (:id, :name, :protected, :now, :now)""")
        .bind("id", created)
        .bind("name", name)
        .bind("protected", protect)
        .bind("now", Micros.of(now))
        .execute();
    return created;
  }

  /** The associations of each of the namespaces, by namespace id, in creation order. */
  Map<String, List<ResourceTypeAssociation>> associations(Handle h, List<String> namespaceIds) {
    Map<String, List<ResourceTypeAssociation>> out = new LinkedHashMap<>();
    if (namespaceIds.isEmpty()) {
      return out;
    }
    h.createQuery(
            """
            SELECT a.namespace_id, r.name, a.prefix, a.properties_target, a.created_at, a.updated_at
            FROM metadef_namespace_resource_types a
            JOIN metadef_resource_types r ON r.id = a.resource_type_id
            WHERE a.namespace_id IN (<ids>)
            ORDER BY a.created_at, r.name""")
        .bindList("ids", namespaceIds)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString(1),
                    new ResourceTypeAssociation(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        Micros.toInstant(rs.getLong(5)),
                        Micros.toInstant(rs.getLong(6)))))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  List<ResourceTypeAssociation> associations(Handle h, String namespaceId) {
    return associations(h, List.of(namespaceId)).getOrDefault(namespaceId, List.of());
  }

  /** Inserts the association; false when the namespace already has one for that type. */
  boolean insertAssociation(
      Handle h, String namespaceId, String resourceTypeId, ResourceTypeAssociation a) {
    boolean exists =
        h.createQuery(
                """
                SELECT COUNT(*) FROM metadef_namespace_resource_types
                WHERE namespace_id = :ns AND resource_type_id = :rt""")
            .bind("ns", namespaceId)
            .bind("rt", resourceTypeId)
            .mapTo(Integer.class)
            .one()
        > 0;
    if (exists) {
      return false;
    }
    h.createUpdate(
            """
            INSERT INTO metadef_namespace_resource_types (resource_type_id, namespace_id,
                properties_target, prefix, created_at, updated_at)
            VALUES (:rt, :ns, :target, :prefix, :created_at, :updated_at)""")
        .bind("rt", resourceTypeId)
        .bind("ns", namespaceId)
        .bind("target", a.propertiesTarget())
        .bind("prefix", a.prefix())
        .bind("created_at", Micros.of(a.createdAt()))
        .bind("updated_at", Micros.of(a.updatedAt()))
        .execute();
    return true;
  }

  /** Removes the namespace's association with the named type; false when there was none. */
  boolean deleteAssociation(Handle h, String namespaceId, String resourceTypeName) {
    return h.createUpdate(
                """
                DELETE FROM metadef_namespace_resource_types WHERE namespace_id = :ns
                AND resource_type_id IN (SELECT id FROM metadef_resource_types WHERE name = :name)""")
            .bind("ns", namespaceId)
            .bind("name", resourceTypeName)
            .execute()
        > 0;
  }

  // --- seeds

  /** Records that the named definition file is loaded; false when it already was. */
  boolean claimSeed(Handle h, String name, Instant now) {
    return h.createUpdate(
                "INSERT INTO metadef_seeds (name, loaded_at) VALUES (:name, :now) ON CONFLICT DO NOTHING")
            .bind("name", name)
            .bind("now", Micros.of(now))
            .execute()
        > 0;
  }

  // --- rows

  private static Namespace namespace(ResultSet rs) throws SQLException {
    return new Namespace(
        rs.getString("id"),
        rs.getString("namespace"),
        rs.getString("display_name"),
        rs.getString("description"),
        rs.getString("visibility"),
        rs.getBoolean("protected"),
        rs.getString("owner"),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")));
  }

  private static MetadefObject object(ResultSet rs) throws SQLException {
    String required = rs.getString("required");
    List<String> names = new ArrayList<>();
    if (required != null) {
      parse(required).forEach(n -> names.add(n.asText()));
    }
    return new MetadefObject(
        rs.getString("name"),
        rs.getString("description"),
        names,
        (ObjectNode) parse(rs.getString("json_schema")),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")));
  }

  private static MetadefTag tag(ResultSet rs) throws SQLException {
    return new MetadefTag(
        rs.getString("name"),
        Micros.toInstant(rs.getLong("created_at")),
        Micros.toInstant(rs.getLong("updated_at")));
  }

  private static ArrayNode requiredArray(List<String> required) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    required.forEach(a::add);
    return a;
  }

  private static String text(JsonNode node) {
    return node.toString();
  }

  private static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt metadef JSON in the store", e);
    }
  }
}
