package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OS-TRUST over HTTP: create, list, show, roles, delete, with Keystone Zed's checks. */
@ExtendWith(LogLeakCheck.class)
class TrustsApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;
  static String trustor;
  static String trustorToken;
  static String trustee;
  static String project;
  static String delegated;
  static String kept;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
    project = ok(201, call("POST", "/projects", admin,
        "{\"project\": {\"name\": \"trusting\"}}")).at("/project/id").asText();
    trustor = ok(201, call("POST", "/users", admin,
        "{\"user\": {\"name\": \"trustor\", \"password\": \"trustor-pw-1\"}}"))
        .at("/user/id").asText();
    delegated = ok(201, call("POST", "/roles", admin, "{\"role\": {\"name\": \"delegated\"}}"))
        .at("/role/id").asText();
    kept = ok(201, call("POST", "/roles", admin, "{\"role\": {\"name\": \"kept\"}}"))
        .at("/role/id").asText();
    ok(204, call("PUT", "/projects/" + project + "/users/" + trustor + "/roles/" + delegated,
        admin, null));
    ok(204, call("PUT", "/projects/" + project + "/users/" + trustor + "/roles/" + kept,
        admin, null));
    trustorToken = server.token("trustor", "trustor-pw-1", "trusting");
    trustee = ok(200, call("GET", "/users?name=demo", admin, null)).at("/users/0/id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(v3 + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.header("X-Auth-Token", token);
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

  static String trust(String extra) {
    return "{\"trust\": {\"trustor_user_id\": \"" + trustor + "\", \"trustee_user_id\": \""
        + trustee + "\", \"project_id\": \"" + project + "\", \"impersonation\": true,"
        + " \"roles\": [{\"name\": \"delegated\"}]" + extra + "}}";
  }

  @Test
  void trustLifecycle() {
    String expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)
        .toString();
    JsonNode created = ok(201, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"expires_at\": \"" + expires + "\""))).get("trust");
    String id = created.get("id").asText();
    assertThat(created.get("impersonation").asBoolean()).isTrue();
    assertThat(created.get("expires_at").asText())
        .isEqualTo(expires.replace("Z", ".000000Z"));
    assertThat(created.get("trustor_user_id").asText()).isEqualTo(trustor);
    assertThat(created.get("project_id").asText()).isEqualTo(project);
    assertThat(created.get("redelegation_count").asInt()).isZero();
    assertThat(created.get("remaining_uses").isNull()).isTrue();
    assertThat(created.at("/roles/0/id").asText()).isEqualTo(delegated);
    assertThat(created.get("roles")).hasSize(1);
    assertThat(created.at("/links/self").asText()).isEqualTo(v3 + "/OS-TRUST/trusts/" + id);

    // The trustee reads it; the trustor lists it; others do not.
    assertThat(ok(200, call("GET", "/OS-TRUST/trusts/" + id, demo, null)).get("trust"))
        .isEqualTo(created);
    JsonNode listed = ok(200, call("GET", "/OS-TRUST/trusts?trustor_user_id=" + trustor,
        trustorToken, null)).get("trusts");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).has("roles")).isFalse();
    assertThat(ok(200, call("GET", "/OS-TRUST/trusts", admin, null)).get("trusts"))
        .extracting(t -> t.get("id").asText()).contains(id);
    assertThat(error(403, call("GET", "/OS-TRUST/trusts", demo, null)))
        .endsWith("identity:list_trusts.");
    assertThat(error(403, call("GET", "/OS-TRUST/trusts?trustor_user_id=" + trustor, demo,
        null))).endsWith("identity:list_trusts_for_trustor.");

    JsonNode roles = ok(200, call("GET", "/OS-TRUST/trusts/" + id + "/roles", trustorToken,
        null));
    assertThat(roles.get("roles")).extracting(r -> r.get("name").asText())
        .containsExactly("delegated");
    assertThat(ok(200, call("GET", "/OS-TRUST/trusts/" + id + "/roles/" + delegated,
        demo, null)).at("/role/name").asText()).isEqualTo("delegated");
    assertThat(error(404, call("GET", "/OS-TRUST/trusts/" + id + "/roles/" + kept,
        trustorToken, null))).isEqualTo("Could not find role: " + kept + ".");
    assertThat(call("HEAD", "/OS-TRUST/trusts/" + id + "/roles/" + delegated, trustorToken,
        null).statusCode()).isEqualTo(200);

    assertThat(error(403, call("DELETE", "/OS-TRUST/trusts/" + id, demo, null)))
        .endsWith("identity:delete_trust.");
    ok(204, call("DELETE", "/OS-TRUST/trusts/" + id, trustorToken, null));
    assertThat(error(404, call("GET", "/OS-TRUST/trusts/" + id, trustorToken, null)))
        .isEqualTo("Could not find trust: " + id + ".");
    assertThat(error(404, call("DELETE", "/OS-TRUST/trusts/" + id, trustorToken, null)))
        .isEqualTo("Could not find trust: " + id + ".");
  }

  @Test
  void createIsCheckedAsKeystoneChecksIt() {
    assertThat(error(403, call("POST", "/OS-TRUST/trusts", demo, trust(""))))
        .endsWith("identity:create_trust.");
    assertThat(error(400, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"expires_at\": \"bad.123Z\""))))
        .startsWith("Timestamp not in expected format.");
    assertThat(error(400, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"expires_at\": \"2000-01-01T00:00:00Z\""))))
        .startsWith("The 'expires_at' must not be before now.");
    assertThat(error(403, call("POST", "/OS-TRUST/trusts", trustorToken,
        "{\"trust\": {\"trustor_user_id\": \"" + trustor + "\", \"trustee_user_id\": \""
            + trustee + "\", \"project_id\": \"" + project + "\", \"impersonation\": false}}")))
        .isEqualTo("You are not authorized to perform the requested action: "
            + "At least one role should be specified.");
    assertThat(error(404, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust("").replace("\"delegated\"", "\"admin\""))))
        .startsWith("Could not find role: ");
    assertThat(error(404, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust("").replace(trustee, "nobody"))))
        .isEqualTo("Could not find user: nobody.");
    assertThat(error(400, call("POST", "/OS-TRUST/trusts", trustorToken,
        "{\"trust\": {\"trustor_user_id\": \"" + trustor + "\", \"trustee_user_id\": \""
            + trustee + "\"}}")))
        .isEqualTo("'impersonation' is a required property");
    assertThat(error(400, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"allow_redelegation\": true, \"remaining_uses\": 2"))))
        .isEqualTo("remaining_uses must not be set if redelegation is allowed");
    assertThat(error(403, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"allow_redelegation\": true, \"redelegation_count\": 9"))))
        .isEqualTo("Requested redelegation depth of 9 is greater than allowed 3");
    JsonNode redelegatable = ok(201, call("POST", "/OS-TRUST/trusts", trustorToken,
        trust(", \"allow_redelegation\": true"))).get("trust");
    assertThat(redelegatable.get("redelegation_count").asInt()).isEqualTo(3);
    ok(204, call("DELETE", "/OS-TRUST/trusts/" + redelegatable.get("id").asText(), admin, null));
  }

  // ------------------------------------------------------------ trust-scoped tokens

  /** A new user with both roles on the project, and its password; its id. */
  static String trustorNamed(String name) {
    String id = ok(201, call("POST", "/users", admin,
        "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + name + "-pw-1\"}}"))
        .at("/user/id").asText();
    for (String role : new String[] {delegated, kept}) {
      ok(204, call("PUT", "/projects/" + project + "/users/" + id + "/roles/" + role, admin,
          null));
    }
    return id;
  }

  static String trustBy(String trustorId, String trusteeId, String extra) {
    return "{\"trust\": {\"trustor_user_id\": \"" + trustorId + "\", \"trustee_user_id\": \""
        + trusteeId + "\", \"project_id\": \"" + project + "\", \"roles\": [{\"name\":"
        + " \"delegated\"}]" + extra + "}}";
  }

  /** {@code POST /v3/auth/tokens} by the token method, scoped to the trust. */
  static HttpResponse<String> trustLogin(String token, String trustId) {
    return server.post(v3 + "/auth/tokens?nocatalog",
        "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"" + token
            + "\"}}, \"scope\": {\"OS-TRUST:trust\": {\"id\": \"" + trustId + "\"}}}}");
  }

  static String subject(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  static int validate(String token) {
    return server.send(HttpRequest.newBuilder(URI.create(v3 + "/auth/tokens"))
            .header("X-Auth-Token", admin).header("X-Subject-Token", token).GET().build())
        .statusCode();
  }

  static int images(String token) {
    return server.get(server.imageUrl() + "/v2/images", token).statusCode();
  }

  @Test
  void trustScopedTokensImpersonateSpendUsesAndEndWithTheTrust() {
    String owner = trustorNamed("impersonated");
    String ownerToken = server.token("impersonated", "impersonated-pw-1", "trusting");
    String id = ok(201, call("POST", "/OS-TRUST/trusts", ownerToken,
        trustBy(owner, trustee, ", \"impersonation\": true, \"remaining_uses\": 2")))
        .at("/trust/id").asText();

    // Only the trustee may use it; a stranger's token is refused.
    assertThat(error(403, trustLogin(admin, id)))
        .isEqualTo("You are not authorized to perform the requested action.");
    assertThat(error(401, trustLogin(demo, "0000000000000000000000000000dead")))
        .isEqualTo("The request you have made requires authentication.");

    HttpResponse<String> first = trustLogin(demo, id);
    String token = subject(first);
    JsonNode body = TestServer.json(first.body()).get("token");
    // Impersonation: the token's user is the trustor; project and roles are the trust's.
    assertThat(body.at("/user/id").asText()).isEqualTo(owner);
    assertThat(body.at("/project/id").asText()).isEqualTo(project);
    assertThat(body.get("roles")).extracting(r -> r.get("name").asText())
        .containsExactly("delegated");
    assertThat(body.get("OS-TRUST:trust")).isEqualTo(TestServer.json(
        "{\"id\": \"" + id + "\", \"trustor_user\": {\"id\": \"" + owner + "\"},"
            + " \"trustee_user\": {\"id\": \"" + trustee + "\"}, \"impersonation\": true}"));
    JsonNode validated = TestServer.json(server.send(
        HttpRequest.newBuilder(URI.create(v3 + "/auth/tokens")).header("X-Auth-Token", admin)
            .header("X-Subject-Token", token).GET().build()).body()).get("token");
    assertThat(validated.get("OS-TRUST:trust")).isEqualTo(body.get("OS-TRUST:trust"));
    assertThat(validated.at("/user/id").asText()).isEqualTo(owner);
    assertThat(validated.get("roles")).isEqualTo(body.get("roles"));
    assertThat(images(token)).isEqualTo(200);
    assertThat(server.get(server.computeUrl() + "/v2.1/" + project + "/images", token)
        .statusCode()).isEqualTo(200);

    // A trust-scoped token neither re-scopes, nor makes credentials, nor (no redelegation) trusts.
    assertThat(error(403, trustLogin(token, id))).isEqualTo(
        "You are not authorized to perform the requested action: Using trust-scoped token to"
            + " create another token. Create a new trust-scoped token instead.");
    assertThat(error(403, call("POST", "/users/" + owner + "/application_credentials", token,
        "{\"application_credential\": {\"name\": \"escape\"}}")))
        .isEqualTo("You are not authorized to perform the requested action.");
    assertThat(call("POST", "/OS-TRUST/trusts", token,
        trustBy(owner, trustee, ", \"impersonation\": false")).statusCode()).isEqualTo(403);

    // Two uses: the second login spends the last, the third is refused.
    String second = subject(trustLogin(demo, id));
    assertThat(ok(200, call("GET", "/OS-TRUST/trusts?trustor_user_id=" + owner, ownerToken,
        null)).at("/trusts/0/remaining_uses").asInt()).isZero();
    assertThat(error(401, trustLogin(demo, id)))
        .isEqualTo("The request you have made requires authentication.");

    // Deleting the trust ends its tokens at once, on every API.
    ok(204, call("DELETE", "/OS-TRUST/trusts/" + id, ownerToken, null));
    assertThat(validate(token)).isEqualTo(404);
    assertThat(validate(second)).isEqualTo(404);
    assertThat(images(token)).isEqualTo(401);
  }

  @Test
  void redelegationAndTheTrustorsRoles() throws InterruptedException {
    String owner = trustorNamed("redelegating");
    String ownerToken = server.token("redelegating", "redelegating-pw-1", "trusting");
    String adminId = ok(200, call("GET", "/users?name=admin", admin, null))
        .at("/users/0/id").asText();
    JsonNode parent = ok(201, call("POST", "/OS-TRUST/trusts", ownerToken,
        trustBy(owner, trustee, ", \"impersonation\": false, \"allow_redelegation\": true,"
            + " \"redelegation_count\": 2"))).get("trust");
    String parentId = parent.get("id").asText();
    HttpResponse<String> login = trustLogin(demo, parentId);
    String token = subject(login);
    // Not impersonating: the token's user is the trustee.
    assertThat(TestServer.json(login.body()).at("/token/user/id").asText()).isEqualTo(trustee);

    // The trustee redelegates within the trust: depth one less, chained to it.
    String chain = "\"trustor_user_id\": \"" + trustee + "\", \"trustee_user_id\": \"" + adminId
        + "\", \"project_id\": \"" + project + "\", \"allow_redelegation\": true";
    JsonNode child = ok(201, call("POST", "/OS-TRUST/trusts", token,
        "{\"trust\": {" + chain + ", \"impersonation\": false, \"roles\": [{\"name\":"
            + " \"delegated\"}]}}")).get("trust");
    assertThat(child.get("redelegated_trust_id").asText()).isEqualTo(parentId);
    assertThat(child.get("redelegation_count").asInt()).isEqualTo(1);
    // Not beyond it: no impersonation the parent lacks, no role it does not delegate.
    assertThat(call("POST", "/OS-TRUST/trusts", token, "{\"trust\": {" + chain
        + ", \"impersonation\": true, \"roles\": [{\"name\": \"delegated\"}]}}").statusCode())
        .isEqualTo(403);
    assertThat(call("POST", "/OS-TRUST/trusts", token, "{\"trust\": {" + chain
        + ", \"impersonation\": false, \"roles\": [{\"name\": \"kept\"}]}}").statusCode())
        .isEqualTo(403);
    // The redelegated trust's token carries the original trustor's delegated role.
    String adminTrust = subject(trustLogin(admin, child.get("id").asText()));
    assertThat(images(adminTrust)).isEqualTo(200);

    // The trustor loses the delegated role: the trust's tokens end, new ones are refused.
    ok(204, call("DELETE", "/projects/" + project + "/users/" + owner + "/roles/" + delegated,
        admin, null));
    assertThat(validate(token)).isEqualTo(404);
    assertThat(images(token)).isEqualTo(401);
    assertThat(error(403, trustLogin(demo, parentId)))
        .isEqualTo("You are not authorized to perform the requested action.");

    // Deleting the parent (an admin: the trustor's tokens on the project ended with its role)
    // deletes the trust redelegated from it.
    ok(204, call("DELETE", "/OS-TRUST/trusts/" + parentId, admin, null));
    assertThat(call("GET", "/OS-TRUST/trusts/" + child.get("id").asText(), admin, null)
        .statusCode()).isEqualTo(404);
  }

  @Test
  void anExpiredTrustIsRefused() throws InterruptedException {
    String owner = trustorNamed("expiring-trustor");
    String ownerToken = server.token("expiring-trustor", "expiring-trustor-pw-1", "trusting");
    Instant expires = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    String id = ok(201, call("POST", "/OS-TRUST/trusts", ownerToken,
        trustBy(owner, trustee, ", \"impersonation\": true, \"expires_at\": \"" + expires
            + "\""))).at("/trust/id").asText();
    HttpResponse<String> login = trustLogin(demo, id);
    String token = subject(login);
    // The token ends with the trust at the latest.
    assertThat(Instant.parse(TestServer.json(login.body()).at("/token/expires_at").asText()))
        .isEqualTo(expires);
    while (!Instant.now().isAfter(expires.plusMillis(200))) {
      Thread.sleep(200);
    }
    assertThat(error(401, trustLogin(demo, id)))
        .isEqualTo("The request you have made requires authentication.");
    assertThat(validate(token)).isEqualTo(404);
  }
}
