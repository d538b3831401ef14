package dev.glint.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import java.io.IOException;
import java.util.Map;

/**
 * Wire shapes of the catalog API, as Keystone's {@code to_dict}: the row's {@code extra} fields
 * first, then its columns, then {@code links}. Endpoints also show {@code region} (=
 * {@code region_id}), as Keystone's {@code _filter_endpoint} adds it.
 */
final class CatalogViews {
  private CatalogViews() {}

  static JsonNode json(String text) {
    try {
      return text == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON does not parse", e);
    }
  }

  static String extra(Map<String, ?> fields) {
    return extra((JsonNode) Json.MAPPER.valueToTree(fields));
  }

  static String extra(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service's name: {@code ""} when it has none, as Keystone's catalog shows it. */
  static String name(CatalogRepository.Service s) {
    JsonNode name = json(s.extra()).get("name");
    return name == null || name.isNull() ? "" : name.asText();
  }

  private static void extraFields(JsonGenerator g, String extra, String... columns)
      throws IOException {
    ObjectNode fields = (ObjectNode) json(extra);
    for (String c : columns) {
      fields.remove(c);
    }
    for (Map.Entry<String, JsonNode> e : fields.properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
  }

  private static void self(JsonGenerator g, String href) throws IOException {
    g.writeObjectFieldStart("links");
    g.writeStringField("self", href);
    g.writeEndObject();
  }

  static void region(JsonGenerator g, CatalogRepository.Region r, String base)
      throws IOException {
    g.writeStartObject();
    extraFields(g, r.extra(), "id", "description", "parent_region_id", "links");
    g.writeStringField("id", r.id());
    g.writeStringField("description", r.description());
    g.writeStringField("parent_region_id", r.parentRegionId());
    self(g, base + "/v3/regions/" + r.id());
    g.writeEndObject();
  }

  static void service(JsonGenerator g, CatalogRepository.Service s, String base)
      throws IOException {
    g.writeStartObject();
    extraFields(g, s.extra(), "id", "type", "enabled", "links");
    g.writeStringField("id", s.id());
    g.writeStringField("type", s.type());
    g.writeBooleanField("enabled", s.enabled());
    self(g, base + "/v3/services/" + s.id());
    g.writeEndObject();
  }

  static void endpoint(JsonGenerator g, CatalogRepository.Endpoint e, String base)
      throws IOException {
    g.writeStartObject();
    extraFields(
        g, e.extra(), "id", "interface", "region_id", "service_id", "url", "enabled", "region",
        "links");
    g.writeStringField("id", e.id());
    g.writeStringField("interface", e.iface());
    g.writeStringField("region_id", e.regionId());
    g.writeStringField("service_id", e.serviceId());
    g.writeStringField("url", e.url());
    g.writeBooleanField("enabled", e.enabled());
    g.writeStringField("region", e.regionId());
    self(g, base + "/v3/endpoints/" + e.id());
    g.writeEndObject();
  }

  static void endpointGroup(JsonGenerator g, CatalogRepository.EndpointGroup eg, String base)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", eg.id());
    g.writeStringField("name", eg.name());
    g.writeStringField("description", eg.description());
    g.writeFieldName("filters");
    g.writeTree(json(eg.filters()));
    self(g, base + "/v3/OS-EP-FILTER/endpoint_groups/" + eg.id());
    g.writeEndObject();
  }

  /**
   * One group-to-project association. Its self link has no base URL: Keystone's
   * {@code EPFilterGroupsProjectsResource._add_self_referential_link} builds it so.
   */
  static void association(JsonGenerator g, String groupId, String projectId)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("endpoint_group_id", groupId);
    g.writeStringField("project_id", projectId);
    self(g, "/OS-EP-FILTER/endpoint_groups/" + groupId + "/projects/" + projectId);
    g.writeEndObject();
  }
}
