package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openstack4j.api.OSClient;
import org.openstack4j.openstack.OSFactory;

/** Legacy {@code POST /v2.0/tokens} and friends (spec §8), raw and through openstack4j's v2. */
@ExtendWith(LogLeakCheck.class)
class V2TokensTest {
  static TestServer server;
  static String tokens;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    tokens = server.identityUrl() + "/v2.0/tokens";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode json(HttpResponse<String> r) {
    return TestServer.json(r.body());
  }

  @Test
  void passwordCredentialsWithTenantNameGiveTheAccessDocument() {
    HttpResponse<String> r =
        server.post(
            tokens,
            "{\"auth\": {\"passwordCredentials\": {\"username\": \"demo\", \"password\": \"demo-secret\"},"
                + " \"tenantName\": \"demo\"}}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
    JsonNode access = json(r).get("access");
    List<String> keys = new ArrayList<>();
    access.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("token", "serviceCatalog", "user", "metadata");
    JsonNode token = access.get("token");
    assertThat(token.get("expires").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000000Z");
    String project = token.at("/tenant/id").asText();
    assertThat(token.get("tenant").toString())
        .isEqualTo("{\"id\":\"" + project + "\",\"name\":\"demo\",\"description\":\"Demo project\",\"enabled\":true}");
    assertThat(access.at("/user/username").asText()).isEqualTo("demo");
    assertThat(access.at("/user/roles").toString()).isEqualTo("[{\"name\":\"member\"},{\"name\":\"reader\"}]");
    assertThat(access.at("/metadata/roles")).hasSize(2);
    JsonNode compute = access.at("/serviceCatalog/0");
    assertThat(compute.get("type").asText()).isEqualTo("compute");
    assertThat(compute.get("name").asText()).isEqualTo("nova");
    assertThat(compute.at("/endpoints/0/publicURL").asText()).isEqualTo(server.computeUrl() + "/v2.1/" + project);
    assertThat(compute.at("/endpoints/0/internalURL").asText()).isEqualTo(server.computeUrl() + "/v2.1/" + project);
    assertThat(compute.at("/endpoints/0/adminURL").asText()).isEqualTo(server.computeUrl() + "/v2.1/" + project);
    assertThat(compute.at("/endpoints/0/region").asText()).isEqualTo("RegionOne");
    assertThat(compute.at("/endpoints/0").has("versionId")).isFalse();
    assertThat(access.at("/serviceCatalog/2/endpoints/0/publicURL").asText())
        .isEqualTo(server.identityUrl() + "/v2.0");
    // One token format: the v2 token works on v3.
    assertThat(server.app().tokens().validate(token.get("id").asText())).isPresent();
  }

  @Test
  void userIdAndTenantIdWorkAndNoTenantIsUnscoped() {
    JsonNode first =
        json(server.post(tokens, "{\"auth\": {\"passwordCredentials\": {\"username\": \"admin\", \"password\": \"admin-secret\"}}}"))
            .get("access");
    assertThat(first.get("token").has("tenant")).isFalse();
    assertThat(first.get("serviceCatalog")).isEmpty();
    String userId = first.at("/user/id").asText();
    String adminProject = server.app().tokens().validate(server.adminToken()).orElseThrow().projectId();

    HttpResponse<String> r =
        server.post(
            tokens,
            "{\"auth\": {\"passwordCredentials\": {\"userId\": \"" + userId + "\", \"password\": \"admin-secret\"},"
                + " \"tenantId\": \"" + adminProject + "\", \"tenantName\": \"ignored\"}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).at("/access/token/tenant/name").asText()).isEqualTo("admin");

    HttpResponse<String> rescoped =
        server.post(
            tokens,
            "{\"auth\": {\"token\": {\"id\": \"" + first.at("/token/id").asText() + "\"}, \"tenantName\": \"admin\"}}");
    assertThat(rescoped.statusCode()).isEqualTo(200);
    assertThat(json(rescoped).at("/access/token/expires")).isEqualTo(first.at("/token/expires"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no auth | {} | 400 | Expecting to find auth in request body.",
        "no credentials | {\"auth\": {\"tenantName\": \"demo\"}} | 400 | Expecting to find auth in request body.",
        "no password | {\"auth\": {\"passwordCredentials\": {\"username\": \"demo\"}}} | 400 | Expecting to find password in passwordCredentials.",
        "no username | {\"auth\": {\"passwordCredentials\": {\"password\": \"x\"}}} | 400 | Expecting to find username or userId in passwordCredentials.",
        "wrong password | {\"auth\": {\"passwordCredentials\": {\"username\": \"demo\", \"password\": \"x\"}}} | 401 | The request you have made requires authentication.",
        "unknown tenant | {\"auth\": {\"passwordCredentials\": {\"username\": \"demo\", \"password\": \"demo-secret\"}, \"tenantName\": \"nope\"}} | 401 | The request you have made requires authentication.",
        "no role on tenant | {\"auth\": {\"passwordCredentials\": {\"username\": \"demo\", \"password\": \"demo-secret\"}, \"tenantName\": \"admin\"}} | 401 | The request you have made requires authentication.",
        "bad token | {\"auth\": {\"token\": {\"id\": \"nope\"}}} | 401 | The request you have made requires authentication.",
      })
  void errors(String why, String body, int status, String message) {
    HttpResponse<String> r = server.post(tokens, body);
    assertThat(r.statusCode()).isEqualTo(status);
    String expected = status == 400 ? message + AuthTokensTest.NOT_COMPLY : message;
    assertThat(json(r).at("/error/message").asText()).isEqualTo(expected);
  }

  @Test
  void legacyValidationAndTenants() {
    String admin = server.adminToken();
    String demo = server.demoToken();

    HttpResponse<String> r = server.get(tokens + "/" + demo, admin);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).at("/access/user/name").asText()).isEqualTo("demo");
    HttpResponse<String> bad = server.get(tokens + "/nope", admin);
    assertThat(bad.statusCode()).isEqualTo(404);
    assertThat(json(bad).at("/error/message").asText()).isEqualTo("Could not find token: nope.");

    HttpResponse<String> tenants = server.get(server.identityUrl() + "/v2.0/tenants", demo);
    assertThat(tenants.body())
        .isEqualTo(
            "{\"tenants\":[" + json(r).at("/access/token/tenant").toString() + "],\"tenants_links\":[]}");
  }

  @Test
  void openstack4jAuthenticatesWithV2() {
    OSClient.OSClientV2 os =
        OSFactory.builderV2()
            .endpoint(server.identityUrl() + "/v2.0")
            .credentials("demo", TestServer.DEMO_PASSWORD)
            .tenantName("demo")
            .authenticate();

    assertThat(os.getAccess().getToken().getExpires()).isInTheFuture();
    assertThat(os.getAccess().getUser().getName()).isEqualTo("demo");
    assertThat(os.getAccess().getServiceCatalog()).extracting(s -> s.getType()).contains("compute", "image");
  }
}
