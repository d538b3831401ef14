package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestImages;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full disk (issue 10): the file store on a 2 MiB tmpfs mount. An upload larger than the space
 * answers Glance's 413 "storage media is full", with no path in the body and no temp file left,
 * and the image stays queued; once there is room it takes an upload. Needs root (mount); skipped
 * where mounting is not permitted.
 */
class FullDiskTest {
  static final String RAW = "{\"disk_format\": \"raw\", \"container_format\": \"bare\"}";
  Path dataDir;
  Path store;
  TestServer server;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    dataDir = Files.createTempDirectory("glint-full-disk");
    store = Files.createDirectories(dataDir.resolve("images"));
    int status = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", store.toString());
    if (status != 0) {
      store = null;
      Assumptions.abort("cannot mount a tmpfs here (not root?): mount exited " + status);
    }
    server = TestServer.start(Map.of("data.dir", dataDir.toString()));
  }

  @AfterEach
  void unmount() throws Exception {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      run("umount", store.toString());
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private List<String> storeFiles() throws IOException {
    try (Stream<Path> files = Files.list(store)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  @Test
  void anUploadLargerThanTheDiskIs413WithoutAPathAndLeavesNothing() throws Exception {
    ImageClient client = ImageClient.of(server, TestImages.DEMO, "member", "reader");
    String id = client.create(RAW).get("id").asText();
    // Chunked, 3 MiB: the store can only find out mid-stream.
    HttpRequest put =
        client
            .request("/v2/images/" + id + "/file")
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofInputStream(() -> new ImageDataTest.Generated(3L << 20, 7)))
            .build();
    HttpResponse<String> r = server.send(put);

    assertThat(r.statusCode()).as(r.body()).isIn(413, 503);
    JsonNode body = ImageClient.json(r);
    // Glance's (webob's) fault body: {"message", "code": "413 Request Entity Too Large", "title"}.
    assertThat(body.path("code").asText()).as(r.body()).startsWith(r.statusCode() + " ");
    assertThat(ImageClient.message(r)).startsWith("Image storage media is full");
    assertThat(r.body())
        .doesNotContain(dataDir.toString())
        .doesNotContain(store.toString())
        .doesNotContain("/tmp")
        .doesNotContainIgnoringCase("exception");
    assertThat(storeFiles()).as("no temp file left").isEmpty();
    JsonNode image = ImageClient.json(client.get("/v2/images/" + id));
    assertThat(image.path("status").asText()).isEqualTo("queued");
    assertThat(image.path("size").isNull()).isTrue();

    // The space came back with the temp file: a smaller upload fits.
    byte[] small = new byte[512 * 1024];
    assertThat(client.put("/v2/images/" + id + "/file", "application/octet-stream", small).statusCode())
        .isEqualTo(204);
    assertThat(ImageClient.json(client.get("/v2/images/" + id)).path("status").asText())
        .isEqualTo("active");
    assertThat(storeFiles()).containsExactly(id);
  }
}
