package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, bounded resources: a property key of at most 255 characters, a value of at most
 * 65 535 bytes, and one image's properties and tags together at most 64 KiB, on both APIs (the
 * image service answers 400/413, the compute API 400/403, as each words them).
 */
class ImageLimitsTest {
  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    token = server.tokenFor("limits", "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> call(String method, String url, String type, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("X-Auth-Token", token)
            .header("Accept", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return server.send(b.build());
  }

  private static HttpResponse<String> create(String extra) {
    return call("POST", server.imageUrl() + "/v2/images", "application/json",
        "{\"name\": \"l\", \"disk_format\": \"raw\", \"container_format\": \"bare\"" + extra + "}");
  }

  @Test
  void aValueOfExactly65535BytesIsKeptAndOneByteMoreIsA400() {
    // 'é' is two bytes: 32 767 of them and one ASCII byte make 65 535.
    String max = "é".repeat(32_767) + "x";
    HttpResponse<String> ok = create(", \"b\": \"" + max + "\"");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(TestServer.json(ok.body()).get("b").asText()).isEqualTo(max);
    HttpResponse<String> over = create(", \"b\": \"" + max + "y\"");
    assertThat(over.statusCode()).isEqualTo(400);
    assertThat(over.body()).contains("at most 65535 bytes");
  }

  @Test
  void aKeyOver255CharactersIsA400() {
    HttpResponse<String> r = create(", \"" + "k".repeat(256) + "\": \"v\"");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(create(", \"" + "k".repeat(255) + "\": \"v\"").statusCode()).isEqualTo(201);
  }

  @Test
  void propertiesAndTagsOver64KibTogetherAre413OnTheImageServiceAnd403OnCompute() {
    String half = "v".repeat(40_000);
    HttpResponse<String> two = create(", \"a\": \"" + half + "\", \"b\": \"" + half + "\"");
    assertThat(two.statusCode()).as(two.body()).isEqualTo(413);
    assertThat(two.body()).contains("total size of image properties and tags");

    HttpResponse<String> one = create(", \"a\": \"" + "v".repeat(65_000) + "\"");
    assertThat(one.statusCode()).isEqualTo(201);
    String id = TestServer.json(one.body()).get("id").asText();
    // A patch adding a second large value: 413.
    HttpResponse<String> patch =
        call("PATCH", server.imageUrl() + "/v2/images/" + id,
            "application/openstack-images-v2.1-json-patch",
            "[{\"op\": \"add\", \"path\": \"/b\", \"value\": \"" + "w".repeat(1_000) + "\"}]");
    assertThat(patch.statusCode()).isEqualTo(413);
    // A tag that tips the image over the total: 413.
    HttpResponse<String> tag =
        call("PUT", server.imageUrl() + "/v2/images/" + id + "/tags/" + "t".repeat(255), null, null);
    assertThat(tag.statusCode()).isIn(204, 413);
    // Nova's metadata on the same image: its 255-byte values still tip it over, a 403.
    StringBuilder meta = new StringBuilder("{\"metadata\": {");
    for (int i = 0; i < 10; i++) {
      meta.append(i == 0 ? "" : ", ").append("\"m").append(i).append("\": \"").append("x".repeat(255)).append('"');
    }
    meta.append("}}");
    HttpResponse<String> nova =
        call("POST", server.computeUrl() + "/v2.1/images/" + id + "/metadata", "application/json", meta.toString());
    assertThat(nova.statusCode()).as(nova.body()).isEqualTo(403);
    assertThat(nova.body()).contains("forbidden");
    // The image is unchanged by the refused writes.
    HttpResponse<String> shown = call("GET", server.imageUrl() + "/v2/images/" + id, null, null);
    assertThat(TestServer.json(shown.body()).has("b")).isFalse();
    assertThat(TestServer.json(shown.body()).has("m0")).isFalse();
  }
}
