package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Wire shapes of the admin API: Keystone's {@code wrap_member} and {@code wrap_collection}. */
final class AdminViews {
  private AdminViews() {}

  @FunctionalInterface
  interface Item<T> {
    void write(JsonGenerator g, T item, String base) throws IOException;
  }

  static <T> byte[] member(String key, T item, Item<T> writer, String base) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName(key);
          writer.write(g, item, base);
          g.writeEndObject();
        });
  }

  static <T> byte[] collection(String key, List<T> items, Item<T> writer, String base, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart(key);
          for (T item : items) {
            writer.write(g, item, base);
          }
          g.writeEndArray();
          links(g, self);
          g.writeEndObject();
        });
  }

  private static void links(JsonGenerator g, String self) throws IOException {
    g.writeObjectFieldStart("links");
    g.writeStringField("self", self);
    g.writeNullField("previous");
    g.writeNullField("next");
    g.writeEndObject();
  }

  static void domain(JsonGenerator g, Domain d, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", d.id());
    g.writeStringField("name", d.name());
    g.writeStringField("description", d.description());
    g.writeBooleanField("enabled", d.enabled());
    g.writeArrayFieldStart("tags");
    g.writeEndArray();
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    self(g, base + "/v3/domains/" + d.id());
    g.writeEndObject();
  }

  static void project(JsonGenerator g, Project p, String base) throws IOException {
    IdentityViews.project(g, p, base);
  }

  static void user(JsonGenerator g, User u, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", u.id());
    g.writeStringField("name", u.name());
    g.writeStringField("domain_id", u.domainId());
    g.writeBooleanField("enabled", u.enabled());
    g.writeNullField("password_expires_at");
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    if (u.defaultProjectId() != null) {
      g.writeStringField("default_project_id", u.defaultProjectId());
    }
    JsonNode extra = IdentityAdminService.parse(u.extra());
    for (Map.Entry<String, JsonNode> e : extra.properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
    self(g, base + "/v3/users/" + u.id());
    g.writeEndObject();
  }

  static void role(JsonGenerator g, Role r, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("name", r.name());
    g.writeStringField("domain_id", r.domainId());
    g.writeStringField("description", r.description());
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    self(g, base + "/v3/roles/" + r.id());
    g.writeEndObject();
  }

  private static void self(JsonGenerator g, String href) throws IOException {
    g.writeObjectFieldStart("links");
    g.writeStringField("self", href);
    g.writeEndObject();
  }
}
