package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Scrapes /metrics after a known sequence of calls and checks what each counter says. */
class MetricsTest {

  @Test
  void countsRequestsByRouteTemplateAndTheImageBytes() throws Exception {
    try (TestServer server = TestServer.start()) {
      String token = server.demoToken();
      String compute = server.computeUrl();
      for (int i = 0; i < 3; i++) {
        assertThat(server.get(compute + "/v2.1/images", token).statusCode()).isEqualTo(200);
      }
      String missing = UUID.randomUUID().toString();
      assertThat(server.get(compute + "/v2.1/images/" + missing, token).statusCode())
          .isEqualTo(404);
      assertThat(server.get(compute + "/v2.1/images", null).statusCode()).isEqualTo(401);
      assertThat(server.get(compute + "/no/such/thing", token).statusCode()).isEqualTo(404);

      // 1000 bytes up, all of them down, and 10 of them again as a range.
      String image = server.imageUrl();
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(image + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"m\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      assertThat(created.statusCode()).isEqualTo(201);
      String id = TestServer.json(created.body()).get("id").asText();
      byte[] data = new byte[1000];
      Arrays.fill(data, (byte) 7);
      HttpResponse<String> put =
          server.send(
              HttpRequest.newBuilder(URI.create(image + "/v2/images/" + id + "/file"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                  .build());
      assertThat(put.statusCode()).isEqualTo(204);
      assertThat(server.get(image + "/v2/images/" + id + "/file", token).body()).hasSize(1000);
      assertThat(server.get(image + "/v2/images/" + id + "/file", token, "Range", "bytes=0-9")
              .statusCode()).isEqualTo(206);

      // A request is counted by the request logger, which runs once its response has been sent:
      // the client may hold the last download's answer before the server has counted it.
      HttpResponse<String> scraped = server.get(compute + "/metrics", null);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (new Scrape(scraped.body()).value("glint_image_download_bytes_total") < 1010
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
        scraped = server.get(compute + "/metrics", null);
      }
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
      Scrape m = new Scrape(scraped.body());

      String requests = "glint_http_requests_seconds_count";
      assertThat(m.value(requests, "api", "compute", "route", "/v2.1/images", "method", "GET",
          "status", "200")).isEqualTo(3);
      assertThat(m.value(requests, "api", "compute", "route", "/v2.1/images", "status", "401"))
          .isEqualTo(1);
      assertThat(m.value(requests, "api", "compute", "route", "/v2.1/images/{image_id}",
          "status", "404")).isEqualTo(1);
      assertThat(m.value(requests, "api", "compute", "route", "unmatched", "status", "404"))
          .isEqualTo(1);
      assertThat(m.value(requests, "api", "identity", "route", "/v3/auth/tokens", "method",
          "POST", "status", "201")).isEqualTo(1);
      assertThat(m.value(requests, "api", "image", "route", "/v2/images/{image_id}/file",
          "method", "PUT", "status", "204")).isEqualTo(1);
      // Latency histogram buckets for the same series.
      assertThat(m.value("glint_http_requests_seconds_bucket", "api", "compute", "route",
          "/v2.1/images", "status", "200", "le", "+Inf")).isEqualTo(3);
      // The route label is a template: no raw path, no id.
      assertThat(scraped.body()).doesNotContain(missing).doesNotContain(id)
          .doesNotContain("/no/such/thing");

      // Create, upload (saving, then active): the generation moved on; it is what the image
      // listener last reported in its header.
      HttpResponse<String> latest = server.get(image + "/v2/images/" + id, token);
      long generation = Long.parseLong(
          latest.headers().firstValue("X-Glint-Catalog-Generation").orElseThrow());
      assertThat(generation).isPositive();
      assertThat(m.value("glint_catalog_generation")).isEqualTo(generation);

      assertThat(m.value("glint_image_upload_bytes_total")).isEqualTo(1000);
      assertThat(m.value("glint_image_download_bytes_total")).isEqualTo(1010);
      assertThat(m.value("glint_image_uploads_in_progress")).isEqualTo(0);

      // 3 + 1 + 1 + 1 + 1 (POST) + 1 (PUT) + 2 (GET file) token checks; all but the first
      // found the token already decrypted; the 401 had no token at all.
      assertThat(m.value("glint_token_validations_total")).isGreaterThanOrEqualTo(10);
      assertThat(m.value("glint_token_cache_hits_total")).isGreaterThanOrEqualTo(8);
      assertThat(m.value("glint_token_rejections_total")).isGreaterThanOrEqualTo(1);

      // Store pools (HikariCP's own meters), JVM memory and GC.
      assertThat(m.value("hikaricp_connections_max")).isGreaterThan(0);
      assertThat(m.value("hikaricp_connections_acquire_seconds_count")).isGreaterThan(0);
      assertThat(m.value("jvm_memory_used_bytes", "area", "heap")).isGreaterThan(0);
      assertThat(scraped.body()).contains("jvm_gc_");
    }
  }

  @Test
  void countsAnUploadInProgressUntilItEnds() throws Exception {
    try (TestServer server = TestServer.start()) {
      String token = server.demoToken();
      String image = server.imageUrl();
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(image + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"slow\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      String id = TestServer.json(created.body()).get("id").asText();
      java.io.PipedOutputStream writer = new java.io.PipedOutputStream();
      java.io.PipedInputStream body = new java.io.PipedInputStream(writer, 1 << 20);
      var upload =
          server.http().sendAsync(
              HttpRequest.newBuilder(URI.create(image + "/v2/images/" + id + "/file"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // More than a client buffers before it sends anything; the rest comes after the check.
      writer.write(new byte[256 * 1024]);
      writer.flush();
      double inProgress = 0;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (inProgress < 1 && System.nanoTime() < deadline) {
        inProgress = new Scrape(server.get(server.computeUrl() + "/metrics", null).body())
            .value("glint_image_uploads_in_progress");
        if (inProgress < 1) {
          Thread.sleep(50);
        }
      }
      assertThat(inProgress)
          .as(() -> upload.isDone() ? "upload ended early: " + upload.join().statusCode() + " "
              + upload.join().body() : "upload still running")
          .isEqualTo(1);
      writer.write(new byte[4096]);
      writer.close();
      int total = 256 * 1024 + 4096;
      assertThat(upload.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(204);
      Scrape after = new Scrape(server.get(server.computeUrl() + "/metrics", null).body());
      assertThat(after.value("glint_image_uploads_in_progress")).isEqualTo(0);
      assertThat(after.value("glint_image_upload_bytes_total")).isEqualTo(total);
    }
  }
}
