package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A list page's byte budget (issue 10): 70 images of 60 KiB properties listed with {@code
 * limit=1000} on both image APIs under a 2 000 000-byte budget. Pages end early with a next
 * link that continues exactly (no image lost or repeated); pages above a megabyte are streamed
 * (chunked, no Content-Length), smaller ones keep their Content-Length; gzip gives the same page.
 */
class PageBudgetTest {
  static final String PROJECT = "5a9e1c0d7b3f4e2a8c6d1b0e9f7a3c51";
  static final int IMAGES = 70;
  static final long BUDGET = 2_000_000;
  static TestServer server;
  static String token;
  static final Set<String> created = new HashSet<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.max.page.bytes", Long.toString(BUDGET)));
    token = server.tokenFor(PROJECT, "member");
    for (int i = 0; i < IMAGES; i++) {
      // 61 440 bytes of property value, different per image so no two fragments are alike
      String value = (i + "-").repeat(61_440 / (i + "-").length() + 1).substring(0, 61_440);
      HttpResponse<String> r =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                  .timeout(Duration.ofSeconds(30))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\": \"big-" + i + "\", \"disk_format\": \"raw\","
                              + " \"container_format\": \"bare\", \"blob\": \"" + value + "\"}"))
                  .build());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      created.add(TestServer.json(r.body()).get("id").asText());
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void glancePagesEndAtTheBudgetAndContinueExactly() throws IOException {
    List<String> seen = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String next = "/v2/images?limit=1000";
    boolean streamed = false;
    boolean whole = false;
    while (next != null) {
      HttpResponse<byte[]> r = get(server.imageUrl() + next, null);
      assertThat(r.statusCode()).isEqualTo(200);
      boolean chunked = r.headers().firstValue("Content-Length").isEmpty();
      assertThat(chunked).isEqualTo(r.body().length > PageBody.STREAM_ABOVE);
      streamed |= chunked;
      whole |= !chunked;
      JsonNode page = TestServer.json(new String(r.body(), StandardCharsets.UTF_8));
      page.get("images").forEach(i -> seen.add(i.get("id").asText()));
      sizes.add(page.get("images").size());
      assertThat(r.body().length).isLessThanOrEqualTo((int) BUDGET + 1024);
      next = page.hasNonNull("next") ? page.get("next").asText() : null;
      assertThat(sizes.size()).as("pages").isLessThan(IMAGES);
    }
    // 30-odd images of about 62 KiB fit a page: three pages, the last one short.
    assertThat(sizes).hasSizeGreaterThanOrEqualTo(3);
    assertThat(sizes.get(0)).isBetween(20, 40);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(Set.copyOf(seen)).isEqualTo(created);
    assertThat(streamed).as("a page was streamed").isTrue();
    assertThat(whole).as("a page had its Content-Length").isTrue();
  }

  @Test
  void novaDetailPagesEndAtTheBudgetAndContinueExactly() {
    List<String> seen = new ArrayList<>();
    String next = server.computeUrl() + "/v2.1/images/detail?limit=1000";
    int pages = 0;
    while (next != null) {
      HttpResponse<byte[]> r = get(next, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body().length).isLessThanOrEqualTo((int) BUDGET + 1024);
      JsonNode page = TestServer.json(new String(r.body(), StandardCharsets.UTF_8));
      page.get("images").forEach(i -> {
        assertThat(i.get("metadata").get("blob").asText()).hasSize(61_440);
        seen.add(i.get("id").asText());
      });
      next = null;
      for (JsonNode link : page.path("images_links")) {
        if (link.get("rel").asText().equals("next")) {
          next = link.get("href").asText();
        }
      }
      pages++;
      assertThat(pages).isLessThan(IMAGES);
    }
    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(Set.copyOf(seen)).isEqualTo(created);
  }

  @Test
  void novaSummariesFitOnePage() {
    HttpResponse<byte[]> r = get(server.computeUrl() + "/v2.1/images?limit=1000", null);
    JsonNode page = TestServer.json(new String(r.body(), StandardCharsets.UTF_8));
    assertThat(page.get("images")).hasSize(IMAGES);
    assertThat(page.has("images_links")).isFalse();
  }

  @Test
  void streamedPagesAreCompressedWhenAsked() throws IOException {
    for (String url :
        List.of(
            server.imageUrl() + "/v2/images?limit=1000",
            server.computeUrl() + "/v2.1/images/detail?limit=1000")) {
      HttpResponse<byte[]> plain = get(url, null);
      HttpResponse<byte[]> gzip = get(url, "gzip");
      assertThat(plain.headers().firstValue("Content-Length")).isEmpty();
      assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
      assertThat(gzip.body().length).isLessThan(plain.body().length);
      byte[] unzipped;
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
        unzipped = in.readAllBytes();
      }
      assertThat(unzipped).isEqualTo(plain.body());
    }
  }

  private static HttpResponse<byte[]> get(String url, String acceptEncoding) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("X-Auth-Token", token);
    if (acceptEncoding != null) {
      b.header("Accept-Encoding", acceptEncoding);
    }
    try {
      return server.http().send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
