package dev.glint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.Image;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo catalog gives every compute list filter something to show, for both projects. */
class DemoDataTest {
  static final String ADMIN = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String DEMO = "dddddddddddddddddddddddddddddddd";
  static TestServer server;
  static List<Image> images;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    images = DemoData.images(ADMIN, DEMO, Instant.now(), 7);
    server.app().catalog().addAll(images);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "status=ACTIVE", "status=SAVING", "status=ERROR", "status=UNKNOWN", "type=snapshot",
        "type=backup", "name=golden-base", "changes-since=2000-01-01", "limit=5"
      })
  void everyFilterShowsSomethingToBothProjects(String filter) {
    for (String project : List.of(ADMIN, DEMO)) {
      JsonNode body = list(project, filter);
      assertThat(body.path("images").size()).as("%s for %s", filter, project).isPositive();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {ADMIN, DEMO})
  void serverFilterFindsTheSnapshotsOfAServer(String project) {
    Image snapshot =
        images.stream()
            .filter(i -> project.equals(i.owner()) && i.properties().containsKey("instance_uuid"))
            .filter(i -> !i.deleted())
            .findFirst()
            .orElseThrow();
    String server = snapshot.properties().get("instance_uuid");
    JsonNode body = list(project, "server=http://compute/v2.1/servers/" + server);
    assertThat(body.path("images").findValuesAsText("id")).containsExactly(snapshot.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {ADMIN, DEMO})
  void changesSinceReportsRecentlyDeletedImages(String project) {
    String since = Instant.now().minus(20, ChronoUnit.DAYS).toString();
    JsonNode body = list(project, "changes-since=" + since + "&status=DELETED");
    assertThat(body.path("images").size()).isPositive();
    JsonNode detail = detail(project, "changes-since=" + since);
    assertThat(detail.path("images").findValuesAsText("status")).contains("DELETED", "ACTIVE");
  }

  private JsonNode list(String project, String query) {
    return get(server.computeUrl() + "/v2/" + project + "/images?" + query, project);
  }

  private JsonNode detail(String project, String query) {
    return get(server.computeUrl() + "/v2/" + project + "/images/detail?" + query, project);
  }

  private JsonNode get(String url, String project) {
    var response = server.get(url, server.tokenFor(project, "member"));
    assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
