package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageDataTest.RAW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image quotas read identity's unified limits, as Glance reads Keystone's: the image
 * service's registered limit is every project's default, a project limit overrides it, and
 * without either the configuration ({@code quota.*}) holds.
 */
class UnifiedQuotaLimitsTest {
  static final String LIMITED = "d0000000000000000000000000000001";
  static TestServer server;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("quota.image.count.total", "5"));
    admin = server.adminToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> identity(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + path))
            .header("X-Auth-Token", admin)
            .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static long countLimit(String project) {
    return json(ImageClient.of(server, project, "member").get("/v2/info/usage"))
        .get("usage").get("image_count_total").get("limit").asLong();
  }

  @Test
  void registeredAndProjectLimitsOfTheImageServiceGovernTheQuotas() throws Exception {
    assertThat(countLimit(LIMITED)).as("configuration, before any limit").isEqualTo(5);

    JsonNode services = TestServer.json(identity("GET", "/v3/services?type=image", null).body());
    String image = services.get("services").get(0).get("id").asText();
    // A project limit names a project identity knows.
    HttpResponse<String> project =
        identity("POST", "/v3/projects", "{\"project\": {\"name\": \"raised\"}}");
    assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
    String raisedProject = TestServer.json(project.body()).get("project").get("id").asText();
    HttpResponse<String> registered =
        identity("POST", "/v3/registered_limits",
            "{\"registered_limits\": [{\"service_id\": \"" + image + "\","
                + " \"resource_name\": \"image_count_total\", \"default_limit\": 1}]}");
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    HttpResponse<String> raised =
        identity("POST", "/v3/limits",
            "{\"limits\": [{\"service_id\": \"" + image + "\", \"project_id\": \"" + raisedProject + "\","
                + " \"resource_name\": \"image_count_total\", \"resource_limit\": 3}]}");
    assertThat(raised.statusCode()).as(raised.body()).isEqualTo(201);

    assertThat(countLimit(LIMITED)).isEqualTo(1);
    assertThat(countLimit(raisedProject)).isEqualTo(3);
    ImageClient limited = ImageClient.of(server, LIMITED, "member");
    limited.create(RAW);
    assertThat(limited.post("/v2/images", RAW).statusCode()).isEqualTo(413);
    ImageClient more = ImageClient.of(server, raisedProject, "member");
    for (int n = 0; n < 3; n++) {
      more.create(RAW);
    }
    assertThat(more.post("/v2/images", RAW).statusCode()).isEqualTo(413);

    // Deleting the registered limit gives the configuration back to projects without their own.
    String id = TestServer.json(registered.body()).get("registered_limits").get(0).get("id").asText();
    String limitId = TestServer.json(raised.body()).get("limits").get(0).get("id").asText();
    assertThat(identity("DELETE", "/v3/limits/" + limitId, null).statusCode()).isEqualTo(204);
    assertThat(identity("DELETE", "/v3/registered_limits/" + id, null).statusCode()).isEqualTo(204);
    assertThat(countLimit(LIMITED)).isEqualTo(5);
    assertThat(limited.post("/v2/images", RAW).statusCode()).isEqualTo(201);
  }
}
