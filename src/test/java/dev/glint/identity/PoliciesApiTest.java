package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v3/policies} (Keystone's deprecated blob API) and OAuth1 consumers, over HTTP. */
@ExtendWith(LogLeakCheck.class)
class PoliciesApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
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

  @Test
  void policyLifecycle() {
    JsonNode created = ok(201, call("POST", "/policies", admin,
        "{\"policy\": {\"type\": \"application/json\", \"blob\": \"{}\", \"note\": 1}}"))
        .get("policy");
    String id = created.get("id").asText();
    assertThat(created.get("blob").asText()).isEqualTo("{}");
    assertThat(created.get("note").asInt()).isEqualTo(1);
    assertThat(created.at("/links/self").asText()).isEqualTo(v3 + "/policies/" + id);

    JsonNode listed = ok(200, call("GET", "/policies?type=application/json", admin, null));
    assertThat(listed.get("policies")).extracting(p -> p.get("id").asText()).contains(id);
    assertThat(ok(200, call("GET", "/policies?type=text/plain", admin, null)).get("policies"))
        .isEmpty();

    JsonNode updated = ok(200, call("PATCH", "/policies/" + id, admin,
        "{\"policy\": {\"blob\": \"{\\\"a\\\": 1}\"}}")).get("policy");
    assertThat(updated.get("blob").asText()).isEqualTo("{\"a\": 1}");
    assertThat(updated.get("type").asText()).isEqualTo("application/json");
    assertThat(ok(200, call("GET", "/policies/" + id, admin, null)).get("policy"))
        .isEqualTo(updated);
    assertThat(error(400, call("PATCH", "/policies/" + id, admin,
        "{\"policy\": {\"id\": \"other\"}}"))).isEqualTo("Cannot change policy ID");
    assertThat(error(400, call("PATCH", "/policies/" + id, admin, "{\"policy\": {}}")))
        .isEqualTo("{} does not have enough properties");

    assertThat(error(403, call("GET", "/policies", demo, null)))
        .isEqualTo("You are not authorized to perform the requested action: "
            + "identity:list_policies.");
    ok(204, call("DELETE", "/policies/" + id, admin, null));
    assertThat(error(404, call("GET", "/policies/" + id, admin, null)))
        .isEqualTo("Could not find policy: " + id + ".");
    assertThat(error(404, call("DELETE", "/policies/" + id, admin, null)))
        .isEqualTo("Could not find policy: " + id + ".");
  }

  @Test
  void createNeedsBlobAndType() {
    assertThat(error(400, call("POST", "/policies", admin, "{\"policy\": {\"blob\": \"x\"}}")))
        .isEqualTo("'type' is a required property");
    assertThat(error(400, call("POST", "/policies", admin,
        "{\"policy\": {\"blob\": 1, \"type\": \"t\"}}")))
        .isEqualTo("Invalid input for field 'blob': 1 is not of type 'string'");
  }

  @Test
  void consumerLifecycle() {
    JsonNode created = ok(201, call("POST", "/OS-OAUTH1/consumers", admin,
        "{\"consumer\": {\"description\": \"ci\"}}")).get("consumer");
    String id = created.get("id").asText();
    assertThat(created.get("secret").asText()).hasSize(32);
    assertThat(created.get("description").asText()).isEqualTo("ci");
    assertThat(created.at("/links/self").asText()).isEqualTo(v3 + "/OS-OAUTH1/consumers/" + id);
    String stored = server.app().db().read(h -> h.createQuery(
            "SELECT secret_encrypted FROM oauth1_consumers WHERE id = :id")
        .bind("id", id).mapTo(String.class).one());
    assertThat(stored).doesNotContain(created.get("secret").asText());

    JsonNode shown = ok(200, call("GET", "/OS-OAUTH1/consumers/" + id, admin, null))
        .get("consumer");
    assertThat(shown.has("secret")).isFalse();
    assertThat(ok(200, call("GET", "/OS-OAUTH1/consumers", admin, null)).get("consumers"))
        .extracting(c -> c.get("id").asText()).contains(id);
    assertThat(ok(200, call("PATCH", "/OS-OAUTH1/consumers/" + id, admin,
        "{\"consumer\": {\"description\": \"new\"}}")).at("/consumer/description").asText())
        .isEqualTo("new");
    assertThat(error(400, call("PATCH", "/OS-OAUTH1/consumers/" + id, admin,
        "{\"consumer\": {\"secret\": \"mine\"}}")))
        .isEqualTo("{'secret': 'mine'} should not be valid under {'required': ['secret']}");
    assertThat(error(403, call("GET", "/OS-OAUTH1/consumers", demo, null)))
        .endsWith("identity:list_consumers.");

    ok(204, call("DELETE", "/OS-OAUTH1/consumers/" + id, admin, null));
    assertThat(error(404, call("GET", "/OS-OAUTH1/consumers/" + id, admin, null)))
        .isEqualTo("Consumer not found");
    assertThat(error(404, call("DELETE", "/OS-OAUTH1/consumers/" + id, admin, null)))
        .isEqualTo("Consumer not found");
  }
}
