package dev.glint.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OS-OAUTH1 request tokens, their authorization, access tokens and a user's access tokens (the
 * consumers are {@link ConsumersEndpoint}'s; the {@code oauth1} auth method is {@link
 * AuthEndpoint}'s).
 */
final class OAuthEndpoint {
  private static final String PREFIX = "/v3/OS-OAUTH1";
  private static final String ACCESS_TOKENS = "/v3/users/{user_id}/OS-OAUTH1/access_tokens";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final OAuthTokenService oauth;
  private final IdentityService identity;
  private final String base;

  OAuthEndpoint(IdentityService identity, String base) {
    this.identity = identity;
    this.oauth = identity.oauth();
    this.base = base;
  }

  void routes(RoutesConfig routes) {
    routes.post(PREFIX + "/request_token", this::requestToken);
    routes.put(PREFIX + "/authorize/{request_token_id}", this::authorize);
    routes.post(PREFIX + "/access_token", this::accessToken);
    routes.get(ACCESS_TOKENS, this::list);
    routes.get(ACCESS_TOKENS + "/{access_token_id}", this::show);
    routes.delete(ACCESS_TOKENS + "/{access_token_id}", this::delete);
    routes.get(ACCESS_TOKENS + "/{access_token_id}/roles", this::roles);
    routes.get(ACCESS_TOKENS + "/{access_token_id}/roles/{role_id}", this::role);
  }

  /**
   * The request as the OAuth signature covers it: the URLs it may have been signed for (the
   * public one Keystone would use, then the one the request arrived at, for a client that reached
   * Glint by another name), the header, and the query parameters.
   */
  static OAuthTokenService.Signed signed(Context ctx, String base) {
    List<String> urls = new ArrayList<>();
    urls.add(base + ctx.path());
    String arrived = ctx.scheme() + "://" + ctx.host() + ctx.path();
    if (!urls.contains(arrived) && ctx.host() != null) {
      urls.add(arrived);
    }
    List<OAuthSignature.Param> query = new ArrayList<>();
    ctx.queryParamMap().forEach((k, values) -> values.forEach(
        v -> query.add(new OAuthSignature.Param(k, v))));
    return new OAuthTokenService.Signed(
        ctx.method().name(), urls, ctx.header("Authorization"), query);
  }

  private Caller caller(Context ctx) {
    return identity.caller(ctx.header("X-Auth-Token"));
  }

  private void requestToken(Context ctx) {
    var issued = oauth.requestToken(signed(ctx, base), ctx.header("Requested-Project-Id"));
    Responses.send(ctx, 201, FORM, issued.form().getBytes(StandardCharsets.UTF_8));
  }

  private void authorize(Context ctx) {
    Caller caller = caller(ctx);
    // Keystone reads this body leniently (get_json(force=True, silent=True) or {}).
    JsonNode body;
    try {
      body = ctx.body().isBlank() ? null : Json.MAPPER.readTree(ctx.body());
    } catch (IOException e) {
      body = null;
    }
    String verifier = oauth.authorize(caller, ctx.pathParam("request_token_id"), body);
    Responses.json(ctx, 200, Json.bytes(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("token");
      g.writeStringField("oauth_verifier", verifier);
      g.writeEndObject();
      g.writeEndObject();
    }));
  }

  private void accessToken(Context ctx) {
    var issued = oauth.accessToken(signed(ctx, base));
    Responses.send(ctx, 201, FORM, issued.form().getBytes(StandardCharsets.UTF_8));
  }

  private void list(Context ctx) {
    String userId = ctx.pathParam("user_id");
    var tokens = oauth.list(caller(ctx), userId);
    Responses.json(ctx, 200, AdminViews.collection(
        "access_tokens", tokens, this::write, base,
        CatalogAdminEndpoint.self(ctx, base, "/v3/users/" + userId + "/OS-OAUTH1/access_tokens")));
  }

  private void show(Context ctx) {
    var token = oauth.get(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("access_token_id"));
    Responses.json(ctx, 200, AdminViews.member("access_token", token, this::write, base));
  }

  private void delete(Context ctx) {
    oauth.delete(caller(ctx), ctx.pathParam("user_id"), ctx.pathParam("access_token_id"));
    Responses.noContent(ctx, null);
  }

  private void roles(Context ctx) {
    String userId = ctx.pathParam("user_id");
    String tokenId = ctx.pathParam("access_token_id");
    var roles = oauth.roles(caller(ctx), userId, tokenId);
    Responses.json(ctx, 200, AdminViews.collection(
        "roles", roles, OAuthEndpoint::role, base,
        CatalogAdminEndpoint.self(ctx, base, path(userId, tokenId) + "/roles")));
  }

  private void role(Context ctx) {
    var role = oauth.role(caller(ctx), ctx.pathParam("user_id"),
        ctx.pathParam("access_token_id"), ctx.pathParam("role_id"));
    Responses.json(ctx, 200, AdminViews.member("role", role, OAuthEndpoint::role, base));
  }

  private static String path(String userId, String accessTokenId) {
    return "/v3/users/" + userId + "/OS-OAUTH1/access_tokens/" + accessTokenId;
  }

  /** Keystone's {@code _format_token_entity}: no secret, no role ids, a link to the roles. */
  private void write(JsonGenerator g, ConsumerRepository.AccessToken t, String base)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("id", t.id());
    g.writeStringField("consumer_id", t.consumerId());
    g.writeStringField("authorizing_user_id", t.authorizingUserId());
    g.writeStringField("project_id", t.projectId());
    g.writeStringField(
        "expires_at", t.expiresAt() == null ? null : OAuthTokenService.isotime(t.expiresAt()));
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + path(t.authorizingUserId(), t.id()));
    g.writeStringField("roles", base + path(t.authorizingUserId(), t.id()) + "/roles");
    g.writeEndObject();
    g.writeEndObject();
  }

  /** Keystone's {@code _format_role_entity}: the role without description or enabled. */
  private static void role(JsonGenerator g, Role r, String base) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id());
    g.writeStringField("name", r.name());
    g.writeStringField("domain_id", r.domainId());
    g.writeObjectFieldStart("options");
    g.writeEndObject();
    g.writeObjectFieldStart("links");
    g.writeStringField("self", base + "/v3/roles/" + r.id());
    g.writeEndObject();
    g.writeEndObject();
  }
}
