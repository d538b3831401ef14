package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadefs' wire shapes, as Glance's wsme models render them: keys in alphabetical order,
 * fields without a value left out, times in whole seconds with a {@code Z}.
 */
final class MetadefViews {
  static final String NAMESPACE_SCHEMA = "/v2/schemas/metadefs/namespace";
  static final String OBJECT_SCHEMA = "/v2/schemas/metadefs/object";
  static final String BASE = "/v2/metadefs/namespaces";

  private MetadefViews() {}

  static String href(String namespace) {
    return BASE + "/" + namespace;
  }

  static ObjectNode namespace(Namespace n) {
    return namespace(n, null, null, null, null);
  }

  static ObjectNode namespace(NamespaceDetail d) {
    return namespace(
        d.namespace(),
        d.associations(),
        d.properties().isEmpty() ? null : d.properties(),
        d.objects().isEmpty() ? null : objects(d.namespace().namespace(), d.objects()),
        d.tags().isEmpty() ? null : tagNames(d.tags()));
  }

  /**
   * A created namespace as Glance answers it: the stored namespace with the contents as the
   * request gave them (objects without {@code self} or times, associations without times).
   */
  static ObjectNode created(Namespace n, NamespaceDefinition d) {
    ArrayNode objects = null;
    if (!d.objects().isEmpty()) {
      objects = Json.MAPPER.createArrayNode();
      for (NamespaceDefinition.ObjectDefinition o : d.objects()) {
        Map<String, JsonNode> f = new TreeMap<>();
        put(f, "description", o.description());
        put(f, "name", o.name());
        f.put("properties", o.properties().isEmpty() ? null : o.properties());
        if (!o.required().isEmpty()) {
          ArrayNode required = Json.MAPPER.createArrayNode();
          o.required().forEach(required::add);
          f.put("required", required);
        }
        objects.add(node(f));
      }
    }
    ArrayNode tags = null;
    if (!d.tags().isEmpty()) {
      tags = Json.MAPPER.createArrayNode();
      for (String t : d.tags()) {
        tags.addObject().put("name", t);
      }
    }
    ObjectNode out =
        namespace(n, null, d.properties().isEmpty() ? null : d.properties(), objects, tags);
    if (!d.associations().isEmpty()) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      for (NamespaceDefinition.AssociationDefinition x : d.associations()) {
        Map<String, JsonNode> f = new TreeMap<>();
        put(f, "name", x.name());
        put(f, "prefix", x.prefix());
        put(f, "properties_target", x.propertiesTarget());
        a.add(node(f));
      }
      // Re-insert in key order: resource_type_associations sits between protected and schema.
      Map<String, JsonNode> f = new TreeMap<>();
      out.properties().forEach(e -> f.put(e.getKey(), e.getValue()));
      f.put("resource_type_associations", a);
      out = node(f);
    }
    return out;
  }

  private static ObjectNode namespace(
      Namespace n,
      List<ResourceTypeAssociation> associations,
      ObjectNode properties,
      ArrayNode objects,
      ArrayNode tags) {
    Map<String, JsonNode> f = new TreeMap<>();
    put(f, "created_at", time(n.createdAt()));
    put(f, "description", n.description());
    put(f, "display_name", n.displayName());
    put(f, "namespace", n.namespace());
    f.put("objects", objects);
    put(f, "owner", n.owner());
    f.put("properties", properties);
    f.put("protected", Json.MAPPER.getNodeFactory().booleanNode(n.isProtected()));
    if (associations != null && !associations.isEmpty()) {
      ArrayNode a = Json.MAPPER.createArrayNode();
      associations.forEach(x -> a.add(association(x)));
      f.put("resource_type_associations", a);
    }
    put(f, "schema", NAMESPACE_SCHEMA);
    put(f, "self", href(n.namespace()));
    f.put("tags", tags);
    put(f, "updated_at", time(n.updatedAt()));
    put(f, "visibility", n.visibility());
    return node(f);
  }

  /** {@code GET /v2/metadefs/namespaces}: the page, {@code first}, {@code schema}, maybe {@code next}. */
  static ObjectNode namespaces(
      MetadefService.NamespacePage page, String first, String next) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("first", first);
    ArrayNode list = out.putArray("namespaces");
    for (Namespace n : page.namespaces()) {
      list.add(namespace(n, page.associations().get(n.id()), null, null, null));
    }
    if (next != null) {
      out.put("next", next);
    }
    out.put("schema", "/v2/schemas/metadefs/namespaces");
    return out;
  }

  static ObjectNode object(String namespace, MetadefObject o) {
    Map<String, JsonNode> f = new TreeMap<>();
    put(f, "created_at", time(o.createdAt()));
    put(f, "description", o.description());
    put(f, "name", o.name());
    f.put("properties", o.properties());
    ArrayNode required = Json.MAPPER.createArrayNode();
    o.required().forEach(required::add);
    f.put("required", required);
    put(f, "schema", OBJECT_SCHEMA);
    put(f, "self", href(namespace) + "/objects/" + o.name());
    put(f, "updated_at", time(o.updatedAt()));
    return node(f);
  }

  private static ArrayNode objects(String namespace, List<MetadefObject> objects) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    objects.forEach(o -> a.add(object(namespace, o)));
    return a;
  }

  /** {@code GET .../objects}; Glance's link here lacks its leading slash, kept for fidelity. */
  static ObjectNode objectList(String namespace, List<MetadefObject> objects) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("objects", objects(namespace, objects));
    out.put("schema", "v2/schemas/metadefs/objects");
    return out;
  }

  /** A property: its definition with its name, keys in order. */
  static ObjectNode property(String name, ObjectNode definition) {
    Map<String, JsonNode> f = new TreeMap<>();
    definition.properties().forEach(e -> f.put(e.getKey(), e.getValue()));
    put(f, "name", name);
    return node(f);
  }

  static ObjectNode properties(ObjectNode properties) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("properties", properties);
    return out;
  }

  static ObjectNode tag(MetadefTag t) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("created_at", time(t.createdAt()));
    out.put("name", t.name());
    out.put("updated_at", time(t.updatedAt()));
    return out;
  }

  /** A tag list holds names only, as Glance builds it. */
  static ObjectNode tags(List<MetadefTag> tags) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("tags", tagNames(tags));
    return out;
  }

  private static ArrayNode tagNames(List<MetadefTag> tags) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    tags.forEach(t -> a.addObject().put("name", t.name()));
    return a;
  }

  static ObjectNode association(ResourceTypeAssociation a) {
    Map<String, JsonNode> f = new TreeMap<>();
    put(f, "created_at", time(a.createdAt()));
    put(f, "name", a.name());
    put(f, "prefix", a.prefix());
    put(f, "properties_target", a.propertiesTarget());
    put(f, "updated_at", time(a.updatedAt()));
    return node(f);
  }

  static ObjectNode associations(List<ResourceTypeAssociation> list) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode a = out.putArray("resource_type_associations");
    list.forEach(x -> a.add(association(x)));
    return out;
  }

  static ObjectNode resourceTypes(List<ResourceType> types) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode a = out.putArray("resource_types");
    for (ResourceType t : types) {
      a.addObject()
          .put("created_at", time(t.createdAt()))
          .put("name", t.name())
          .put("updated_at", time(t.updatedAt()));
    }
    return out;
  }

  /** oslo's {@code isotime}: whole seconds, {@code Z}. */
  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static void put(Map<String, JsonNode> fields, String key, String value) {
    if (value != null) {
      fields.put(key, Json.MAPPER.getNodeFactory().textNode(value));
    }
  }

  private static ObjectNode node(Map<String, JsonNode> fields) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            out.set(k, v);
          }
        });
    return out;
  }
}
