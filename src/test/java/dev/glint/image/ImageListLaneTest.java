package dev.glint.image;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.OTHER;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.Visibility;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image listener's hot lane ({@link ImageListLane}): Glance's list answered from memory is
 * the pipeline's answer, byte for byte and field for field (a request with {@code
 * Accept-Encoding: identity} always takes the pipeline), and shows every write at once.
 */
class ImageListLaneTest {
  static TestServer server;
  static String demo;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("show.image.direct.url", "true"));
    demo = server.tokenFor(DEMO, "member");
    admin = server.tokenFor(ADMIN, "admin", "member");
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String owner = i % 3 == 0 ? DEMO : i % 3 == 1 ? ADMIN : OTHER;
      var b = image().id(String.format("00000000-0000-4000-8000-%012d", i)).owner(owner)
          .name("img-" + (i % 7)).createdPlus(i).size((long) i * 1000);
      if (i % 5 == 0) {
        b.visibility(Visibility.PUBLIC);
      }
      if (i % 4 == 0) {
        b.properties(Map.of("image_type", "snapshot", "os_distro", "debian"));
      }
      images.add(b.build());
    }
    server.app().catalog().addAll(images);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String token, String... headers) {
    return server.get(server.imageUrl() + path, token, headers);
  }

  @Test
  void whatTheLaneAnswersIsWhatThePipelineAnswers() {
    List<String> paths = new ArrayList<>();
    for (String root : List.of("/v2", "/v2.1", "/v2.15")) {
      for (String query : List.of("", "?limit=3", "?limit=5&marker=00000000-0000-4000-8000-000000000015",
          "?name=img-3", "?status=active&limit=2", "?visibility=public", "?sort_key=name&sort_dir=asc",
          "?sort=name:desc,size:asc&limit=7", "?os_distro=debian", "?size_min=5000&limit=4",
          "?limit=-1", "?marker=ffffffff-0000-4000-8000-000000000000", "?sort_key=bogus",
          "?member_status=all", "?created_at=gte:2000-01-01T00:00:00Z&limit=3", "?unknown=1&limit=2")) {
        paths.add(root + "/images" + query);
      }
    }
    paths.add("/v2/images/"); // trailing slash: Glance's 404
    double before = server.hotAnswers("image");
    int ok = 0;
    for (String token : List.of(demo, admin)) {
      for (String path : paths) {
        for (int round = 0; round < 2; round++) { // the second round finds first pages kept
          HttpResponse<String> hot = get(path, token);
          HttpResponse<String> piped = get(path, token, "Accept-Encoding", "identity");
          assertThat(hot.statusCode()).as(path).isEqualTo(piped.statusCode());
          assertThat(hot.body()).as(path).isEqualTo(piped.body());
          assertThat(TestServer.stableFields(hot)).as(path).isEqualTo(TestServer.stableFields(piped));
          if (hot.statusCode() == 200) {
            ok++;
          }
        }
      }
    }
    assertThat(ok).isGreaterThan(100);
    assertThat(server.hotAnswers("image") - before).isGreaterThan(ok / 2.0);
  }

  @Test
  void aRepeatedFirstPageShowsEveryWriteAtOnce() throws Exception {
    String path = "/v2/images?limit=1000";
    get(path, demo);
    assertThat(get(path, demo).body()).doesNotContain("lane-new");
    double before = server.hotAnswers("image");
    String created = server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
        .timeout(Duration.ofSeconds(30))
        .header("X-Auth-Token", demo).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"lane-new\"}")).build()).body();
    String id = Json.MAPPER.readTree(created).path("id").asText();
    HttpResponse<String> listed = get(path, demo);
    assertThat(listed.body()).contains("lane-new").contains(id);
    server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id))
        .header("X-Auth-Token", demo).DELETE().build());
    HttpResponse<String> after = get(path, demo);
    assertThat(after.body()).doesNotContain(id);
    // The generation field moved with the writes.
    assertThat(after.headers().firstValue("X-Glint-Catalog-Generation"))
        .isNotEqualTo(listed.headers().firstValue("X-Glint-Catalog-Generation"));
    assertThat(server.hotAnswers("image")).isGreaterThan(before);
  }
}
