package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog generation as operators see it ({@code X-Glint-Catalog-Generation} on every image
 * and compute response), and status moves refused by the one table as 409s over HTTP.
 */
class CatalogGenerationHttpTest {
  static final String PROJECT = "7a6b5c4d3e2f10293847566574839201";
  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    token = server.tokenFor(PROJECT, "member", "reader");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyResponseCarriesTheGenerationAndWritesAdvanceIt() {
    HttpResponse<String> list = send(image("/v2/images").GET());
    long g = generation(list);
    assertThat(g).isEqualTo(server.app().catalog().generation().current());

    HttpResponse<String> created =
        send(
            image("/v2/images")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\": \"gen\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(generation(created)).as("the write's own response").isEqualTo(g + 1);
    String id = TestServer.json(created.body()).path("id").asText();

    HttpResponse<String> tagged = send(image("/v2/images/" + id + "/tags/x").PUT(BodyPublishers.noBody()));
    assertThat(tagged.statusCode()).isEqualTo(204);
    assertThat(generation(tagged)).isEqualTo(g + 2);

    HttpResponse<String> compute = send(compute("/v2.1/" + PROJECT + "/images/" + id).GET());
    assertThat(compute.statusCode()).isEqualTo(200);
    assertThat(compute.headers().firstValue(CatalogGeneration.HEADER))
        .as("the compute listener keeps Nova's header set")
        .isEmpty();

    // Refusals and reads do not advance it, and carry it too.
    HttpResponse<String> missing = send(image("/v2/images/" + java.util.UUID.randomUUID()).GET());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(generation(missing)).isEqualTo(g + 2);
    HttpResponse<String> unauthenticated =
        server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images")).GET().build());
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(generation(unauthenticated)).isEqualTo(g + 2);
  }

  @Test
  void aForbiddenStatusMoveIsA409InGlancesFormat() {
    HttpResponse<String> created =
        send(
            image("/v2/images")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(
                    "{\"name\": \"moves\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}")));
    String id = TestServer.json(created.body()).path("id").asText();
    assertThat(upload(id).statusCode()).isEqualTo(204);
    long g = server.app().catalog().generation().current();

    HttpResponse<String> again = upload(id);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("Image status transition from active to saving is not allowed");
    assertThat(generation(again)).isEqualTo(g);

    assertThat(send(image("/v2/images/" + id + "/actions/deactivate").POST(BodyPublishers.noBody()))
            .statusCode())
        .isEqualTo(204);
    HttpResponse<String> deactivated = upload(id);
    assertThat(deactivated.statusCode()).isEqualTo(409);
    assertThat(deactivated.body())
        .contains("Image status transition from deactivated to saving is not allowed");
  }

  static HttpResponse<String> upload(String id) {
    return send(
        image("/v2/images/" + id + "/file")
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofByteArray(new byte[] {1, 2, 3})));
  }

  static long generation(HttpResponse<String> r) {
    return Long.parseLong(
        r.headers().firstValue(CatalogGeneration.HEADER).orElseThrow(
            () -> new AssertionError("no " + CatalogGeneration.HEADER + " on " + r.uri())));
  }

  static HttpRequest.Builder image(String path) {
    return request(server.imageUrl() + path);
  }

  static HttpRequest.Builder compute(String path) {
    return request(server.computeUrl() + path);
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("X-Auth-Token", token)
        .header("Accept", "application/json");
  }

  static HttpResponse<String> send(HttpRequest.Builder b) {
    return server.send(b.build());
  }
}
