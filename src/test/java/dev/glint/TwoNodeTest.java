package dev.glint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Glint nodes, separate processes, sharing one PostgreSQL catalog and one data dir (Fernet
 * keys and image data) behave as one service.
 */
class TwoNodeTest {
  static String storeUrl;
  static Path dataDir;
  static TestServer a;
  static GlintProcess b;
  static String token;
  static String project;

  @BeforeAll
  static void start() throws Exception {
    // This test is about PostgreSQL whichever store the matrix runs; once is enough.
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    storeUrl = TestStores.newPostgresSchema();
    dataDir = Files.createTempDirectory("glint-two-nodes");
    a = TestServer.start(Map.of("data.dir", dataDir.toString(), "store.url", storeUrl));
    b =
        GlintProcess.start(
            dataDir,
            storeUrl,
            Map.of(
                "GLINT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "GLINT_DEMO_PASSWORD", TestServer.DEMO_PASSWORD,
                "GLINT_LOG_LEVEL", "WARN"));
    HttpResponse<String> issued =
        a.send(
            HttpRequest.newBuilder(URI.create(a.identityUrl() + "/v3/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                          "name": "demo", "domain": {"id": "default"}, "password": "%s"}}},
                         "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}"""
                            .formatted(TestServer.DEMO_PASSWORD)))
                .build());
    assertThat(issued.statusCode()).isEqualTo(201);
    token = issued.headers().firstValue("X-Subject-Token").orElseThrow();
    project = json(issued.body()).path("token").path("project").path("id").asText();
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (storeUrl != null) {
      TestStores.dropSchema(storeUrl);
    }
  }

  @Test
  void aTokenFromNodeAWorksOnNodeB() {
    HttpResponse<String> onB = a.get(b.computeUrl() + "/v2/" + project + "/images", token);
    assertThat(onB.statusCode()).isEqualTo(200);
    assertThat(a.get(b.computeUrl() + "/v2/" + project + "/images", "forged").statusCode())
        .isEqualTo(401);
  }

  @Test
  void anImageCreatedAndUploadedOnAListsAndDownloadsOnB() throws IOException {
    String id = createImage(a.imageUrl(), "made-on-a");
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(5).nextBytes(data);
    HttpResponse<String> upload =
        a.send(
            HttpRequest.newBuilder(URI.create(a.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
    assertThat(upload.statusCode()).isEqualTo(204);

    JsonNode listed = json(a.get(b.computeUrl() + "/v2/" + project + "/images?name=made-on-a", token).body());
    assertThat(listed.path("images").findValuesAsText("id")).containsExactly(id);

    HttpResponse<byte[]> download =
        sendBytes(
            HttpRequest.newBuilder(URI.create(b.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .build());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(data);
  }

  @Test
  void aDeleteOnBShowsAsDeletedInAsChangesSince() {
    String since = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    String id = createImage(a.imageUrl(), "deleted-on-b");
    HttpResponse<String> deleted =
        a.send(
            HttpRequest.newBuilder(URI.create(b.computeUrl() + "/v2/" + project + "/images/" + id))
                .header("X-Auth-Token", token)
                .DELETE()
                .build());
    assertThat(deleted.statusCode()).isEqualTo(204);

    JsonNode changes =
        json(
            a.get(a.computeUrl() + "/v2/" + project + "/images/detail?changes-since=" + since, token)
                .body());
    JsonNode image = null;
    for (JsonNode i : changes.path("images")) {
      if (i.path("id").asText().equals(id)) {
        image = i;
      }
    }
    assertThat(image).as("deleted image in A's changes-since").isNotNull();
    assertThat(image.path("status").asText()).isEqualTo("DELETED");
    assertThat(a.get(a.computeUrl() + "/v2/" + project + "/images/" + id, token).statusCode())
        .isEqualTo(404);
  }

  private static String createImage(String imageUrl, String name) {
    HttpResponse<String> created =
        a.send(
            HttpRequest.newBuilder(URI.create(imageUrl + "/v2/images"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"" + name + "\", \"disk_format\": \"raw\","
                            + " \"container_format\": \"bare\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return json(created.body()).path("id").asText();
  }

  private static HttpResponse<byte[]> sendBytes(HttpRequest request) {
    try {
      return a.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
