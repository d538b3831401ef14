package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import dev.glint.metadef.NamespaceDefinition.AssociationDefinition;
import dev.glint.metadef.NamespaceDefinition.ObjectDefinition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Request bodies and query parameters of the metadefs API, checked in Glance's order: a body at
 * all (400), read-only attributes (403), then the resource's schema (400).
 */
final class MetadefRequests {
  static final SchemaCheck NAMESPACE = SchemaCheck.of("namespace");
  static final SchemaCheck OBJECT = SchemaCheck.of("object");
  static final SchemaCheck PROPERTY = SchemaCheck.of("property");
  static final SchemaCheck TAG = SchemaCheck.of("tag");
  static final SchemaCheck RESOURCE_TYPE = SchemaCheck.of("resource_type");
  /** An object's property: the property schema without {@code name} (the key names it). */
  static final SchemaCheck OBJECT_PROPERTY = withoutRequiredName(propertySchema());
  /** {@code POST .../tags}: Glance's list schema, which no schema endpoint serves. */
  static final SchemaCheck TAG_LIST =
      SchemaCheck.of(
          "tags",
          parse(
              """
              {"name": "tags", "properties": {"tags": {"type": "array", "items": {"type": "object",
               "properties": {"name": {"type": "string"}}, "required": ["name"],
               "additionalProperties": false}}}, "additionalProperties": false}"""
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

  /** The attributes of Glance's PropertyType; anything else in a definition is dropped, as wsme does. */
  static final Set<String> PROPERTY_TYPE_KEYS =
      Set.of(
          "type", "title", "description", "operators", "default", "readonly", "minimum",
          "maximum", "enum", "pattern", "minLength", "maxLength", "confidential", "items",
          "uniqueItems", "minItems", "maxItems", "additionalItems");

  private static final List<String> NAMESPACE_READ_ONLY =
      List.of("self", "schema", "created_at", "updated_at");
  private static final List<String> TIMESTAMPS = List.of("created_at", "updated_at");

  private MetadefRequests() {}

  private static JsonNode propertySchema() {
    return parse(MetadefSchemas.raw("property"));
  }

  private static SchemaCheck withoutRequiredName(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    copy.putArray("required").add("type").add("title");
    return SchemaCheck.of("property", copy);
  }

  /** The body as JSON: 400 {@code Body expected in request.} / {@code Malformed JSON ...}. */
  static JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("Body expected in request.");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("Malformed JSON in request body.");
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("Body expected in request.");
    }
    if (!node.isObject() && !node.isArray()) {
      throw ApiException.badRequest("Unexpected body type. Expected list/dict.");
    }
    return node;
  }

  /** {@code POST /v2/metadefs/namespaces} and the namespace {@code PUT}. */
  static NamespaceDefinition namespace(JsonNode body) {
    readOnly(body, NAMESPACE_READ_ONLY);
    NAMESPACE.validate(body);
    return definition(body);
  }

  /**
   * A namespace with its contents, from a checked request body or a definition file (which no
   * schema checks: {@code glance-manage} reads them as they are).
   */
  static NamespaceDefinition definition(JsonNode body) {
    List<AssociationDefinition> associations = new ArrayList<>();
    for (JsonNode a : body.path("resource_type_associations")) {
      associations.add(association(a));
    }
    List<ObjectDefinition> objects = new ArrayList<>();
    for (JsonNode o : body.path("objects")) {
      objects.add(objectDefinition(o));
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode t : body.path("tags")) {
      tags.add(t.path("name").asText());
    }
    return new NamespaceDefinition(
        body.path("namespace").asText(),
        text(body, "display_name"),
        text(body, "description"),
        text(body, "visibility"),
        body.path("protected").isBoolean() ? body.get("protected").asBoolean() : null,
        text(body, "owner"),
        associations,
        properties(body.path("properties")),
        objects,
        tags);
  }

  /** {@code POST|PUT .../objects[/{name}]}. */
  static ObjectDefinition object(JsonNode body, boolean create) {
    readOnly(body, NAMESPACE_READ_ONLY);
    OBJECT.validate(body);
    if (create && body.path("properties").isObject()) {
      for (Map.Entry<String, JsonNode> p : body.get("properties").properties()) {
        OBJECT_PROPERTY.validate(p.getValue());
      }
    }
    return objectDefinition(body);
  }

  /** {@code POST|PUT .../properties[/{name}]}: the name and the definition without it. */
  static Map.Entry<String, ObjectNode> property(JsonNode body) {
    readOnly(body, TIMESTAMPS);
    PROPERTY.validate(body);
    return Map.entry(body.get("name").asText(), propertyType(body));
  }

  /** {@code PUT .../tags/{name}}: the new name. */
  static String tag(JsonNode body) {
    readOnly(body, TIMESTAMPS);
    TAG.validate(body);
    return body.get("name").asText();
  }

  /** {@code POST .../tags/{name}}: the name from the path, checked as a tag body would be. */
  static String tagName(String name) {
    TAG.validate(Json.MAPPER.createObjectNode().put("name", name));
    return name;
  }

