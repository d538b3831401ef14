package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.identity.OAuthSignature.Param;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OS-OAUTH1 over HTTP, signed as tempest's {@code oauth_token_client} signs: request token,
 * authorization, access token, the {@code oauth1} auth method, the access token API and
 * revocation by deleting the access token or its consumer.
 */
@ExtendWith(LogLeakCheck.class)
class OAuthApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;
  static String adminProject;
  static String adminUser;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
    JsonNode token = ok(200, call("GET", "/auth/tokens", admin, null, "X-Subject-Token", admin));
    adminProject = token.at("/token/project/id").asText();
    adminUser = token.at("/token/user/id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(
      String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(v3 + path))
            .method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return server.send(b.build());
  }

  static JsonNode ok(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body().isEmpty() ? null : TestServer.json(r.body());
  }

  static String error(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return TestServer.json(r.body()).at("/error/message").asText();
  }

  /** An {@code Authorization: OAuth} header as tempest builds it, signed HMAC-SHA1. */
  static String oauthHeader(String method, String url, String consumerKey, String consumerSecret,
      String token, String tokenSecret, String verifier, boolean callback) {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    List<Param> params = new ArrayList<>(List.of(
        new Param("oauth_nonce", Math.abs(new java.util.Random().nextLong()) + timestamp),
        new Param("oauth_timestamp", timestamp),
        new Param("oauth_version", "1.0"),
        new Param("oauth_signature_method", "HMAC-SHA1"),
        new Param("oauth_consumer_key", consumerKey)));
    if (token != null) {
      params.add(new Param("oauth_token", token));
    }
    if (callback) {
      params.add(new Param("oauth_callback", "oob"));
    }
    if (verifier != null) {
      params.add(new Param("oauth_verifier", verifier));
    }
    String signature = OAuthSignature.sign("HMAC-SHA1",
        OAuthSignature.baseString(method, url, params), consumerSecret, tokenSecret);
    params.add(new Param("oauth_signature", signature));
    List<String> parts = new ArrayList<>();
    for (Param p : params) {
      parts.add(OAuthSignature.encode(p.name()) + "=\"" + OAuthSignature.encode(p.value()) + "\"");
    }
    return "OAuth " + String.join(", ", parts);
  }

  static Map<String, String> form(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/x-www-form-urlencoded");
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : r.body().split("&")) {
      String[] p = kv.split("=", 2);
      out.put(p[0], p[1]);
    }
    SecretsSeen.add(out.get("oauth_token_secret"));
    return out;
  }

  record Consumer(String key, String secret) {}

  static Consumer consumer() {
    JsonNode c = ok(201, call("POST", "/OS-OAUTH1/consumers", admin,
        "{\"consumer\": {\"description\": \"oauth test\"}}")).get("consumer");
    SecretsSeen.add(c.get("secret").asText());
    return new Consumer(c.get("id").asText(), c.get("secret").asText());
  }

  static HttpResponse<String> requestToken(Consumer c, String secret, String project) {
    String url = v3 + "/OS-OAUTH1/request_token";
    return call("POST", "/OS-OAUTH1/request_token", null, null,
        "Requested-Project-Id", project,
        "Authorization", oauthHeader("POST", url, c.key(), secret, null, null, null, true));
  }

  static HttpResponse<String> accessToken(Consumer c, Map<String, String> request,
      String verifier) {
    String url = v3 + "/OS-OAUTH1/access_token";
    return call("POST", "/OS-OAUTH1/access_token", null, null, "Authorization",
        oauthHeader("POST", url, c.key(), c.secret(), request.get("oauth_token"),
            request.get("oauth_token_secret"), verifier, false));
  }

  static HttpResponse<String> oauthToken(Consumer c, Map<String, String> access,
      String tokenSecret) {
    String url = v3 + "/auth/tokens";
    return call("POST", "/auth/tokens", null,
        "{\"auth\": {\"identity\": {\"methods\": [\"oauth1\"], \"oauth1\": {}}}}",
        "Authorization", oauthHeader("POST", url, c.key(), c.secret(),
            access.get("oauth_token"), tokenSecret, null, false));
  }

  /** Consumer, request token authorized for the admin role, access token. */
  static Map<String, String> delegate(Consumer c) {
    Map<String, String> request = form(requestToken(c, c.secret(), adminProject));
    String verifier = ok(200, call("PUT", "/OS-OAUTH1/authorize/" + request.get("oauth_token"),
        admin, "{\"roles\": [{\"name\": \"admin\"}]}")).at("/token/oauth_verifier").asText();
    return form(accessToken(c, request, verifier));
  }

  @Test
  void delegationFromRequestTokenToProjectScopedToken() {
    Consumer c = consumer();
    Map<String, String> request = form(requestToken(c, c.secret(), adminProject));
    assertThat(request.get("oauth_token")).hasSize(32);
    assertThat(request.get("oauth_token_secret")).hasSize(32);
    assertThat(request.get("oauth_expires_at")).matches("\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}\\.\\d{6}Z");

    // Only an admin authorizes, with roles it holds on the project.
    String path = "/OS-OAUTH1/authorize/" + request.get("oauth_token");
    assertThat(error(403, call("PUT", path, demo, "{\"roles\": [{\"name\": \"admin\"}]}")))
        .endsWith("identity:authorize_request_token.");
    error(401, call("PUT", path, admin, "{\"roles\": [{\"id\": \"" + UUID.randomUUID() + "\"}]}"));
    assertThat(error(404, call("PUT", path, admin, "{\"roles\": [{\"name\": \"no-such\"}]}")))
        .isEqualTo("Could not find role: no-such.");
    assertThat(error(400, call("PUT", path, admin, "{\"roles\": [{\"id\": \"a\", \"x\": 1}]}")))
        .isEqualTo("Invalid input for field '0': Additional properties are not allowed"
            + " ('x' was unexpected)");
    assertThat(error(404, call("PUT", "/OS-OAUTH1/authorize/" + "0".repeat(32), admin,
        "{\"roles\": []}"))).isEqualTo("Request token not found");
    JsonNode authorized = ok(200, call("PUT", path, admin, "{\"roles\": [{\"name\": \"admin\"}]}"));
    String verifier = authorized.at("/token/oauth_verifier").asText();
    assertThat(verifier).matches("[A-Za-z0-9]{8}");

    // A wrong verifier or a wrong request token secret is refused; the right ones once only.
    String wrong = verifier.equals("AAAAAAAA") ? "BBBBBBBB" : "AAAAAAAA";
    error(401, accessToken(c, request, wrong));
    Map<String, String> badSecret = new LinkedHashMap<>(request);
    badSecret.put("oauth_token_secret", "0".repeat(32));
    error(401, accessToken(c, badSecret, verifier));
    Map<String, String> access = form(accessToken(c, request, verifier));
    assertThat(access.get("oauth_token")).hasSize(32).isNotEqualTo(request.get("oauth_token"));
    assertThat(error(404, accessToken(c, request, verifier))).isEqualTo("Request token not found");

    // The oauth1 method: a project-scoped token with the delegated roles.
    HttpResponse<String> issued = oauthToken(c, access, access.get("oauth_token_secret"));
    JsonNode body = ok(201, issued).get("token");
    String token = issued.headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(body.get("methods")).extracting(JsonNode::asText).containsExactly("oauth1");
    assertThat(body.at("/project/id").asText()).isEqualTo(adminProject);
    assertThat(body.at("/user/id").asText()).isEqualTo(adminUser);
    assertThat(body.get("roles")).extracting(r -> r.get("name").asText()).contains("admin");
    assertThat(body.at("/OS-OAUTH1/access_token_id").asText()).isEqualTo(access.get("oauth_token"));
    assertThat(body.at("/OS-OAUTH1/consumer_id").asText()).isEqualTo(c.key());
    JsonNode validated = ok(200, call("GET", "/auth/tokens", admin, null, "X-Subject-Token", token));
    assertThat(validated.at("/token/OS-OAUTH1/consumer_id").asText()).isEqualTo(c.key());
    // An OAuth-scoped token makes no other token, and authorizes no request token.
    assertThat(error(403, call("POST", "/auth/tokens", null,
        "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"" + token
            + "\"}}}}")))
        .isEqualTo("You are not authorized to perform the requested action: Using OAuth-scoped"
            + " token to create another token. Create a new OAuth-scoped token instead.");
    Map<String, String> another = form(requestToken(c, c.secret(), adminProject));
    error(403, call("PUT", "/OS-OAUTH1/authorize/" + another.get("oauth_token"), token,
        "{\"roles\": [{\"name\": \"admin\"}]}"));
    // A wrong access token secret does not authenticate.
    error(401, oauthToken(c, access, "0".repeat(32)));

    // Secrets are stored encrypted, never as given.
    List<String> stored = server.app().db().read(h -> h.createQuery(
            "SELECT secret_encrypted FROM oauth1_access_tokens WHERE id = :id")
        .bind("id", access.get("oauth_token")).mapTo(String.class).list());
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).doesNotContain(access.get("oauth_token_secret"));
  }

  /**
   * Keystone's {@code is_delegated_auth}: a trust-scoped token authorizes no request token and
   * lists no access tokens, and an OAuth-scoped token manages no trust, though each holds the
   * admin role on the project (so policy alone would let them).
   */
  @Test
  void trustAndOAuthTokensDoNotDelegateFurther() {
    String trustee = ok(201, call("POST", "/users", admin,
        "{\"user\": {\"name\": \"oauth-trustee\", \"password\": \"trustee-pw-1\"}}"))
        .at("/user/id").asText();
    String trustId = ok(201, call("POST", "/OS-TRUST/trusts", admin,
        "{\"trust\": {\"trustor_user_id\": \"" + adminUser + "\", \"trustee_user_id\": \""
            + trustee + "\", \"project_id\": \"" + adminProject + "\", \"impersonation\": true,"
            + " \"roles\": [{\"name\": \"admin\"}]}}")).at("/trust/id").asText();
    HttpResponse<String> login = call("POST", "/auth/tokens", null,
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\":"
            + " {\"id\": \"" + trustee + "\", \"password\": \"trustee-pw-1\"}}},"
            + " \"scope\": {\"OS-TRUST:trust\": {\"id\": \"" + trustId + "\"}}}}");
    JsonNode trustBody = ok(201, login).get("token");
    assertThat(trustBody.at("/OS-TRUST:trust/id").asText()).isEqualTo(trustId);
    assertThat(trustBody.get("roles")).extracting(r -> r.get("name").asText()).contains("admin");
    String trustToken = login.headers().firstValue("X-Subject-Token").orElseThrow();

    Consumer c = consumer();
    Map<String, String> request = form(requestToken(c, c.secret(), adminProject));
    String path = "/OS-OAUTH1/authorize/" + request.get("oauth_token");
    error(403, call("PUT", path, trustToken, "{\"roles\": [{\"name\": \"admin\"}]}"));
    error(403, call("GET", "/users/" + adminUser + "/OS-OAUTH1/access_tokens", trustToken, null));
    // The same request token, authorized by a token of the user's own, still works.
    ok(200, call("PUT", path, admin, "{\"roles\": [{\"name\": \"admin\"}]}"));

    Map<String, String> access = delegate(c);
    HttpResponse<String> issued = oauthToken(c, access, access.get("oauth_token_secret"));
    ok(201, issued);
    String oauthToken = issued.headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(error(403, call("POST", "/OS-TRUST/trusts", oauthToken,
        "{\"trust\": {\"trustor_user_id\": \"" + adminUser + "\", \"trustee_user_id\": \""
            + trustee + "\", \"project_id\": \"" + adminProject + "\", \"impersonation\": false,"
            + " \"roles\": [{\"name\": \"admin\"}]}}")))
        .isEqualTo("You are not authorized to perform the requested action: Delegated tokens"
            + " cannot manage trusts.");
    error(403, call("GET", "/OS-TRUST/trusts?trustor_user_id=" + adminUser, oauthToken, null));
    error(403, call("DELETE", "/OS-TRUST/trusts/" + trustId, oauthToken, null));
    ok(200, call("GET", "/OS-TRUST/trusts/" + trustId, admin, null));
  }

  /** A trust-scoped token of a new trustee, impersonating the admin on its project as admin. */
  static String trustScopedToken(String trusteeName) {
    String trustee = ok(201, call("POST", "/users", admin,
        "{\"user\": {\"name\": \"" + trusteeName + "\", \"password\": \"trustee-pw-1\"}}"))
        .at("/user/id").asText();
    String trustId = ok(201, call("POST", "/OS-TRUST/trusts", admin,
        "{\"trust\": {\"trustor_user_id\": \"" + adminUser + "\", \"trustee_user_id\": \""
            + trustee + "\", \"project_id\": \"" + adminProject + "\", \"impersonation\": true,"
            + " \"roles\": [{\"name\": \"admin\"}]}}")).at("/trust/id").asText();
    HttpResponse<String> login = call("POST", "/auth/tokens", null,
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\":"
            + " {\"id\": \"" + trustee + "\", \"password\": \"trustee-pw-1\"}}},"
            + " \"scope\": {\"OS-TRUST:trust\": {\"id\": \"" + trustId + "\"}}}}");
    ok(201, login);
    return login.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  /** A token from an OAuth1 access token that delegates admin on the admin project. */
  static String oauthScopedToken() {
    Consumer c = consumer();
    Map<String, String> access = delegate(c);
    HttpResponse<String> issued = oauthToken(c, access, access.get("oauth_token_secret"));
    ok(201, issued);
    return issued.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  /**
   * Keystone's {@code _block_delegated_token_app_creds}: neither a trust-scoped token (impersonating
   * the user) nor an OAuth-scoped one makes, lists, reads or deletes the user's application
   * credentials or access rules: 403 with the generic text, since Keystone raises a plain Forbidden.
   */
  @Test
  void trustAndOAuthTokensManageNoApplicationCredentials() {
    String generic = "You are not authorized to perform the requested action.";
    String creds = "/users/" + adminUser + "/application_credentials";
    JsonNode made = ok(201, call("POST", creds, admin,
        "{\"application_credential\": {\"name\": \"made-by-password\", \"access_rules\":"
            + " [{\"service\": \"image\", \"method\": \"GET\", \"path\": \"/v2/images\"}]}}"))
        .get("application_credential");
    String credential = creds + "/" + made.get("id").asText();
    String rule = "/users/" + adminUser + "/access_rules/" + made.at("/access_rules/0/id").asText();
    for (String token : List.of(trustScopedToken("app-cred-trustee"), oauthScopedToken())) {
      assertThat(error(403, call("POST", creds, token,
          "{\"application_credential\": {\"name\": \"escape\"}}"))).isEqualTo(generic);
      assertThat(error(403, call("GET", creds, token, null))).isEqualTo(generic);
      assertThat(error(403, call("GET", credential, token, null))).isEqualTo(generic);
      assertThat(error(403, call("DELETE", credential, token, null))).isEqualTo(generic);
      assertThat(error(403, call("GET", "/users/" + adminUser + "/access_rules", token, null)))
          .isEqualTo(generic);
      assertThat(error(403, call("GET", rule, token, null))).isEqualTo(generic);
      assertThat(error(403, call("DELETE", rule, token, null))).isEqualTo(generic);
    }
    // The user's own token still may: nothing was made or removed above.
    assertThat(ok(200, call("GET", creds, admin, null)).get("application_credentials"))
        .extracting(c -> c.get("name").asText()).contains("made-by-password");
    ok(200, call("GET", rule, admin, null));
    assertThat(call("DELETE", credential, admin, null).statusCode()).isEqualTo(204);
  }

  /**
   * Keystone's {@code _require_primary_auth} (LP#2159643): a trust-scoped, OAuth-scoped or
   * application-credential token, though it holds admin, creates, reads, updates and deletes no
   * credential and no EC2 credential, and lists none.
   */
  @Test
  void delegatedTokensTouchNoCredentials() {
    String refused = "You are not authorized to perform the requested action: Delegated tokens"
        + " cannot access credentials directly.";
    String body = "{\"credential\": {\"user_id\": \"" + adminUser + "\", \"type\": \"cert\","
        + " \"blob\": \"kept\"}}";
    String id = ok(201, call("POST", "/credentials", admin, body)).at("/credential/id").asText();
    JsonNode cred = ok(201, call("POST", "/users/" + adminUser + "/application_credentials", admin,
        "{\"application_credential\": {\"name\": \"credential-prober\"}}"))
        .get("application_credential");
    HttpResponse<String> appLogin = call("POST", "/auth/tokens", null,
        "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"],"
            + " \"application_credential\": {\"id\": \"" + cred.get("id").asText()
            + "\", \"secret\": \"" + cred.get("secret").asText() + "\"}}}}");
    ok(201, appLogin);
    String appToken = appLogin.headers().firstValue("X-Subject-Token").orElseThrow();
    String ec2 = "/users/" + adminUser + "/credentials/OS-EC2";
    for (String token :
        List.of(trustScopedToken("credential-trustee"), oauthScopedToken(), appToken)) {
      assertThat(error(403, call("POST", "/credentials", token, body))).isEqualTo(refused);
      assertThat(ok(200, call("GET", "/credentials", token, null)).get("credentials")).isEmpty();
      assertThat(error(403, call("GET", "/credentials/" + id, token, null))).isEqualTo(refused);
      assertThat(error(403, call("PATCH", "/credentials/" + id, token,
          "{\"credential\": {\"blob\": \"changed\"}}"))).isEqualTo(refused);
      assertThat(error(403, call("DELETE", "/credentials/" + id, token, null)))
          .isEqualTo(refused);
      assertThat(error(403, call("POST", ec2, token,
          "{\"tenant_id\": \"" + adminProject + "\"}"))).isEqualTo(refused);
      assertThat(error(403, call("GET", ec2, token, null))).isEqualTo(refused);
    }
    // Nothing changed; the user's own token still reads it.
    assertThat(ok(200, call("GET", "/credentials/" + id, admin, null)).at("/credential/blob")
        .asText()).isEqualTo("kept");
  }

  @Test
  void requestTokenErrors() {
    Consumer c = consumer();
    String url = v3 + "/OS-OAUTH1/request_token";
    assertThat(error(400, call("POST", "/OS-OAUTH1/request_token", null, null,
        "Authorization", oauthHeader("POST", url, c.key(), c.secret(), null, null, null, true))))
        .startsWith("Expecting to find Requested-Project-Id in request.");
    assertThat(error(404, requestToken(c, c.secret(), "nope"))).isEqualTo("Could not find project: nope.");
    assertThat(error(404, requestToken(new Consumer("f".repeat(32), "x"), "x", adminProject)))
        .isEqualTo("Consumer not found");
    error(401, requestToken(c, "not the secret", adminProject));
    assertThat(error(400, call("POST", "/OS-OAUTH1/request_token", null, null,
        "Requested-Project-Id", adminProject)))
        .startsWith("Expecting to find Authorization header with OAuth parameters in request.");
    // No callback: oauthlib's error, as Keystone reports it.
    assertThat(error(400, call("POST", "/OS-OAUTH1/request_token", null, null,
        "Requested-Project-Id", adminProject,
        "Authorization", oauthHeader("POST", url, c.key(), c.secret(), null, null, null, false))))
        .isEqualTo("Validation failed with errors: invalid_request, detail message is: Missing"
            + " callback URI..");
    String stale = oauthHeader("POST", url, c.key(), c.secret(), null, null, null, true)
        .replaceFirst("oauth_timestamp=\"\\d+\"", "oauth_timestamp=\"1000000000\"");
    assertThat(error(400, call("POST", "/OS-OAUTH1/request_token", null, null,
        "Requested-Project-Id", adminProject, "Authorization", stale)))
        .contains("Timestamp given is invalid");
  }

  @Test
  void accessTokenApiAndRevocation() {
    Consumer c = consumer();
    Map<String, String> access = delegate(c);
    String id = access.get("oauth_token");
    String base = "/users/" + adminUser + "/OS-OAUTH1/access_tokens";
    HttpResponse<String> issued = oauthToken(c, access, access.get("oauth_token_secret"));
    String token = ok(201, issued) == null ? null
        : issued.headers().firstValue("X-Subject-Token").orElseThrow();

    JsonNode listed = ok(200, call("GET", base, admin, null));
    assertThat(listed.get("access_tokens")).extracting(t -> t.get("id").asText()).contains(id);
    JsonNode shown = ok(200, call("GET", base + "/" + id, admin, null)).get("access_token");
    assertThat(shown.get("consumer_id").asText()).isEqualTo(c.key());
    assertThat(shown.get("project_id").asText()).isEqualTo(adminProject);
    assertThat(shown.get("authorizing_user_id").asText()).isEqualTo(adminUser);
    assertThat(shown.has("access_secret")).isFalse();
    assertThat(shown.has("role_ids")).isFalse();
    assertThat(shown.at("/links/roles").asText()).isEqualTo(v3 + base + "/" + id + "/roles");
    JsonNode roles = ok(200, call("GET", base + "/" + id + "/roles", admin, null)).get("roles");
    assertThat(roles).extracting(r -> r.get("name").asText()).containsExactly("admin");
    String roleId = roles.get(0).get("id").asText();
    assertThat(ok(200, call("GET", base + "/" + id + "/roles/" + roleId, admin, null))
        .at("/role/name").asText()).isEqualTo("admin");
    assertThat(error(404, call("GET", base + "/" + id + "/roles/nope", admin, null)))
        .isEqualTo("Could not find role: nope.");
    assertThat(error(403, call("GET", base, demo, null))).endsWith("identity:list_access_tokens.");
    assertThat(error(404, call("GET", "/users/someone/OS-OAUTH1/access_tokens/" + id, admin,
        null))).isEqualTo("Access token not found");

    // Deleting the access token ends the tokens issued through it.
    ok(204, call("DELETE", base + "/" + id, admin, null));
    assertThat(error(404, call("GET", "/auth/tokens", admin, null, "X-Subject-Token", token)))
        .isEqualTo("Failed to validate token");
    assertThat(error(404, oauthToken(c, access, access.get("oauth_token_secret"))))
        .isEqualTo("Access token not found");
    assertThat(error(404, call("DELETE", base + "/" + id, admin, null)))
        .isEqualTo("Access token not found");

    // Deleting the consumer ends its access tokens and their tokens.
    Map<String, String> second = delegate(c);
    HttpResponse<String> again = oauthToken(c, second, second.get("oauth_token_secret"));
    ok(201, again);
    String secondToken = again.headers().firstValue("X-Subject-Token").orElseThrow();
    ok(204, call("DELETE", "/OS-OAUTH1/consumers/" + c.key(), admin, null));
    error(404, call("GET", "/auth/tokens", admin, null, "X-Subject-Token", secondToken));
    error(404, call("GET", base + "/" + second.get("oauth_token"), admin, null));
  }
}
