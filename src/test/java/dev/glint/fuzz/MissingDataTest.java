package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.App;
import dev.glint.config.ConfigLoader;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a node never answers for image data it cannot reach. An active image whose data is
 * missing is a 503 with Retry-After, never a 204; and with PostgreSQL, Glint refuses to start on
 * a file store that is not declared shared.
 */
class MissingDataTest {
  @TempDir Path tmp;

  @Test
  void anActiveImageWhoseDataIsMissingIs503NotNoContent() throws Exception {
    try (TestServer server = TestServer.start()) {
      String token = server.tokenFor("missing", "member");
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"m\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      String id = TestServer.json(created.body()).get("id").asText();
      HttpResponse<String> upload =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofString("five megabytes in real life"))
                  .build());
      assertThat(upload.statusCode()).isEqualTo(204);
      try (Stream<Path> files = Files.list(server.dataDir().resolve("images"))) {
        for (Path f : files.filter(p -> p.getFileName().toString().contains(id)).toList()) {
          Files.delete(f);
        }
      }
      HttpResponse<String> download =
          server.get(server.imageUrl() + "/v2/images/" + id + "/file", token, "Accept", "application/json");
      assertThat(download.statusCode()).isEqualTo(503);
      assertThat(download.headers().firstValue("Retry-After")).isPresent();
      assertThat(download.body()).doesNotContain(server.dataDir().toString());
    }
  }

  @Test
  void postgresqlWithAnUnsharedFileStoreRefusesToStart() {
    ConfigLoader loader = ConfigLoader.defaults();
    loader.set("data.dir", tmp.toString());
    loader.set("store.url", "jdbc:postgresql://127.0.0.1:1/none");
    IllegalArgumentException e = null;
    try (App app = App.open(loader.build())) {
      // must not get here
    } catch (IllegalArgumentException refused) {
      e = refused;
    }
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("blob.file.shared=true").contains("blob.store=s3");
  }
}
