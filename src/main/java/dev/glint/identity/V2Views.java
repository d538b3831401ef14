package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import java.io.IOException;
import java.util.List;

/** Legacy Identity v2.0 shapes (Queens {@code V2TokenDataHelper}, keystoneauth1 fixture/v2.py). */
final class V2Views {
  private V2Views() {}

  static void versionObject(JsonGenerator g, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", "v2.0");
    // "stable" (pre-Pike form): keystoneauth takes both, and some clients warn on "deprecated".
    g.writeStringField("status", "stable");
    g.writeStringField("updated", "2014-04-17T00:00:00Z");
    g.writeArrayFieldStart("links");
    g.writeStartObject();
    g.writeStringField("rel", "self");
    g.writeStringField("href", base + "/v2.0/");
    g.writeEndObject();
    g.writeStartObject();
    g.writeStringField("rel", "describedby");
    g.writeStringField("type", "text/html");
    g.writeStringField("href", "https://docs.openstack.org/");
    g.writeEndObject();
    g.writeEndArray();
    g.writeArrayFieldStart("media-types");
    g.writeStartObject();
    g.writeStringField("base", "application/json");
    g.writeStringField("type", "application/vnd.openstack.identity-v2.0+json");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  static byte[] version(String base) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("version");
          versionObject(g, base);
          g.writeEndObject();
        });
  }

  /** {@code {"access": {...}}}; the catalog merges each service's interfaces per region. */
  static byte[] access(TokenInfo t, List<ServiceCatalog.Service> catalog, String identityV2) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("access");
          g.writeObjectFieldStart("token");
          g.writeStringField("id", t.id());
          g.writeStringField("issued_at", IdentityViews.time(t.issuedAt()));
          g.writeStringField("expires", IdentityViews.time(t.expiresAt()));
          g.writeArrayFieldStart("audit_ids");
          for (String a : t.auditIds()) {
            g.writeString(a);
          }
          g.writeEndArray();
          if (t.scoped()) {
            g.writeFieldName("tenant");
            tenant(g, t.project());
          }
          g.writeEndObject();
          g.writeArrayFieldStart("serviceCatalog");
          for (ServiceCatalog.Service s : catalog) {
            service(g, s, identityV2);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("user");
          g.writeStringField("id", t.user().id());
          g.writeStringField("name", t.user().name());
          g.writeStringField("username", t.user().name());
          g.writeArrayFieldStart("roles");
          for (Role r : t.roles()) {
            g.writeStartObject();
            g.writeStringField("name", r.name());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeArrayFieldStart("roles_links");
          g.writeEndArray();
          g.writeEndObject();
          g.writeObjectFieldStart("metadata");
          g.writeNumberField("is_admin", 0);
          g.writeArrayFieldStart("roles");
          for (Role r : t.roles()) {
            g.writeString(r.id());
          }
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void service(JsonGenerator g, ServiceCatalog.Service s, String identityV2)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("type", s.type());
    g.writeStringField("name", s.name());
    g.writeArrayFieldStart("endpoints_links");
    g.writeEndArray();
    g.writeArrayFieldStart("endpoints");
    // One region here; a v2 endpoint object holds all of its interfaces.
    if (!s.endpoints().isEmpty()) {
      ServiceCatalog.Endpoint first = s.endpoints().get(0);
      g.writeStartObject();
      g.writeStringField("id", first.id());
      g.writeStringField("region", first.region());
      for (String iface : ServiceCatalog.INTERFACES) {
        for (ServiceCatalog.Endpoint e : s.endpoints()) {
          if (e.iface().equals(iface)) {
            // v2 clients talk v2 to the identity service.
            String url = s.type().equals("identity") ? identityV2 : e.url();
            g.writeStringField(iface + "URL", url);
          }
        }
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  static void tenant(JsonGenerator g, Project p) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", p.id());
    g.writeStringField("name", p.name());
    g.writeStringField("description", p.description());
    g.writeBooleanField("enabled", p.enabled());
    g.writeEndObject();
  }

  static byte[] tenants(List<Project> projects) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("tenants");
          for (Project p : projects) {
            tenant(g, p);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("tenants_links");
          g.writeEndArray();
          g.writeEndObject();
        });
  }
}
