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
}
