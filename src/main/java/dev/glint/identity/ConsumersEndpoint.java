package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;

/** {@code /v3/OS-OAUTH1/consumers}: Keystone's OAuth1 consumer API. */
final class ConsumersEndpoint {
  private static final String CONSUMERS = "/v3/OS-OAUTH1/consumers";

  private final IdentityService identity;
  private final ConsumerService consumers;
  private final String base;

  ConsumersEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.consumers = identity.consumers();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.get(CONSUMERS, this::list);
    routes.post(CONSUMERS, this::create);
    routes.get(CONSUMERS + "/{id}", this::show);
    routes.patch(CONSUMERS + "/{id}", this::update);
    routes.delete(CONSUMERS + "/{id}", this::delete);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void list(Context ctx) {
    var found = consumers.list(caller(ctx));
    Responses.json(ctx, 200, AdminViews.collection(
        "consumers", found, (g, c, b) -> write(g, c, null), base,
        CatalogAdminEndpoint.self(ctx, base, CONSUMERS)));
  }

  private void create(Context ctx) {
    var shown = consumers.create(caller(ctx), KeystoneBodies.object(ctx));
    Responses.json(ctx, 201, AdminViews.member(
        "consumer", shown, (g, s, b) -> write(g, s.consumer(), s.secret()), base));
  }

  private void show(Context ctx) {
    var c = consumers.get(caller(ctx), ctx.pathParam("id"));
    Responses.json(ctx, 200, AdminViews.member("consumer", c, (g, x, b) -> write(g, x, null), base));
  }

  private void update(Context ctx) {
    var c = consumers.update(caller(ctx), ctx.pathParam("id"), KeystoneBodies.object(ctx));
    Responses.json(ctx, 200, AdminViews.member("consumer", c, (g, x, b) -> write(g, x, null), base));
  }

  private void delete(Context ctx) {
    consumers.delete(caller(ctx), ctx.pathParam("id"));
    Responses.noContent(ctx, null);
  }

  private void write(JsonGenerator g, ConsumerRepository.Consumer c, String secret)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e :
        CredentialService.parse(c.extra()).properties()) {
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
    g.writeStringField("id", c.id());
    g.writeStringField("description", c.description());
    if (secret != null) {
      g.writeStringField("secret", secret);
    }
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + CONSUMERS + "/" + c.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
