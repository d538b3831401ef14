package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code /v3/OS-TRUST/trusts}: Keystone's trust API and bodies. */
final class TrustsEndpoint {
  private static final String TRUSTS = "/v3/OS-TRUST/trusts";

  private final IdentityService identity;
  private final TrustService trusts;
  private final String base;

  TrustsEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.trusts = identity.trusts();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get(TRUSTS, this::list);
    routes.post(TRUSTS, this::create);
    routes.get(TRUSTS + "/{id}", this::show);
    routes.head(TRUSTS + "/{id}", this::show);
    routes.delete(TRUSTS + "/{id}", this::delete);
    routes.get(TRUSTS + "/{id}/roles", this::roles);
    routes.head(TRUSTS + "/{id}/roles", this::roles);
    routes.get(TRUSTS + "/{id}/roles/{role_id}", this::role);
    routes.head(TRUSTS + "/{id}/roles/{role_id}", this::role);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void list(Context ctx) {
    List<TrustRepository.Trust> found = trusts.list(caller(ctx), CatalogAdminEndpoint.query(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "trusts", found, (g, t, b) -> write(g, t, null), base,
        CatalogAdminEndpoint.self(ctx, base, TRUSTS)));
  }

  private void create(Context ctx) {
    TrustRepository.Trust t = trusts.create(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member(
        "trust", t, (g, x, b) -> write(g, x, trusts.roles(x)), base));
  }

  private void show(Context ctx) {
    TrustRepository.Trust t = trusts.get(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member(
        "trust", t, (g, x, b) -> write(g, x, trusts.roles(x)), base));
  }

  private void delete(Context ctx) {
    trusts.delete(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void roles(Context ctx) {
    String id = ctx.pathParam("id");
    List<Role> roles = trusts.roles(caller(ctx), id);
    Responses.json(ctx, 200, Json.bytes(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("roles");
      for (Role r : roles) {
        AdminViews.role(g, r, base);
      }
      g.writeEndArray();
      g.writeFieldName("links");
      rolesLinks(g, id);
      g.writeEndObject();
    }));
  }

  private void role(Context ctx) {
    Role role = trusts.role(caller(ctx), ctx.pathParam("id"), ctx.pathParam("role_id"));
    Responses.json(ctx, 200, AdminViews.member("role", role, AdminViews::role, base));
  }

  /** Keystone's {@code base_url('/<id>/roles')}: the base URL without {@code /v3}, sic. */
  private void rolesLinks(JsonGenerator g, String id) throws IOException {
    g.writeStartObject();
    g.writeStringField("self", base + "/" + id + "/roles");
    g.writeNullField("next");
    g.writeNullField("previous");
    g.writeEndObject();
  }

  /** A trust as Keystone's {@code to_dict}; {@code roles} null in lists, which leave them out. */
  private void write(JsonGenerator g, TrustRepository.Trust t, List<Role> roles)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e :
        CredentialService.parse(t.extra()).properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
    g.writeStringField("id", t.id());
    g.writeStringField("trustor_user_id", t.trustorUserId());
    g.writeStringField("trustee_user_id", t.trusteeUserId());
    g.writeStringField("project_id", t.projectId());
    g.writeBooleanField("impersonation", t.impersonation());
    if (t.expiresAt() == null) {
      g.writeNullField("expires_at");
    } else {
      g.writeStringField("expires_at", IdentityViews.time(t.expiresAt()));
    }
    if (t.remainingUses() == null) {
      g.writeNullField("remaining_uses");
    } else {
      g.writeNumberField("remaining_uses", t.remainingUses());
    }
    g.writeNullField("deleted_at");
    g.writeStringField("redelegated_trust_id", t.redelegatedTrustId());
    if (t.redelegationCount() == null) {
      g.writeNullField("redelegation_count");
    } else {
      g.writeNumberField("redelegation_count", t.redelegationCount());
    }
    if (roles != null) {
      g.writeArrayFieldStart("roles");
      for (Role r : roles) {
        AdminViews.role(g, r, base);
      }
      g.writeEndArray();
      g.writeFieldName("roles_links");
      rolesLinks(g, t.id());
    }
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + TRUSTS + "/" + t.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
