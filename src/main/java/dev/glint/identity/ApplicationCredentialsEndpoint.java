package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

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
              write(g, created.credential(), created.roles(), created.secret());
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
                write(g, c, credentials.roles(c), null);
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
              write(g, c, credentials.roles(c), null);
              g.writeEndObject();
            }));
  }

  private void delete(Context ctx) {
    credentials.delete(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  /** Keystone's public fields; the secret only right after creation. */
  private void write(JsonGenerator g, ApplicationCredential c, List<Role> roles, String secret)
      throws IOException {
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
