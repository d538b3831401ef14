package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code /v3/credentials} and {@code /v3/users/{user_id}/credentials/OS-EC2}: Keystone's bodies. */
final class CredentialsEndpoint {
  private final IdentityService identity;
  private final CredentialService credentials;
  private final String base;

  CredentialsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.credentials = identity.credentials();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/credentials", this::list);
    routes.post("/v3/credentials", this::create);
    routes.get("/v3/credentials/{id}", this::show);
    routes.patch("/v3/credentials/{id}", this::update);
    routes.delete("/v3/credentials/{id}", this::delete);
    String ec2 = "/v3/users/{user_id}/credentials/OS-EC2";
    routes.get(ec2, this::listEc2);
    routes.post(ec2, this::createEc2);
    routes.get(ec2 + "/{access}", this::showEc2);
    routes.delete(ec2 + "/{access}", this::deleteEc2);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void list(Context ctx) {
    List<CredentialService.Credential> found =
        credentials.list(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "credentials", found, this::write, base,
        CatalogAdminEndpoint.self(ctx, base, "/v3/credentials")));
  }

  private void create(Context ctx) {
    var c = credentials.create(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("credential", c, this::write, base));
  }

  private void show(Context ctx) {
    var c = credentials.get(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("credential", c, this::write, base));
  }

  private void update(Context ctx) {
    var c = credentials.update(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("credential", c, this::write, base));
  }

  private void delete(Context ctx) {
    credentials.delete(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  /** Keystone's {@code to_dict}: extra fields, then the columns, the blob in the clear. */
  private void write(JsonGenerator g, CredentialService.Credential c, String base)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e :
        CredentialService.parse(c.extra()).properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
    g.writeStringField("id", c.id());
    g.writeStringField("user_id", c.userId());
    g.writeStringField("project_id", c.projectId());
    g.writeStringField("type", c.type());
    g.writeStringField("blob", c.blob());
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/credentials/" + c.id());
    g.writeEndObject();
    g.writeEndObject();
  }

  private void listEc2(Context ctx) {
    String user = ctx.pathParam("user_id");
    var found = credentials.listEc2(caller(ctx), user);
    Responses.json(ctx, 200, AdminViews.collection(
        "credentials", found, this::writeEc2, base,
        CatalogAdminEndpoint.self(ctx, base, "/v3/users/" + user + "/credentials/OS-EC2")));
  }

  private void createEc2(Context ctx) {
    var c = credentials.createEc2(caller(ctx), ctx.pathParam("user_id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("credential", c, this::writeEc2, base));
  }

  private void showEc2(Context ctx) {
    var c = credentials.getEc2(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("access"));
    Responses.json(ctx, 200, AdminViews.member("credential", c, this::writeEc2, base));
  }

  private void deleteEc2(Context ctx) {
    credentials.deleteEc2(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("access"));
    Responses.noContent(ctx, null);
  }

  private void writeEc2(JsonGenerator g, CredentialService.Ec2 c, String base)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("user_id", c.userId());
    g.writeStringField("tenant_id", c.tenantId());
    g.writeStringField("access", c.access());
    g.writeStringField("secret", c.secret());
    g.writeStringField("trust_id", c.trustId());
    g.writeObjectFieldStart("links");
    g.writeStringField(
        "self", base + "/v3/users/" + c.userId() + "/credentials/OS-EC2/" + c.access());
    g.writeEndObject();
    g.writeEndObject();
  }
}
