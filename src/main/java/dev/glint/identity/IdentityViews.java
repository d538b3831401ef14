package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Keystone's wire shapes, keys in the order a Zed Keystone writes them (reference recordings). */
final class IdentityViews {
  /** Keystone's {@code isotime(subsecond=True)}: always six zero fractional digits (tempest). */
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.000000Z'").withZone(ZoneOffset.UTC);

  /**
   * oslo.serialization's {@code to_primitive} of a datetime ({@code %Y-%m-%dT%H:%M:%S.%f}): the
   * microseconds, no zone. Keystone shows an application credential's {@code expires_at} so.
   */
  static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private IdentityViews() {}

  static String microTime(Instant t) {
    return MICRO_TIME.format(t);
  }

  static byte[] versions(String base) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("versions");
          g.writeArrayFieldStart("values");
          v3(g, base);
          V2Views.versionObject(g, base);
          g.writeEndArray();
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  static byte[] version(String base) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("version");
          v3(g, base);
          g.writeEndObject();
        });
  }

  private static void v3(JsonGenerator g, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", "v3.14");
    g.writeStringField("status", "stable");
    g.writeStringField("updated", "2020-04-07T00:00:00Z");
    g.writeArrayFieldStart("links");
    g.writeStartObject();
    g.writeStringField("rel", "self");
    g.writeStringField("href", base + "/v3/");
    g.writeEndObject();
    g.writeEndArray();
    g.writeArrayFieldStart("media-types");
    g.writeStartObject();
    g.writeStringField("base", "application/json");
    g.writeStringField("type", "application/vnd.openstack.identity-v3+json");
    g.writeEndObject();
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code {"token": {...}}}; {@code catalog} null leaves it out (unscoped or {@code nocatalog}). */
  static byte[] token(TokenInfo t, List<ServiceCatalog.Service> catalog) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart("token");
          g.writeArrayFieldStart("methods");
          for (String m : t.methods()) {
            g.writeString(m);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("user");
          domainRef(g, t.userDomain());
          g.writeStringField("id", t.user().id());
          g.writeStringField("name", t.user().name());
          g.writeNullField("password_expires_at");
          g.writeEndObject();
          g.writeArrayFieldStart("audit_ids");
          for (String a : t.auditIds()) {
            g.writeString(a);
          }
          g.writeEndArray();
          g.writeStringField("expires_at", TIME.format(t.expiresAt()));
          g.writeStringField("issued_at", TIME.format(t.issuedAt()));
          if (t.domain() != null || t.system()) {
            if (t.system()) {
              g.writeObjectFieldStart("system");
              g.writeBooleanField("all", true);
              g.writeEndObject();
            } else {
              g.writeObjectFieldStart("domain");
              g.writeStringField("id", t.domain().id());
              g.writeStringField("name", t.domain().name());
              g.writeEndObject();
            }
            roles(g, t.roles());
            if (catalog != null) {
              g.writeFieldName("catalog");
              catalog(g, catalog);
            }
          }
          if (t.trust() != null) {
            // Keystone's render_token: the trust's parties and whether it impersonates.
            g.writeObjectFieldStart("OS-TRUST:trust");
            g.writeStringField("id", t.trust().id());
            g.writeObjectFieldStart("trustor_user");
            g.writeStringField("id", t.trust().trustorUserId());
            g.writeEndObject();
            g.writeObjectFieldStart("trustee_user");
            g.writeStringField("id", t.trust().trusteeUserId());
            g.writeEndObject();
            g.writeBooleanField("impersonation", t.trust().impersonation());
            g.writeEndObject();
          }
          if (t.scoped()) {
            g.writeObjectFieldStart("project");
            domainRef(g, t.projectDomain());
            g.writeStringField("id", t.project().id());
            g.writeStringField("name", t.project().name());
            g.writeEndObject();
            g.writeBooleanField("is_domain", false);
            g.writeArrayFieldStart("roles");
            for (Role r : t.roles()) {
              g.writeStartObject();
              g.writeStringField("id", r.id());
              g.writeStringField("name", r.name());
              g.writeEndObject();
            }
            g.writeEndArray();
            if (t.applicationCredential() != null) {
              g.writeObjectFieldStart("application_credential");
              g.writeStringField("id", t.applicationCredential().id());
              g.writeStringField("name", t.applicationCredential().name());
              g.writeBooleanField("restricted", !t.applicationCredential().unrestricted());
              // Keystone's render_token lists them only when the credential has some.
              if (!t.accessRules().isEmpty()) {
                g.writeArrayFieldStart("access_rules");
                for (AccessRule r : t.accessRules()) {
                  g.writeStartObject();
                  g.writeStringField("id", r.id());
                  g.writeStringField("service", r.service());
                  g.writeStringField("path", r.path());
                  g.writeStringField("method", r.method());
                  g.writeEndObject();
                }
                g.writeEndArray();
              }
              g.writeEndObject();
            }
            if (t.oauth() != null) {
              g.writeObjectFieldStart("OS-OAUTH1");
              g.writeStringField("access_token_id", t.oauth().accessTokenId());
              g.writeStringField("consumer_id", t.oauth().consumerId());
              g.writeEndObject();
            }
            if (catalog != null) {
              g.writeFieldName("catalog");
              catalog(g, catalog);
            }
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void roles(JsonGenerator g, List<Role> roles) throws IOException {
    g.writeArrayFieldStart("roles");
    for (Role r : roles) {
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeStringField("name", r.name());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void domainRef(JsonGenerator g, Domain d) throws IOException {
    g.writeObjectFieldStart("domain");
    g.writeStringField("id", d.id());
    g.writeStringField("name", d.name());
    g.writeEndObject();
  }

  static byte[] catalog(List<ServiceCatalog.Service> catalog, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("catalog");
          catalog(g, catalog);
          g.writeObjectFieldStart("links");
          g.writeStringField("self", self);
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void catalog(JsonGenerator g, List<ServiceCatalog.Service> catalog)
      throws IOException {
    g.writeStartArray();
    for (ServiceCatalog.Service s : catalog) {
      g.writeStartObject();
      g.writeArrayFieldStart("endpoints");
      for (ServiceCatalog.Endpoint e : s.endpoints()) {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("interface", e.iface());
        g.writeStringField("region_id", e.region());
        g.writeStringField("url", e.url());
        g.writeStringField("region", e.region());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("id", s.id());
      g.writeStringField("type", s.type());
      g.writeStringField("name", s.name());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** {@code {"projects": [...], "links": {...}}} as Keystone's {@code wrap_collection}. */
  static byte[] projects(List<Project> projects, String base, String self) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("projects");
          for (Project p : projects) {
            project(g, p, base);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("links");
          g.writeStringField("self", self);
          g.writeNullField("previous");
          g.writeNullField("next");
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  static void project(JsonGenerator g, Project p, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", p.id());
    g.writeStringField("name", p.name());
    g.writeStringField("domain_id", p.domainId());
    g.writeStringField("description", p.description());
    g.writeBooleanField("enabled", p.enabled());
    g.writeStringField("parent_id", p.parentOrDomain());
    g.writeBooleanField("is_domain", false);
    g.writeArrayFieldStart("tags");
    for (String tag : p.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/projects/" + p.id());
    g.writeEndObject();
    g.writeEndObject();
  }

  static String time(Instant t) {
    return TIME.format(t);
  }
}
