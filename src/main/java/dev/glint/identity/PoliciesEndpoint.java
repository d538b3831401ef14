package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** {@code /v3/policies}: Keystone's deprecated policy blob API. */
final class PoliciesEndpoint {
  private final IdentityService identity;
  private final PolicyBlobService policies;
  private final String base;

  PoliciesEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.policies = identity.policyBlobs();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get("/v3/policies", this::list);
    routes.post("/v3/policies", this::create);
    routes.get("/v3/policies/{id}", this::show);
    routes.patch("/v3/policies/{id}", this::update);
    routes.delete("/v3/policies/{id}", this::delete);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void list(Context ctx) {
    var found = policies.list(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "policies", found, this::write, base,
        CatalogAdminEndpoint.self(ctx, base, "/v3/policies")));
  }

  private void create(Context ctx) {
    var p = policies.create(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member("policy", p, this::write, base));
  }

  private void show(Context ctx) {
    var p = policies.get(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("policy", p, this::write, base));
  }

  private void update(Context ctx) {
    var p = policies.update(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("policy", p, this::write, base));
  }

  private void delete(Context ctx) {
    policies.delete(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void write(JsonGenerator g, PolicyBlobRepository.PolicyBlob p, String base)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e :
        CredentialService.parse(p.extra()).properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
    g.writeStringField("id", p.id());
    g.writeStringField("type", p.type());
    g.writeStringField("blob", p.blob());
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/policies/" + p.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
