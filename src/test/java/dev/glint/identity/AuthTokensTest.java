package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST/GET/HEAD/DELETE /v3/auth/tokens} against the real server (spec §4, §5). */
@ExtendWith(LogLeakCheck.class)
class AuthTokensTest {
  static final String AUTH_REQUIRED = "The request you have made requires authentication.";
  static final String NOT_COMPLY =
      " The server could not comply with the request since it is either malformed or otherwise"
          + " incorrect. The client is assumed to be in error.";

  static TestServer server;
  static String tokens;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    tokens = server.identityUrl() + "/v3/auth/tokens";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String password(String user, String password, String scope) {
    return """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": %s}}%s}}"""
        .formatted(
            user.replace("PW", password),
            scope == null ? "" : ", \"scope\": " + scope);
  }

  static String byName(String name) {
    return "{\"name\": \"" + name + "\", \"domain\": {\"name\": \"Default\"}, \"password\": \"PW\"}";
  }

  static JsonNode json(HttpResponse<String> r) {
    return TestServer.json(r.body());
  }

  HttpResponse<String> call(String method, String url, String authToken, String subject) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    if (authToken != null) {
      b.header("X-Auth-Token", authToken);
    }
    if (subject != null) {
      b.header("X-Subject-Token", subject);
    }
    return server.send(b.build());
  }

  @Test
  void passwordByNameScopedByNameGivesTheRecordedTokenShape() {
    HttpResponse<String> r =
        server.post(
            tokens,
            password(
                byName("admin"),
                TestServer.ADMIN_PASSWORD,
                "{\"project\": {\"name\": \"admin\", \"domain\": {\"name\": \"Default\"}}}"));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("X-Subject-Token")).hasValueSatisfying(t -> assertThat(t).hasSizeGreaterThan(100));
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
    assertThat(r.headers().firstValue("x-openstack-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req-"));
    JsonNode token = json(r).get("token");
    assertThat(fieldNames(token))
        .containsExactly(
            "methods", "user", "audit_ids", "expires_at", "issued_at", "project", "is_domain",
            "roles", "catalog");
    assertThat(token.get("methods").toString()).isEqualTo("[\"password\"]");
    assertThat(token.at("/user/domain").toString()).isEqualTo("{\"id\":\"default\",\"name\":\"Default\"}");
    assertThat(token.at("/user/name").asText()).isEqualTo("admin");
    assertThat(token.at("/user/id").asText()).matches("[0-9a-f]{32}");
    assertThat(token.at("/user/password_expires_at").isNull()).isTrue();
    assertThat(token.at("/audit_ids/0").asText()).matches("[A-Za-z0-9_-]{22}");
    assertThat(token.get("audit_ids")).hasSize(1);
    assertThat(token.get("issued_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000000Z");
    assertThat(token.get("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000000Z");
    assertThat(java.time.Duration.between(
            java.time.Instant.parse(token.get("issued_at").asText()),
            java.time.Instant.parse(token.get("expires_at").asText())))
        .hasSeconds(3600);
    assertThat(token.at("/project/name").asText()).isEqualTo("admin");
    assertThat(token.at("/project/id").asText()).matches("[0-9a-f]{32}");
    assertThat(token.at("/project/domain/name").asText()).isEqualTo("Default");
    assertThat(token.get("is_domain").asBoolean()).isFalse();
    assertThat(names(token.get("roles"))).containsExactly("admin", "member", "reader");
    String project = token.at("/project/id").asText();
    assertThat(catalogUrls(token.get("catalog")))
        .containsExactly(
            "compute public " + server.computeUrl() + "/v2.1/" + project,
            "compute internal " + server.computeUrl() + "/v2.1/" + project,
            "compute admin " + server.computeUrl() + "/v2.1/" + project,
            "image public " + server.imageUrl(),
            "image internal " + server.imageUrl(),
            "image admin " + server.imageUrl(),
            "identity public " + server.identityUrl() + "/v3/",
            "identity internal " + server.identityUrl() + "/v3/",
            "identity admin " + server.identityUrl() + "/v3/");
    JsonNode endpoint = token.at("/catalog/0/endpoints/0");
    assertThat(fieldNames(endpoint)).containsExactly("id", "interface", "region_id", "url", "region");
    assertThat(endpoint.get("region").asText()).isEqualTo("RegionOne");
    assertThat(endpoint.get("region_id").asText()).isEqualTo("RegionOne");
    assertThat(fieldNames(token.at("/catalog/0"))).containsExactly("endpoints", "id", "type", "name");
    assertThat(token.at("/catalog/0/name").asText()).isEqualTo("nova");
  }

  @Test
  void demoGetsMemberAndImpliedReaderOnly() {
    JsonNode token =
        json(
                server.post(
                    tokens,
                    password(
                        byName("demo"),
                        TestServer.DEMO_PASSWORD,
                        "{\"project\": {\"name\": \"demo\", \"domain\": {\"id\": \"default\"}}}")))
            .get("token");
    assertThat(names(token.get("roles"))).containsExactly("member", "reader");
  }

  @Test
  void passwordByUserIdScopedByProjectId() {
    JsonNode first =
        json(server.post(tokens, password(byName("demo"), TestServer.DEMO_PASSWORD, null)))
            .get("token");
    String userId = first.at("/user/id").asText();
    String projectId = first.at("/project/id").asText();

    HttpResponse<String> r =
        server.post(
            tokens,
            password(
                "{\"id\": \"" + userId + "\", \"password\": \"PW\"}",
                TestServer.DEMO_PASSWORD,
                "{\"project\": {\"id\": \"" + projectId + "\"}}"));

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).at("/token/user/name").asText()).isEqualTo("demo");
    assertThat(json(r).at("/token/project/name").asText()).isEqualTo("demo");
  }

  @Test
  void noScopeFallsBackToTheDefaultProject() {
    JsonNode token =
        json(server.post(tokens, password(byName("demo"), TestServer.DEMO_PASSWORD, null)))
            .get("token");
    assertThat(token.at("/project/name").asText()).isEqualTo("demo");
    assertThat(token.has("catalog")).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"\"unscoped\"", "{\"unscoped\": {}}"})
  void explicitUnscopedGivesNoProjectRolesOrCatalog(String scope) {
    HttpResponse<String> r =
        server.post(tokens, password(byName("demo"), TestServer.DEMO_PASSWORD, scope));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode token = json(r).get("token");
    assertThat(fieldNames(token))
        .containsExactly("methods", "user", "audit_ids", "expires_at", "issued_at");
  }

  @Test
  void nocatalogLeavesOutTheCatalog() {
    HttpResponse<String> r =
        server.post(
            tokens + "?nocatalog", password(byName("demo"), TestServer.DEMO_PASSWORD, null));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).get("token").has("catalog")).isFalse();
    assertThat(json(r).get("token").has("roles")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "wrong password | {\"name\": \"admin\", \"domain\": {\"name\": \"Default\"}, \"password\": \"wrong\"} | ",
        "unknown user | {\"name\": \"nobody\", \"domain\": {\"name\": \"Default\"}, \"password\": \"x\"} | ",
        "unknown user id | {\"id\": \"0123456789abcdef0123456789abcdef\", \"password\": \"x\"} | ",
        "unknown domain | {\"name\": \"admin\", \"domain\": {\"name\": \"Nope\"}, \"password\": \"admin-secret\"} | ",
        "no password | {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}} | ",
        "unknown project | {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}, \"password\": \"admin-secret\"} | {\"project\": {\"name\": \"nope\", \"domain\": {\"id\": \"default\"}}}",
        "unknown project id | {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}, \"password\": \"admin-secret\"} | {\"project\": {\"id\": \"nope\"}}",
        "no role on project | {\"name\": \"demo\", \"domain\": {\"id\": \"default\"}, \"password\": \"demo-secret\"} | {\"project\": {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}}}",
        "domain scope | {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}, \"password\": \"admin-secret\"} | {\"domain\": {\"id\": \"default\"}}",
        "system scope | {\"name\": \"admin\", \"domain\": {\"id\": \"default\"}, \"password\": \"admin-secret\"} | {\"system\": {\"all\": true}}",
      })
  void failedAuthenticationIsTheGeneric401(String why, String user, String scope) {
    HttpResponse<String> r = server.post(tokens, password(user, "unused", scope));

    assertThat(r.statusCode()).isEqualTo(401);
    // Byte for byte reference/nova-zed/raw/keystone-04-auth-tokens-bad-password.body.
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":{\"code\":401,\"message\":\"" + AUTH_REQUIRED + "\",\"title\":\"Unauthorized\"}}");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValue("Keystone uri=\"" + server.identityUrl() + "/v3\"");
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
  }

  @Test
  void unsupportedMethodIsA401ThatSaysSoAndListsTheMethods() {
    HttpResponse<String> r =
        server.post(
            tokens,
            "{\"auth\": {\"identity\": {\"methods\": [\"totp\"], \"totp\": {\"user\": {}}}}}");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":{\"code\":401,\"message\":\"Attempted to authenticate with an"
                + " unsupported method.\",\"title\":\"Unauthorized\","
                + "\"identity\":{\"methods\":[\"password\",\"token\",\"oauth1\",\"application_credential\"]}}}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "empty body | `` | Expecting to find auth in request body.+",
        "no auth | {} | Expecting to find auth in request body.+",
        "null auth | {\"auth\": null} | Expecting to find auth in request body.+",
        "not json | {\"auth\": | Expecting to find valid JSON in request body.+",
        "json array | [1] | Expecting to find valid JSON in request body.+",
        "auth not object | {\"auth\": \"x\"} | 'x' is not of type 'object'",
        "no identity | {\"auth\": {}} | 'identity' is a required property",
        "no methods | {\"auth\": {\"identity\": {}}} | Invalid input for field 'identity': 'methods' is a required property",
        "methods not array | {\"auth\": {\"identity\": {\"methods\": \"password\"}}} | Invalid input for field 'identity/methods': 'password' is not of type 'array'",
        "method not string | {\"auth\": {\"identity\": {\"methods\": [1]}}} | Invalid input for field 'identity/methods/0': 1 is not of type 'string'",
        "method payload missing | {\"auth\": {\"identity\": {\"methods\": [\"password\"]}}} | Expecting to find password in identity.+",
        "user neither id nor name | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"password\": \"x\"}}}}} | Invalid input for field identity/password/user: id or name must be present.",
        "user domain empty | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"a\", \"domain\": {}}}}}} | Invalid input for field identity/password/user/domain: id or name must be present.",
        "user name without domain | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"admin\", \"password\": \"x\"}}}}} | Expecting to find domain in user.+",
        "no user | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {}}}} | Expecting to find user in password.+",
        "password not string | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"a\", \"password\": 5}}}}} | Invalid input for field 'identity/password/user/password': 5 is not of type 'string'",
        "token without id | {\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {}}}} | Invalid input for field 'identity/token': 'id' is a required property",
        "scope wrong type | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"a\"}}}, \"scope\": 5}} | Invalid input for field 'scope': 5 is not of type 'object', 'string'",
        "two scopes | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"a\"}}}, \"scope\": {\"project\": {\"id\": \"p\"}, \"domain\": {\"id\": \"d\"}}}} | Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.+",
        "empty scope | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"a\"}}}, \"scope\": {}}} | Expecting to find system, project, domain, OS-TRUST:trust or unscoped in scope.+",
        "project neither id nor name | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"a\"}}}, \"scope\": {\"project\": {}}}} | Invalid input for field scope/project: id or name must be present.",
        "project name without domain | {\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"a\"}}}, \"scope\": {\"project\": {\"name\": \"demo\"}}}} | Expecting to find domain in project.+",
      })
  void malformedRequestsAre400WithKeystonesText(String why, String body, String message) {
    String expected = message.endsWith(".+") ? message.substring(0, message.length() - 1) + NOT_COMPLY : message;

    HttpResponse<String> r = server.post(tokens, body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = json(r).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(400);
    assertThat(error.get("title").asText()).isEqualTo("Bad Request");
    assertThat(error.get("message").asText()).isEqualTo(expected);
  }

  @Test
  void nonJsonContentTypeIs400() {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(URI.create(tokens))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"auth\": {}}"))
                .build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).at("/error/message").asText())
        .isEqualTo("Expecting to find application/json in Content-Type header." + NOT_COMPLY);
  }

  @Test
  void validateEchoesTheSubjectAndRecomputesTheBody() {
    String admin = server.adminToken();
    String demo = server.demoToken();

    HttpResponse<String> r = call("GET", tokens, admin, demo);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Subject-Token")).hasValue(demo);
    JsonNode token = json(r).get("token");
    assertThat(token.at("/user/name").asText()).isEqualTo("demo");
    assertThat(token.at("/project/name").asText()).isEqualTo("demo");
    assertThat(names(token.get("roles"))).containsExactly("member", "reader");
    assertThat(token.has("catalog")).isTrue();
    assertThat(json(call("GET", tokens + "?nocatalog", admin, demo)).get("token").has("catalog"))
        .isFalse();
  }

  @Test
  void aUserMayValidateTheirOwnTokenButNotAnothers() {
    String demo = server.demoToken();
    String admin = server.adminToken();

    assertThat(call("GET", tokens, demo, demo).statusCode()).isEqualTo(200);
    assertThat(call("HEAD", tokens, demo, demo).statusCode()).isEqualTo(200);
    HttpResponse<String> r = call("GET", tokens, demo, admin);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).at("/error/message").asText())
        .isEqualTo("You are not authorized to perform the requested action: identity:validate_token.");
  }

  @Test
  void headChecksWithoutABody() {
    String admin = server.adminToken();
    String demo = server.demoToken();

    HttpResponse<String> r = call("HEAD", tokens, admin, demo);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("X-Subject-Token")).hasValue(demo);
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
  }

  @Test
  void badSubjectTokensAre404WithKeystonesReason() {
    String admin = server.adminToken();

    assertThat(json(call("GET", tokens, admin, null)).at("/error/message").asText())
        .isEqualTo("No token in the request");
    HttpResponse<String> r = call("GET", tokens, admin, "gAAAAABnot-a-token");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":{\"code\":404,\"message\":\"Could not recognize Fernet token\",\"title\":\"Not Found\"}}");
    assertThat(call("HEAD", tokens, admin, "garbage").statusCode()).isEqualTo(404);
  }

  @Test
  void badCallerTokenIs401() {
    String demo = server.demoToken();
    for (String caller : new String[] {null, "garbage"}) {
      HttpResponse<String> r = call("GET", tokens, caller, demo);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).at("/error/message").asText()).isEqualTo(AUTH_REQUIRED);
    }
  }

  @Test
  void revokedTokenNoLongerValidatesAnywhere() {
    String admin = server.adminToken();
    String demo = server.demoToken();

    assertThat(call("DELETE", tokens, demo, demo).statusCode()).isEqualTo(204);

    HttpResponse<String> r = call("GET", tokens, admin, demo);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).at("/error/message").asText()).isEqualTo("Failed to validate token");
    // The store-free validation the other listeners use rejects it too.
    assertThat(server.app().tokens().validate(demo)).isEmpty();
    assertThat(call("GET", server.identityUrl() + "/v3/auth/catalog", demo, null).statusCode())
        .isEqualTo(401);
    // Other tokens of the same user live on.
    assertThat(call("GET", tokens, admin, server.demoToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void aUserCannotRevokeAnothersToken() {
    String admin = server.adminToken();
    HttpResponse<String> r = call("DELETE", tokens, server.demoToken(), admin);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).at("/error/message").asText())
        .isEqualTo("You are not authorized to perform the requested action: identity:revoke_token.");
    assertThat(call("GET", tokens, admin, admin).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenMethodRescopesKeepingExpiryAndAuditChain() {
    HttpResponse<String> first =
        server.post(tokens, password(byName("admin"), TestServer.ADMIN_PASSWORD, "\"unscoped\""));
    String unscoped = first.headers().firstValue("X-Subject-Token").orElseThrow();
    JsonNode original = json(first).get("token");

    HttpResponse<String> r =
        server.post(
            tokens,
            """
            {"auth": {"identity": {"methods": ["token"], "token": {"id": "%s"}},
              "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}"""
                .formatted(unscoped));

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode token = json(r).get("token");
    assertThat(token.at("/project/name").asText()).isEqualTo("admin");
    assertThat(names(token.get("roles"))).contains("admin");
    assertThat(texts(token.get("methods"))).containsExactlyInAnyOrder("token", "password");
    assertThat(token.get("expires_at")).isEqualTo(original.get("expires_at"));
    assertThat(token.get("audit_ids")).hasSize(2);
    assertThat(token.at("/audit_ids/1")).isEqualTo(original.at("/audit_ids/0"));
    // The re-scoped token validates, and keeps its chain there too.
    String rescoped = r.headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(json(call("GET", tokens, rescoped, rescoped)).at("/token/audit_ids/1"))
        .isEqualTo(original.at("/audit_ids/0"));
  }

  @Test
  void tokenMethodWithABadTokenIs404() {
    HttpResponse<String> r =
        server.post(
            tokens, "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": \"nope\"}}}}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).at("/error/message").asText()).isEqualTo("Could not recognize Fernet token");
  }

  @Test
  void catalogNeedsAProjectScopedToken() {
    String demo = server.demoToken();
    HttpResponse<String> r = call("GET", server.identityUrl() + "/v3/auth/catalog", demo, null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(fieldNames(body)).containsExactly("catalog", "links");
    assertThat(body.at("/links/self").asText()).isEqualTo(server.identityUrl() + "/v3/auth/catalog");
    assertThat(body.get("catalog")).hasSize(3);

    String unscoped =
        server
            .post(tokens, password(byName("demo"), TestServer.DEMO_PASSWORD, "\"unscoped\""))
            .headers()
            .firstValue("X-Subject-Token")
            .orElseThrow();
    HttpResponse<String> forbidden =
        call("GET", server.identityUrl() + "/v3/auth/catalog", unscoped, null);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(json(forbidden).at("/error/message").asText())
        .isEqualTo("You are not authorized to perform the requested action.");
  }

  @Test
  void authProjectsListsWhereTheUserHasARole() {
    HttpResponse<String> r =
        call("GET", server.identityUrl() + "/v3/auth/projects", server.demoToken(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(names(body.get("projects"))).containsExactly("demo");
    JsonNode project = body.at("/projects/0");
    assertThat(project.get("domain_id").asText()).isEqualTo("default");
    assertThat(project.at("/links/self").asText())
        .isEqualTo(server.identityUrl() + "/v3/projects/" + project.get("id").asText());
    assertThat(body.at("/links/self").asText()).isEqualTo(server.identityUrl() + "/v3/auth/projects");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("name").asText()));
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> catalogUrls(JsonNode catalog) {
    List<String> out = new ArrayList<>();
    catalog.forEach(
        s ->
            s.get("endpoints")
                .forEach(
                    e ->
                        out.add(
                            s.get("type").asText()
                                + " "
                                + e.get("interface").asText()
                                + " "
                                + e.get("url").asText())));
    return out;
  }
}
