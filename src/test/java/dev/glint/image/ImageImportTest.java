package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.P2;
import static dev.glint.image.ImageDataTest.awaitStatus;
import static dev.glint.image.ImageDataTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interoperable import ({@code glance-direct}), {@code /v2/info/*} and the {@code stores} field. */
class ImageImportTest {
  static final String OCTETS = "application/octet-stream";
  static final String DIRECT = "{\"method\": {\"name\": \"glance-direct\"}}";
  static TestServer server;
  static ImageClient owner;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<Path> staged(TestServer s) throws IOException {
    try (Stream<Path> files = Files.list(s.dataDir().resolve("staging"))) {
      return files.toList();
    }
  }

  @Test
  void infoImportListsGlanceDirect() {
    HttpResponse<String> r = owner.get("/v2/info/import");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode methods = json(r).get("import-methods");
    assertThat(methods.get("description").asText()).isEqualTo("Import methods available.");
    assertThat(methods.get("type").asText()).isEqualTo("array");
    assertThat(methods.get("value")).hasSize(1);
    assertThat(methods.get("value").get(0).asText()).isEqualTo("glance-direct");
  }

  @Test
  void infoStoresListsTheOneDefaultStore() {
    HttpResponse<String> r = owner.get("/v2/info/stores");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode stores = json(r).get("stores");
    assertThat(stores).hasSize(1);
    assertThat(stores.get(0).get("id").asText()).isEqualTo("file");
    assertThat(stores.get(0).get("default").asText()).isEqualTo("true");
  }

  @Test
  void activeImagesShowTheirStoreOnShowAndList() {
    String queued = owner.create(RAW).get("id").asText();
    assertThat(json(owner.get("/v2/images/" + queued)).has("stores")).isFalse();
    String active = owner.createWithData(RAW, new byte[10]);
    assertThat(json(owner.get("/v2/images/" + active)).get("stores").asText()).isEqualTo("file");
    JsonNode list = json(owner.get("/v2/images?id=in:" + active + "," + queued)).get("images");
    for (JsonNode img : list) {
      assertThat(img.has("stores")).isEqualTo(img.get("id").asText().equals(active));
    }
    assertThat(list).hasSize(2);
  }

  @Test
  void stageThenImportMakesTheImageActiveWithGlancesReservedProperties() throws Exception {
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    String id = owner.create(RAW).get("id").asText();
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, data).statusCode()).isEqualTo(204);
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("status").asText()).isEqualTo("uploading");
    assertThat(img.has("stores")).isFalse();
    assertThat(staged(server)).anyMatch(p -> p.getFileName().toString().equals(id));

    HttpResponse<String> r = owner.post("/v2/images/" + id + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(202);
    awaitStatus(owner, id, "active");
    img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("size").asLong()).isEqualTo(data.length);
    assertThat(img.get("checksum").asText()).isEqualTo(hex("MD5", data));
    assertThat(img.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", data));
    assertThat(img.get("stores").asText()).isEqualTo("file");
    assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
    assertThat(img.get("os_glance_failed_import").asText()).isEmpty();
    assertThat(img.has("os_glance_import_task")).isFalse();
    assertThat(staged(server)).noneMatch(p -> p.getFileName().toString().startsWith(id));
    HttpResponse<byte[]> down =
        server.http()
            .send(owner.request("/v2/images/" + id + "/file").GET().build(), BodyHandlers.ofByteArray());
    assertThat(down.body()).isEqualTo(data);
    // the reserved properties are Glint's alone
    HttpResponse<String> patch =
        owner.patch(
            id, "[{\"op\": \"add\", \"path\": \"/os_glance_failed_import\", \"value\": \"x\"}]");
    assertThat(patch.statusCode()).isEqualTo(403);
  }

  @Test
  void importErrorsAreGlances() {
    String id = owner.create(RAW).get("id").asText();
    HttpResponse<String> r = owner.post("/v2/images/" + id + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r))
        .contains("Image needs to be staged before 'glance-direct' method can be used");

    r = owner.post("/v2/images/" + id + "/import", "{\"method\": {\"name\": \"web-dl\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Unknown import method name 'web-dl'.");
    r = owner.post("/v2/images/" + id + "/import", "{}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Import request requires a 'method' field.");
    r = owner.post("/v2/images/" + id + "/import", "{\"method\": {}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).contains("Import request requires a 'name' field.");
    r =
        owner.post(
            "/v2/images/" + id + "/import",
            "{\"method\": {\"name\": \"glance-direct\"}, \"all_stores\": \"yes\"}");
    assertThat(r.statusCode()).isEqualTo(400);

    String active = owner.createWithData(RAW, new byte[4]);
    r = owner.post("/v2/images/" + active + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).contains("Image with status active cannot be target for import");
    assertThat(owner.put("/v2/images/" + active + "/stage", OCTETS, new byte[4]).statusCode())
        .isEqualTo(409);

    assertThat(owner.put("/v2/images/" + id + "/stage", "text/plain", new byte[4]).statusCode())
        .isEqualTo(415);
    assertThat(owner.post("/v2/images/00000000-0000-0000-0000-000000000000/import", DIRECT).statusCode())
        .isEqualTo(404);

    // another project neither stages nor imports
    ImageClient other = ImageClient.of(server, P2, "member");
    assertThat(other.put("/v2/images/" + id + "/stage", OCTETS, new byte[4]).statusCode())
        .isEqualTo(404);
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, new byte[4]).statusCode())
        .isEqualTo(204);
    assertThat(other.post("/v2/images/" + id + "/import", DIRECT).statusCode()).isEqualTo(404);
    // staged twice: the image is no longer queued
    r = owner.put("/v2/images/" + id + "/stage", OCTETS, new byte[4]);
    assertThat(r.statusCode()).isEqualTo(409);
    // formats are needed to import
    String bare = owner.create("{}").get("id").asText();
    assertThat(owner.put("/v2/images/" + bare + "/stage", OCTETS, new byte[4]).statusCode())
        .isEqualTo(204);
    r = owner.post("/v2/images/" + bare + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).contains("'container_format' needs to be set before import");
  }

  @Test
  void deletingAStagedImageDropsTheStagedData() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, new byte[8]).statusCode())
        .isEqualTo(204);
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(staged(server)).noneMatch(p -> p.getFileName().toString().startsWith(id));
  }

  @Test
  void aCutOffStageLeavesTheImageQueuedAndNothingStaged() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    int port = URI.create(server.imageUrl()).getPort();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /v2/images/" + id + "/stage HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: "
                  + owner.token
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 900000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      awaitStatus(owner, id, "uploading");
    }
    awaitStatus(owner, id, "queued");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline
        && staged(server).stream().anyMatch(p -> p.getFileName().toString().startsWith(id))) {
      Thread.sleep(20);
    }
    assertThat(staged(server)).noneMatch(p -> p.getFileName().toString().startsWith(id));
    // and the stage can be retried
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, new byte[5]).statusCode())
        .isEqualTo(204);
  }

  @Test
  void importsAndStagesAStopCutOffAreFailedAtTheNextStart(@TempDir Path dir) throws Exception {
    // As for uploads: only a SQLite catalog belongs to one process.
    Assumptions.assumeFalse(TestStores.postgres(), "start-up recovery is SQLite-only");
    Map<String, String> config = Map.of("data.dir", dir.toString());
    String importing;
    String cutStage;
    String staged;
    try (TestServer first = TestServer.start(config)) {
      ImageClient client = ImageClient.of(first, P1, "member");
      importing = client.create(RAW).get("id").asText();
      cutStage = client.create(RAW).get("id").asText();
      staged = client.create(RAW).get("id").asText();
      assertThat(client.put("/v2/images/" + staged + "/stage", OCTETS, new byte[6]).statusCode())
          .isEqualTo(204);
      // What a process killed mid-import / mid-stage leaves behind.
      String a = importing;
      String b = cutStage;
      first.app().db().writer().useHandle(
          h -> {
            h.execute("UPDATE images SET status = 'importing' WHERE id = ?", a);
            h.execute("UPDATE images SET status = 'uploading' WHERE id = ?", b);
          });
      Files.write(dir.resolve("staging").resolve(importing), new byte[10]);
      Files.write(dir.resolve("staging").resolve(cutStage + ".tmp-killed"), new byte[10]);
    }
    try (TestServer second = TestServer.start(config)) {
      ImageClient client = ImageClient.of(second, P1, "member");
      JsonNode img = json(client.get("/v2/images/" + importing));
      assertThat(img.get("status").asText()).isEqualTo("queued");
      assertThat(img.get("os_glance_failed_import").asText()).isEqualTo("file");
      assertThat(json(client.get("/v2/images/" + cutStage)).get("status").asText())
          .isEqualTo("queued");
      // a completed stage survives and can still be imported
      assertThat(json(client.get("/v2/images/" + staged)).get("status").asText())
          .isEqualTo("uploading");
      assertThat(staged(second)).extracting(p -> p.getFileName().toString()).containsExactly(staged);
      assertThat(client.post("/v2/images/" + staged + "/import", DIRECT).statusCode()).isEqualTo(202);
      awaitStatus(client, staged, "active");
    }
  }
}
