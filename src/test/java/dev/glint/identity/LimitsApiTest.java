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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unified limits over HTTP: registered limits, project and domain limits, the model. */
@ExtendWith(LogLeakCheck.class)
class LimitsApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;
  static String image;
  static String demoProject;
  static String adminProject;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
    image = ok(200, call("GET", "/services?type=image", admin, null)).at("/services/0/id")
        .asText();
    demoProject =
        ok(200, call("GET", "/projects?name=demo", admin, null)).at("/projects/0/id").asText();
    adminProject =
        ok(200, call("GET", "/projects?name=admin", admin, null)).at("/projects/0/id").asText();
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
  void registeredAndProjectLimitsLifecycle() {
    JsonNode created = ok(201, call("POST", "/registered_limits", admin,
        "{\"registered_limits\": [{\"service_id\": \"" + image + "\", \"region_id\": \"RegionOne\","
            + " \"resource_name\": \"image_count_total\", \"default_limit\": 10},"
            + " {\"service_id\": \"" + image + "\", \"resource_name\": \"image_size_total\","
            + " \"default_limit\": 1000, \"description\": \"MiB\"}]}"));
    assertThat(created.has("links")).isFalse();
    JsonNode count = created.at("/registered_limits/0");
    String countId = count.get("id").asText();
    String sizeId = created.at("/registered_limits/1/id").asText();
    assertThat(count.get("default_limit").asInt()).isEqualTo(10);
    assertThat(count.get("region_id").asText()).isEqualTo("RegionOne");
    assertThat(created.at("/registered_limits/1/region_id").isNull()).isTrue();
    assertThat(count.at("/links/self").asText()).isEqualTo(v3 + "/registered_limits/" + countId);

    assertThat(error(409, call("POST", "/registered_limits", admin,
        "{\"registered_limits\": [{\"service_id\": \"" + image + "\", \"region_id\": \"RegionOne\","
            + " \"resource_name\": \"image_count_total\", \"default_limit\": 5}]}")))
        .isEqualTo("Conflict occurred attempting to store registered_limit - Duplicate entry.");
    assertThat(ok(200, call("GET", "/registered_limits?resource_name=image_size_total", demo,
        null)).get("registered_limits")).extracting(r -> r.get("id").asText())
        .containsExactly(sizeId);
    assertThat(ok(200, call("PATCH", "/registered_limits/" + countId, admin,
        "{\"registered_limit\": {\"default_limit\": 20}}")).at("/registered_limit/default_limit")
        .asInt()).isEqualTo(20);

    JsonNode limit = ok(201, call("POST", "/limits", admin,
        "{\"limits\": [{\"project_id\": \"" + demoProject + "\", \"service_id\": \"" + image
            + "\", \"region_id\": \"RegionOne\", \"resource_name\": \"image_count_total\","
            + " \"resource_limit\": 5}]}")).at("/limits/0");
    String limitId = limit.get("id").asText();
    assertThat(limit.get("project_id").asText()).isEqualTo(demoProject);
    assertThat(limit.get("domain_id").isNull()).isTrue();
    assertThat(limit.get("resource_limit").asInt()).isEqualTo(5);
    assertThat(error(409, call("POST", "/limits", admin,
        "{\"limits\": [{\"project_id\": \"" + demoProject + "\", \"service_id\": \"" + image
            + "\", \"region_id\": \"RegionOne\", \"resource_name\": \"image_count_total\","
            + " \"resource_limit\": 6}]}")))
        .isEqualTo("Conflict occurred attempting to store limit - Duplicate entry.");

    // A registered limit with project limits cannot change or go.
    assertThat(error(403, call("PATCH", "/registered_limits/" + countId, admin,
        "{\"registered_limit\": {\"default_limit\": 30}}")))
        .isEqualTo("Unable to update or delete registered limit " + countId
            + " because there are project limits associated with it.");
    assertThat(error(403, call("DELETE", "/registered_limits/" + countId, admin, null)))
        .startsWith("Unable to update or delete registered limit");

    // The demo project sees its own limit; admins see all.
    assertThat(ok(200, call("GET", "/limits", demo, null)).get("limits"))
        .extracting(l -> l.get("id").asText()).containsExactly(limitId);
    assertThat(ok(200, call("GET", "/limits/" + limitId, demo, null)).at("/limit/id").asText())
        .isEqualTo(limitId);
    assertThat(ok(200, call("GET", "/limits?project_id=" + adminProject, admin, null))
        .get("limits")).isEmpty();
    assertThat(ok(200, call("PATCH", "/limits/" + limitId, admin,
        "{\"limit\": {\"resource_limit\": 7, \"description\": \"more\"}}"))
        .at("/limit/resource_limit").asInt()).isEqualTo(7);
    assertThat(error(400, call("PATCH", "/limits/" + limitId, admin,
        "{\"limit\": {\"project_id\": \"x\"}}")))
        .isEqualTo("Additional properties are not allowed ('project_id' was unexpected)");

    ok(204, call("DELETE", "/limits/" + limitId, admin, null));
    assertThat(error(404, call("GET", "/limits/" + limitId, admin, null)))
        .isEqualTo("Could not find limit for " + limitId + ".");
    ok(204, call("DELETE", "/registered_limits/" + countId, admin, null));
    ok(204, call("DELETE", "/registered_limits/" + sizeId, admin, null));
    assertThat(error(404, call("GET", "/registered_limits/" + countId, admin, null)))
        .isEqualTo("Could not find registered limit for " + countId + ".");
  }

  @Test
  void limitsNeedTheirReferences() {
    assertThat(error(403, call("POST", "/limits", admin,
        "{\"limits\": [{\"project_id\": \"" + demoProject + "\", \"service_id\": \"" + image
            + "\", \"resource_name\": \"nothing_registered\", \"resource_limit\": 1}]}")))
        .isEqualTo("You are not authorized to perform the requested action.");
    assertThat(error(400, call("POST", "/limits", admin,
        "{\"limits\": [{\"project_id\": \"nope\", \"service_id\": \"" + image
            + "\", \"resource_name\": \"x\", \"resource_limit\": 1}]}")))
        .startsWith("Expecting to find project_id in limit.");
    assertThat(error(403, call("POST", "/limits", demo, "{\"limits\": []}")))
        .endsWith("identity:create_limits.");
    assertThat(ok(200, call("GET", "/limits/model", demo, null)).get("model").toString())
        .isEqualTo("{\"name\":\"flat\",\"description\":\"Limit enforcement and validation does"
            + " not take project hierarchy into consideration.\"}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|{} is not of type 'array'",
        "{\"registered_limits\": []}|[] is too short",
        "{\"registered_limits\": [{\"service_id\": \"s\", \"resource_name\": \"r\"}]}|Invalid input for field '0': 'default_limit' is a required property",
        "{\"registered_limits\": [{\"service_id\": \"s\", \"resource_name\": \"r\", \"default_limit\": -2}]}|Invalid input for field '0/default_limit': -2 is less than the minimum of -1",
        "{\"registered_limits\": [{\"service_id\": \"s\", \"resource_name\": \"r\", \"default_limit\": 1, \"x\": 1}]}|Invalid input for field '0': Additional properties are not allowed ('x' was unexpected)",
        "{\"registered_limits\": [{\"service_id\": \"nope\", \"resource_name\": \"r\", \"default_limit\": 1}]}|Expecting to find service_id in registered_limit. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
      })
  void badRegisteredLimitsAre400s(String body, String message) {
    assertThat(error(400, call("POST", "/registered_limits", admin, body))).isEqualTo(message);
  }
}
