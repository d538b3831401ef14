package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v3/users/{user_id}/application_credentials}: Keystone's bodies. */
final class ApplicationCredentialsEndpoint {
  private final IdentityService identity;
  private final ApplicationCredentialService credentials;
  private final String base;

  ApplicationCredentialsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.credentials = identity.applicationCredentials();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    String collection = "/v3/users/{user_id}/application_credentials";
    routes.post(collection, this::create);
    routes.get(collection, this::list);
    routes.get(collection + "/{id}", this::show);
    routes.delete(collection + "/{id}", this::delete);
    String rules = "/v3/users/{user_id}/access_rules";
    routes.get(rules, this::listRules);
    routes.get(rules + "/{id}", this::showRule);
    routes.delete(rules + "/{id}", this::deleteRule);
  }

  private void listRules(Context ctx) {
    String user = ctx.pathParam("user_id");
    Map<String, String> query = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
    List<AccessRule> found = credentials.listAccessRules(caller(ctx), user, query);
    String q = ctx.queryString();
    String self =
        base + "/v3/users/" + user + "/access_rules" + (q == null || q.isEmpty() ? "" : "?" + q);
    Responses.json(
        ctx, 200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("access_rules");
              for (AccessRule r : found) {
                writeRule(g, r, user);
              }
              g.writeEndArray();
              g.writeObjectFieldStart("links");
              g.writeStringField("self", self);
              g.writeNullField("previous");
              g.writeNullField("next");
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private void showRule(Context ctx) {
    String user = ctx.pathParam("user_id");
    AccessRule r = credentials.getAccessRule(caller(ctx), user, ctx.pathParam("id"));
    Responses.json(
        ctx, 200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeFieldName("access_rule");
              writeRule(g, r, user);
              g.writeEndObject();
            }));
  }

  private void deleteRule(Context ctx) {
    credentials.deleteAccessRule(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  /** A rule as the access rules API shows it; {@code user} null: as inside a credential. */
  private void writeRule(JsonGenerator g, AccessRule r, String user) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("path", r.path());
    g.writeStringField("method", r.method());
    g.writeStringField("service", r.service());
    if (user != null) {
      g.writeObjectFieldStart("links");
      g.writeStringField("self", base + "/v3/users/" + user + "/access_rules/" + r.id());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void create(Context ctx) {
    ApplicationCredentialService.Created created =
        credentials.create(caller(ctx), ctx.pathParam("user_id"), KeystoneBodies.object(ctx));
    Responses.json(
        ctx, 201,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeFieldName("application_credential");
              write(g, created.credential(), created.roles(), created.rules(),
                  created.secret());
              g.writeEndObject();
            }));
  }

  private void list(Context ctx) {
    String user = ctx.pathParam("user_id");
    List<ApplicationCredential> found =
        credentials.list(caller(ctx), user, ctx.queryParam("name"));
    String q = ctx.queryString();
    String self =
        base + "/v3/users/" + user + "/application_credentials"
            + (q == null || q.isEmpty() ? "" : "?" + q);
    Responses.json(
        ctx, 200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeArrayFieldStart("application_credentials");
              for (ApplicationCredential c : found) {
                write(g, c, credentials.roles(c), credentials.accessRules(c), null);
              }
              g.writeEndArray();
              g.writeObjectFieldStart("links");
              g.writeStringField("self", self);
              g.writeNullField("previous");
              g.writeNullField("next");
              g.writeEndObject();
              g.writeEndObject();
            }));
  }

  private void show(Context ctx) {
    ApplicationCredential c =
        credentials.get(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("id"));
    Responses.json(
        ctx, 200,
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeFieldName("application_credential");
              write(g, c, credentials.roles(c), credentials.accessRules(c), null);
              g.writeEndObject();
            }));
  }

  private void delete(Context ctx) {
    credentials.delete(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  /** Keystone's public fields; the secret only right after creation. */
  private void write(
      JsonGenerator g, ApplicationCredential c, List<Role> roles, List<AccessRule> rules,
      String secret) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("name", c.name());
    g.writeStringField("description", c.description());
    if (c.expiresAt() == null) {
      g.writeNullField("expires_at");
    } else {
      g.writeStringField("expires_at", IdentityViews.microTime(c.expiresAt()));
    }
    g.writeStringField("project_id", c.projectId());
    g.writeArrayFieldStart("roles");
    for (Role r : roles) {
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeStringField("name", r.name());
      g.writeNullField("domain_id");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeBooleanField("unrestricted", c.unrestricted());
    g.writeArrayFieldStart("access_rules");
    for (AccessRule r : rules) {
      writeRule(g, r, null);
    }
    g.writeEndArray();
    if (secret != null) {
      g.writeStringField("secret", secret);
    }
    g.writeObjectFieldStart("links");
    g.writeStringField(
        "self", base + "/v3/users/" + c.userId() + "/application_credentials/" + c.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
