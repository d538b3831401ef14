package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v3/users/{id}/application_credentials} and the {@code application_credential} method. */
@ExtendWith(LogLeakCheck.class)
class ApplicationCredentialsTest {
  static TestServer server;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      SecretsSeen.fromJson(body);
    }
    return server.send(b.build());
  }

  static JsonNode json(HttpResponse<String> r) {
    return TestServer.json(r.body());
  }

  /** A user with member on a new project, and a password token of theirs on it. */
  record Account(String userId, String projectId, String token) {}

  static Account account(String name) {
    String project =
        json(call("POST", "/v3/projects", admin, "{\"project\": {\"name\": \"" + name + "-p\"}}"))
            .at("/project/id").asText();
    String user =
        json(call("POST", "/v3/users", admin,
                "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + name
                    + "-password\"}}"))
            .at("/user/id").asText();
    String member =
        json(call("GET", "/v3/roles?name=member", admin, null)).at("/roles/0/id").asText();
    assertThat(call("PUT", "/v3/projects/" + project + "/users/" + user + "/roles/" + member,
            admin, null).statusCode())
        .isEqualTo(204);
    return new Account(user, project, server.token(name, name + "-password", name + "-p"));
  }

  static HttpResponse<String> create(Account a, String body) {
    return call("POST", "/v3/users/" + a.userId() + "/application_credentials", a.token(), body);
  }

  static HttpResponse<String> login(String identity) {
    return call("POST", "/v3/auth/tokens",
        null, "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"],"
            + " \"application_credential\": " + identity + "}}}");
  }

  static String byId(JsonNode cred) {
    return "{\"id\": \"" + cred.get("id").asText() + "\", \"secret\": \""
        + cred.get("secret").asText() + "\"}";
  }

  @Test
  void createShowListLoginAndDelete() {
    Account a = account("ci-bot");
    HttpResponse<String> r =
        create(a, "{\"application_credential\": {\"name\": \"ci\", \"description\": \"CI\"}}");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode cred = json(r).get("application_credential");
    List<String> keys = new ArrayList<>();
    cred.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly("id", "name", "description", "expires_at", "project_id", "roles",
            "unrestricted", "access_rules", "secret", "links");
    assertThat(cred.get("project_id").asText()).isEqualTo(a.projectId());
    assertThat(cred.get("unrestricted").asBoolean()).isFalse();
    assertThat(cred.get("expires_at").isNull()).isTrue();
    assertThat(cred.get("secret").asText()).hasSizeGreaterThanOrEqualTo(80);
    List<String> roles = new ArrayList<>();
    cred.get("roles").forEach(x -> roles.add(x.get("name").asText()));
    assertThat(roles).containsExactlyInAnyOrder("member", "reader");
    String id = cred.get("id").asText();

    String path = "/v3/users/" + a.userId() + "/application_credentials";
    JsonNode shown = json(call("GET", path + "/" + id, a.token(), null));
    assertThat(shown.at("/application_credential/name").asText()).isEqualTo("ci");
    assertThat(shown.at("/application_credential").has("secret")).isFalse();
    JsonNode listed = json(call("GET", path + "?name=ci", a.token(), null));
    assertThat(listed.get("application_credentials")).hasSize(1);
    assertThat(json(call("GET", path + "?name=other", a.token(), null)).get("application_credentials"))
        .isEmpty();

    HttpResponse<String> token = login(byId(cred));
    assertThat(token.statusCode()).isEqualTo(201);
    JsonNode t = json(token).get("token");
    assertThat(t.get("methods").toString()).isEqualTo("[\"application_credential\"]");
    assertThat(t.at("/project/id").asText()).isEqualTo(a.projectId());
    assertThat(t.at("/application_credential/id").asText()).isEqualTo(id);
    assertThat(t.at("/application_credential/restricted").asBoolean()).isTrue();
    String appToken = token.headers().firstValue("X-Subject-Token").orElseThrow();

    // By name and user, too.
    HttpResponse<String> byName =
        login("{\"name\": \"ci\", \"user\": {\"name\": \"ci-bot\", \"domain\": {\"id\": \"default\"}},"
            + " \"secret\": \"" + cred.get("secret").asText() + "\"}");
    assertThat(byName.statusCode()).isEqualTo(201);

    // The token works on both image APIs.
    assertThat(server.get(server.imageUrl() + "/v2/images", appToken).statusCode()).isEqualTo(200);
    assertThat(server.get(server.computeUrl() + "/v2.1/" + a.projectId() + "/images", appToken)
            .statusCode())
        .isEqualTo(200);

    // A restricted credential's token may not manage credentials.
    HttpResponse<String> more =
        call("POST", path, appToken, "{\"application_credential\": {\"name\": \"more\"}}");
    assertThat(more.statusCode()).isEqualTo(403);
    assertThat(json(more).at("/error/message").asText())
        .isEqualTo("You are not authorized to perform the requested action: Using method"
            + " 'application_credential' is not allowed for managing additional application"
            + " credentials.");

    assertThat(call("DELETE", path + "/" + id, a.token(), null).statusCode()).isEqualTo(204);
    assertThat(login(byId(cred)).statusCode()).isEqualTo(401);
    assertThat(call("GET", path + "/" + id, a.token(), null).statusCode()).isEqualTo(404);
  }

  @Test
  void wrongSecretUnknownIdAndExpiryAreRefused() throws InterruptedException {
    Account a = account("expiring");
    JsonNode cred =
        json(create(a,
            "{\"application_credential\": {\"name\": \"short\", \"secret\": \"my-own-secret-1\","
                + " \"expires_at\": \"" + Instant.now().plusSeconds(2) + "\"}}"))
            .get("application_credential");
    assertThat(cred.get("secret").asText()).isEqualTo("my-own-secret-1");
    assertThat(login(byId(cred)).statusCode()).isEqualTo(201);
    assertThat(login("{\"id\": \"" + cred.get("id").asText() + "\", \"secret\": \"wrong-secret\"}")
            .statusCode())
        .isEqualTo(401);
    assertThat(login("{\"id\": \"0000000000000000000000000000dead\", \"secret\": \"wrong-secret\"}")
            .statusCode())
        .isEqualTo(401);
    Thread.sleep(2_200);
    assertThat(login(byId(cred)).statusCode()).isEqualTo(401);

    HttpResponse<String> past =
        create(a, "{\"application_credential\": {\"name\": \"old\", \"expires_at\": \"2001-01-01T00:00:00Z\"}}");
    assertThat(past.statusCode()).isEqualTo(400);
  }

  @Test
  void accessRulesLimitTheTokensAndAreManagedPerUser() {
    Account a = account("ruled");
    String creds = "/v3/users/" + a.userId() + "/application_credentials";
    String rules = "/v3/users/" + a.userId() + "/access_rules";
    String rule = "{\"service\": \"image\", \"method\": \"GET\", \"path\": \"/v2/images\"}";
    HttpResponse<String> r = create(a,
        "{\"application_credential\": {\"name\": \"list-only\", \"access_rules\": [" + rule
            + "]}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode cred = json(r).get("application_credential");
    JsonNode shown = cred.at("/access_rules/0");
    String ruleId = shown.get("id").asText();
    assertThat(TestServer.json(shown.toString())).isEqualTo(TestServer.json(
        rule.replace("{", "{\"id\": \"" + ruleId + "\", ")));

    // Its tokens may list images and nothing else, on either API.
    String token = login(byId(cred)).headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(server.get(server.imageUrl() + "/v2/images", token).statusCode()).isEqualTo(200);
    assertThat(server.get(server.imageUrl() + "/v2/schemas/image", token).statusCode())
        .isEqualTo(401);
    assertThat(server.get(server.computeUrl() + "/v2.1/" + a.projectId() + "/images", token)
        .statusCode()).isEqualTo(401);
    // A wildcard rule: one segment per *, any rest for **.
    JsonNode wide = json(create(a, "{\"application_credential\": {\"name\": \"wide\","
        + " \"access_rules\": [{\"service\": \"compute\", \"method\": \"GET\","
        + " \"path\": \"/v2.1/*/images\"}, {\"id\": \"" + ruleId + "\"}]}}"))
        .get("application_credential");
    String wideToken = login(byId(wide)).headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(server.get(server.computeUrl() + "/v2.1/" + a.projectId() + "/images", wideToken)
        .statusCode()).isEqualTo(200);
    assertThat(server.get(server.imageUrl() + "/v2/images", wideToken).statusCode())
        .isEqualTo(200);

    // The user's rules: listed, shown, deleted only once no credential names them.
    JsonNode listed = json(call("GET", rules, a.token(), null));
    assertThat(listed.get("access_rules")).hasSize(2);
    assertThat(json(call("GET", rules + "?service=image", a.token(), null)).get("access_rules"))
        .hasSize(1);
    assertThat(json(call("GET", rules + "/" + ruleId, a.token(), null))
        .at("/access_rule/path").asText()).isEqualTo("/v2/images");
    assertThat(call("GET", rules, account("stranger").token(), null).statusCode())
        .isEqualTo(403);
    assertThat(call("DELETE", rules + "/" + ruleId, a.token(), null).statusCode())
        .isEqualTo(403);
    assertThat(call("DELETE", creds + "/" + cred.get("id").asText(), a.token(), null)
        .statusCode()).isEqualTo(204);
    assertThat(call("DELETE", creds + "/" + wide.get("id").asText(), a.token(), null)
        .statusCode()).isEqualTo(204);
    assertThat(call("DELETE", rules + "/" + ruleId, a.token(), null).statusCode())
        .isEqualTo(204);
    assertThat(call("GET", rules + "/" + ruleId, a.token(), null).statusCode()).isEqualTo(404);
    assertThat(json(call("GET", rules, a.token(), null)).get("access_rules")).hasSize(1);

    HttpResponse<String> bad = create(a, "{\"application_credential\": {\"name\": \"bad\","
        + " \"access_rules\": [{\"service\": \"image\", \"method\": \"FETCH\","
        + " \"path\": \"/v2/images\"}]}}");
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
  }

  static HttpResponse<String> subject(String method, String subject, String accessRules) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/auth/tokens"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("X-Auth-Token", admin)
            .header("X-Subject-Token", subject);
    if (accessRules != null) {
      b.header("OpenStack-Identity-Access-Rules", accessRules);
    }
    return server.send(b.build());
  }

  @Test
  void theTokenBodyListsAccessRulesForValidatorsThatDeclareThem() {
    Account a = account("ruled-body");
    JsonNode ruled = json(create(a, "{\"application_credential\": {\"name\": \"ruled\","
        + " \"access_rules\": [{\"service\": \"image\", \"method\": \"GET\","
        + " \"path\": \"/v2/images\"}]}}")).get("application_credential");
    String ruleId = ruled.at("/access_rules/0/id").asText();
    HttpResponse<String> issued = login(byId(ruled));
    assertThat(issued.statusCode()).isEqualTo(201);
    // Keystone's render_token: application_credential.access_rules, each rule without its user.
    JsonNode expected = TestServer.json("[{\"id\": \"" + ruleId + "\", \"service\": \"image\","
        + " \"path\": \"/v2/images\", \"method\": \"GET\"}]");
    assertThat(json(issued).at("/token/application_credential/access_rules")).isEqualTo(expected);
    String token = issued.headers().firstValue("X-Subject-Token").orElseThrow();

    // A validator that does not say it enforces them (keystonemiddleware sends 1) gets a 404.
    for (String header : new String[] {null, "0.9", "yes"}) {
      HttpResponse<String> refused = subject("GET", token, header);
      assertThat(refused.statusCode()).as(header).isEqualTo(404);
      assertThat(json(refused).at("/error/message").asText())
          .isEqualTo("Failed to validate token");
      assertThat(subject("HEAD", token, header).statusCode()).as(header).isEqualTo(404);
    }
    HttpResponse<String> validated = subject("GET", token, "1");
    assertThat(validated.statusCode()).isEqualTo(200);
    assertThat(json(validated).at("/token/application_credential/access_rules"))
        .isEqualTo(expected);
    assertThat(subject("HEAD", token, "1.0").statusCode()).isEqualTo(200);
    assertThat(subject("DELETE", token, null).statusCode()).isEqualTo(404);
    assertThat(subject("DELETE", token, "1").statusCode()).isEqualTo(204);

    // A credential without rules: no access_rules key, and no header needed.
    JsonNode plain = json(create(a, "{\"application_credential\": {\"name\": \"plain\"}}"))
        .get("application_credential");
    HttpResponse<String> plainIssued = login(byId(plain));
    assertThat(json(plainIssued).at("/token/application_credential").has("access_rules"))
        .isFalse();
    assertThat(subject("GET", plainIssued.headers().firstValue("X-Subject-Token").orElseThrow(),
            null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void expiresAtIsEchoedAsKeystoneDoesToTheMicrosecond() {
    Account a = account("expiry-format");
    String path = "/v3/users/" + a.userId() + "/application_credentials";
    HttpResponse<String> r = create(a,
        "{\"application_credential\": {\"name\": \"micro\","
            + " \"expires_at\": \"2099-12-31T01:02:03.123456\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode cred = json(r).get("application_credential");
    // oslo's to_primitive: six fractional digits, no zone (tempest compares the string).
    assertThat(cred.get("expires_at").asText()).isEqualTo("2099-12-31T01:02:03.123456");
    String id = cred.get("id").asText();
    assertThat(json(call("GET", path + "/" + id, a.token(), null))
            .at("/application_credential/expires_at").asText())
        .isEqualTo("2099-12-31T01:02:03.123456");
    assertThat(json(call("GET", path, a.token(), null))
            .at("/application_credentials/0/expires_at").asText())
        .isEqualTo("2099-12-31T01:02:03.123456");
    JsonNode zoned = json(create(a,
        "{\"application_credential\": {\"name\": \"zoned\","
            + " \"expires_at\": \"2099-06-30T10:00:00+02:00\"}}")).get("application_credential");
    assertThat(zoned.get("expires_at").asText()).isEqualTo("2099-06-30T08:00:00.000000");
  }

  @Test
  void rolesMustBeTheCreatorsAndNamesUnique() {
    Account a = account("roles-user");
    HttpResponse<String> admin =
        create(a, "{\"application_credential\": {\"name\": \"x\", \"roles\": [{\"name\": \"admin\"}]}}");
    assertThat(admin.statusCode()).isEqualTo(400);
    assertThat(json(admin).at("/error/message").asText())
        .isEqualTo("Invalid application credential: Cannot create an application credential with"
            + " unassigned role");
    HttpResponse<String> reader =
        create(a, "{\"application_credential\": {\"name\": \"ro\", \"roles\": [{\"name\": \"reader\"}]}}");
    assertThat(reader.statusCode()).isEqualTo(201);
    JsonNode cred = json(reader).get("application_credential");
    JsonNode t = json(login(byId(cred))).get("token");
    assertThat(t.get("roles")).hasSize(1);
    assertThat(t.at("/roles/0/name").asText()).isEqualTo("reader");
    // A reader credential cannot write images.
    String token = login(byId(cred)).headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(server.post(server.imageUrl() + "/v2/images", "{}").statusCode()).isEqualTo(401);
    HttpResponse<String> write =
        server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
            .header("X-Auth-Token", token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"n\"}")).build());
    assertThat(write.statusCode()).isEqualTo(403);

    assertThat(create(a, "{\"application_credential\": {\"name\": \"ro\"}}").statusCode())
        .isEqualTo(409);
    Account other = account("someone-else");
    HttpResponse<String> foreign =
        call("POST", "/v3/users/" + a.userId() + "/application_credentials", other.token(),
            "{\"application_credential\": {\"name\": \"mine\"}}");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(call("GET", "/v3/users/" + a.userId() + "/application_credentials", other.token(),
            null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void anUnrestrictedCredentialMayMakeMore() {
    Account a = account("unrestricted");
    JsonNode cred =
        json(create(a, "{\"application_credential\": {\"name\": \"u\", \"unrestricted\": true}}"))
            .get("application_credential");
    String token = login(byId(cred)).headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(call("POST", "/v3/users/" + a.userId() + "/application_credentials", token,
            "{\"application_credential\": {\"name\": \"second\"}}").statusCode())
        .isEqualTo(201);
  }

  @Test
  void removingARoleOrTheUserInvalidatesIt() {
    Account a = account("grant-loser");
    JsonNode cred = json(create(a, "{\"application_credential\": {\"name\": \"g\"}}"))
        .get("application_credential");
    String token = login(byId(cred)).headers().firstValue("X-Subject-Token").orElseThrow();
    String member =
        json(call("GET", "/v3/roles?name=member", admin, null)).at("/roles/0/id").asText();
    assertThat(call("DELETE", "/v3/projects/" + a.projectId() + "/users/" + a.userId() + "/roles/"
            + member, admin, null).statusCode())
        .isEqualTo(204);
    assertThat(login(byId(cred)).statusCode()).isEqualTo(401);
    assertThat(server.get(server.imageUrl() + "/v2/images", token).statusCode()).isEqualTo(401);

    Account b = account("user-deleted");
    JsonNode credB = json(create(b, "{\"application_credential\": {\"name\": \"d\"}}"))
        .get("application_credential");
    assertThat(login(byId(credB)).statusCode()).isEqualTo(201);
    assertThat(call("DELETE", "/v3/users/" + b.userId(), admin, null).statusCode()).isEqualTo(204);
    assertThat(login(byId(credB)).statusCode()).isEqualTo(401);
  }
}