  /** {@code POST .../tags}: {@code {"tags": [{"name": ...}, ...]}}. */
  static List<String> tags(JsonNode body) {
    readOnly(body, TIMESTAMPS);
    TAG_LIST.validate(body);
    List<String> names = new ArrayList<>();
    body.path("tags").forEach(t -> names.add(t.get("name").asText()));
    return names;
  }

  /** {@code POST .../resource_types}. */
  static AssociationDefinition resourceType(JsonNode body) {
    readOnly(body, TIMESTAMPS);
    RESOURCE_TYPE.validate(body);
    return association(body);
  }

  /** A namespace list's query: limit (25 by default, at most 1000), marker, sort, filters. */
  static NamespaceQuery namespaceQuery(Map<String, List<String>> params) {
    String limitText = last(params, "limit");
    int limit = limitText == null ? 25 : Math.min(1000, limit(limitText));
    String sortKey = sortKey(params, MetadefRepository.NAMESPACE_SORT_KEYS.keySet());
    boolean ascending = ascending(last(params, "sort_dir"));
    String visibility = last(params, "visibility");
    if (visibility != null && !visibility.isEmpty()
        && !visibility.equals("public") && !visibility.equals("private")) {
      throw ApiException.badRequest("Invalid visibility value: " + visibility);
    }
    String types = last(params, "resource_types");
    List<String> resourceTypes =
        types == null || types.isEmpty() ? List.of() : List.of(types.split(","));
    return new NamespaceQuery(
        limit,
        last(params, "marker"),
        sortKey,
        ascending,
        visibility == null || visibility.isEmpty() ? null : visibility,
        resourceTypes);
  }

  /** A tag list's query: no limit unless given. */
  static TagQuery tagQuery(Map<String, List<String>> params) {
    String limitText = last(params, "limit");
    boolean ascending = ascending(last(params, "sort_dir"));
    String sortKey = sortKey(params, MetadefRepository.TAG_SORT_KEYS.keySet());
    String marker = last(params, "marker");
    return new TagQuery(
        limitText == null || limitText.isEmpty() ? null : limit(limitText),
        marker == null || marker.isEmpty() ? null : marker,
        sortKey,
        ascending);
  }

  /** An object list's query, checked (Glance parses it, then lists every object anyway). */
  static void objectQuery(Map<String, List<String>> params) {
    ascending(last(params, "sort_dir"));
    String limit = last(params, "limit");
    if (limit != null && limit(limit) == 0) {
      throw ApiException.badRequest("limit param must be positive");
    }
  }

  static String last(Map<String, List<String>> params, String key) {
    List<String> values = params.get(key);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static int limit(String text) {
    int limit;
    try {
      limit = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit param must be an integer");
    }
    if (limit < 0) {
      throw ApiException.badRequest("limit param must be positive");
    }
    return limit;
  }

  private static boolean ascending(String sortDir) {
    if (sortDir == null || sortDir.equals("desc")) {
      return false;
    }
    if (sortDir.equals("asc")) {
      return true;
    }
    throw ApiException.badRequest("Invalid sort direction: " + sortDir);
  }

  /** Glance lets any column through to the database (a 500 when unknown); Glint says 400. */
  private static String sortKey(Map<String, List<String>> params, Set<String> allowed) {
    String key = last(params, "sort_key");
    if (key == null) {
      return "created_at";
    }
    if (!allowed.contains(key)) {
      throw ApiException.badRequest("Invalid sort key: " + key);
    }
    return key;
  }

  private static void readOnly(JsonNode body, List<String> keys) {
    if (!body.isObject()) {
      return;
    }
    for (String key : keys) {
      if (body.has(key)) {
        throw new ApiException(ErrorCode.FORBIDDEN, "Attribute '" + key + "' is read-only.");
      }
    }
  }

  private static AssociationDefinition association(JsonNode a) {
    return new AssociationDefinition(
        a.path("name").asText(), text(a, "prefix"), text(a, "properties_target"));
  }

  private static ObjectDefinition objectDefinition(JsonNode o) {
    List<String> required = new ArrayList<>();
    o.path("required").forEach(r -> required.add(r.asText()));
    return new ObjectDefinition(
        o.path("name").asText(), text(o, "description"), required, properties(o.path("properties")));
  }

  /** A map of property definitions, each reduced to Glance's PropertyType. */
  private static ObjectNode properties(JsonNode node) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> p : node.properties()) {
        out.set(p.getKey(), propertyType(p.getValue()));
      }
    }
    return out;
  }

  /** A property definition with only PropertyType's attributes, in its (alphabetical) order. */
  static ObjectNode propertyType(JsonNode definition) {
    TreeMap<String, JsonNode> kept = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : definition.properties()) {
      if (PROPERTY_TYPE_KEYS.contains(e.getKey()) && !e.getValue().isNull()) {
        JsonNode value = e.getValue();
        if (e.getKey().equals("items") && value.isObject()) {
          ObjectNode items = Json.MAPPER.createObjectNode();
          if (value.has("type")) {
            items.set("type", value.get("type"));
          }
          if (value.has("enum")) {
            items.set("enum", value.get("enum"));
          }
          value = items;
        }
        kept.put(e.getKey(), value);
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    kept.forEach(out::set);
    return out;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable schema resource", e);
    }
  }
}
