package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.awaitStatus;
import static dev.glint.image.ImageDataTest.hex;
import static dev.glint.image.ImageImportTest.OCTETS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two named file stores: upload and import targets, copy-image, removing one copy. */
class MultiStoreTest {
  static final byte[] DATA = new byte[3 << 19];
  static TestServer server;
  static ImageClient owner;
  static ImageClient admin;

  @BeforeAll
  static void start() {
    new Random(11).nextBytes(DATA);
    server =
        TestServer.start(
            Map.of(
                "enabled.backends", "fast:file, slow:file",
                "default.backend", "fast",
                "import.enabled.methods", "glance-direct,copy-image"));
    owner = ImageClient.of(server, P1, "member");
    admin = ImageClient.of(server, P1, "admin", "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Path blob(String store, String id) {
    return server.dataDir().resolve("stores").resolve(store).resolve(id);
  }

  static HttpResponse<String> uploadTo(String id, String store) {
    return server.send(
        owner
            .request("/v2/images/" + id + "/file")
            .header("Content-Type", OCTETS)
            .header("X-Image-Meta-Store", store)
            .PUT(BodyPublishers.ofByteArray(DATA))
            .build());
  }

  static String stores(String id) {
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.has("os_glance_stores")).as("the store list is Glint's own").isFalse();
    return img.path("stores").asText(null);
  }

  @Test
  void infoStoresListsTheConfiguredStoresWithTheDefaultFlagged() {
    JsonNode stores = json(owner.get("/v2/info/stores")).get("stores");
    assertThat(stores).hasSize(2);
    assertThat(stores.get(0).get("id").asText()).isEqualTo("fast");
    assertThat(stores.get(0).get("default").asText()).isEqualTo("true");
    assertThat(stores.get(1).get("id").asText()).isEqualTo("slow");
    assertThat(stores.get(1).has("default")).isFalse();
  }

  /**
   * Glance has no {@code os_glance_stores} property (it keeps the stores in locations), so its
   * generic property filter finds nothing by that name; Glint's own store list is no more a
   * filter than it is a shown property. A shown property still filters.
   */
  @Test
  void theStoreListGlintKeepsIsNoListFilter() {
    String id =
        owner.createWithData(
            "{\"name\": \"filtered\", \"disk_format\": \"raw\", \"container_format\": \"bare\","
                + " \"hw_store_probe\": \"on\"}",
            DATA);
    assertThat(server.app().catalog()
            .find(new dev.glint.catalog.CatalogScope(null, java.util.List.of("admin"), true), id)
            .orElseThrow().properties())
        .containsEntry("os_glance_stores", "fast");
    for (ImageClient c : new ImageClient[] {owner, admin}) {
      assertThat(json(c.get("/v2/images?hw_store_probe=on")).get("images"))
          .extracting(i -> i.get("id").asText())
          .containsExactly(id);
      assertThat(json(c.get("/v2/images?os_glance_stores=fast")).get("images")).isEmpty();
      assertThat(json(c.get("/v2/images?hw_store_probe=on&os_glance_stores=fast")).get("images"))
          .isEmpty();
    }
  }

  @Test
  void uploadGoesToTheStoreTheHeaderNamesOrTheDefault() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    assertThat(uploadTo(id, "slow").statusCode()).isEqualTo(204);
    assertThat(stores(id)).isEqualTo("slow");
    assertThat(blob("slow", id)).exists();
    assertThat(blob("fast", id)).doesNotExist();
    assertThat(owner.downloadHashed(id).md5()).isEqualTo(hex("MD5", DATA));

    String plain = owner.createWithData(RAW, DATA);
    assertThat(stores(plain)).isEqualTo("fast");
    assertThat(blob("fast", plain)).exists();

    String other = owner.create(RAW).get("id").asText();
    HttpResponse<String> r = uploadTo(other, "nope");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Store for identifier nope not found");
    assertThat(json(owner.get("/v2/images/" + other)).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void glanceDirectImportsIntoEveryStoreAskedAndSizeCountsOncePerStore() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    HttpResponse<String> r =
        owner.post(
            "/v2/images/" + id + "/import",
            "{\"method\": {\"name\": \"glance-direct\"}, \"stores\": [\"nope\"]}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("Store for identifier nope not found");
    r =
        owner.post(
            "/v2/images/" + id + "/import",
            "{\"method\": {\"name\": \"glance-direct\"}, \"all_stores\": true, \"stores\": [\"fast\"]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .isEqualTo(
            "All_stores parameter can't be used with x-image-meta-store header or stores parameter");
    r = owner.post("/v2/images/" + id + "/import", "{\"method\": {\"name\": \"glance-direct\"}, \"all_stores\": true}");
    assertThat(r.statusCode()).isEqualTo(202);
    awaitStatus(owner, id, "active");
    assertThat(stores(id)).isEqualTo("fast,slow");
    assertThat(blob("fast", id)).exists();
    assertThat(blob("slow", id)).exists();
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("os_glance_failed_import").asText()).isEmpty();
    assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();

    // the image's data counts once per store: 1.5 MiB twice
    ImageClient q = ImageClient.of(server, "d0000000000000000000000000000001", "member");
    String two = q.create(RAW).get("id").asText();
    assertThat(q.put("/v2/images/" + two + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    assertThat(
            q.post(
                    "/v2/images/" + two + "/import",
                    "{\"method\": {\"name\": \"glance-direct\"}, \"stores\": [\"fast\", \"slow\"]}")
                .statusCode())
        .isEqualTo(202);
    awaitStatus(q, two, "active");
    JsonNode usage = json(q.get("/v2/info/usage")).get("usage");
    assertThat(usage.get("image_size_total").get("usage").asLong()).isEqualTo(3);

    // deleting the image removes every copy
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(blob("fast", id)).doesNotExist();
    assertThat(blob("slow", id)).doesNotExist();
  }

  @Test
  void copyImageAddsAStoreForAdminsOnly() throws Exception {
    String id = owner.createWithData(RAW, DATA);
    String copy = "{\"method\": {\"name\": \"copy-image\"}, \"stores\": [\"slow\"]}";
    HttpResponse<String> r = owner.post("/v2/images/" + id + "/import", copy);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("You are not authorized to complete copy_image action.");

    r = admin.post("/v2/images/" + id + "/import", copy);
    assertThat(r.statusCode()).isEqualTo(202);
    awaitStores(id, "fast,slow");
    assertThat(Files.readAllBytes(blob("slow", id))).isEqualTo(DATA);
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("status").asText()).isEqualTo("active");
    assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
    // Set by the copy even for an uploaded image, as Glance's flow (tempest's waiter reads it).
    assertThat(img.path("os_glance_failed_import").isTextual()).as(img.toString()).isTrue();
    assertThat(img.get("os_glance_failed_import").asText()).isEmpty();
    assertThat(img.has("os_glance_import_task")).isFalse();
    JsonNode task = json(owner.get("/v2/images/" + id + "/tasks")).get("tasks").get(0);
    assertThat(task.get("status").asText()).isEqualTo("success");
    assertThat(task.get("input").get("import_req").get("method").get("name").asText())
        .isEqualTo("copy-image");

    r = admin.post("/v2/images/" + id + "/import", copy);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Image is already present at store 'slow'");
    r = admin.post("/v2/images/" + id + "/import", "{\"method\": {\"name\": \"copy-image\"}, \"all_stores\": true}");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(stores(id)).isEqualTo("fast,slow");

    String queued = owner.create(RAW).get("id").asText();
    r = admin.post("/v2/images/" + queued + "/import", copy);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("Only images with status active can be targeted for copying");
  }

  static void awaitStores(String id, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = stores(id);
      if (expected.equals(seen)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("image " + id + " is in " + seen + ", expected " + expected);
  }

  @Test
  void deleteFromStoreRemovesOneCopyButNeverTheLast() throws Exception {
    String id = owner.create(RAW).get("id").asText();
    assertThat(owner.put("/v2/images/" + id + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    assertThat(
            owner.post("/v2/images/" + id + "/import", "{\"method\": {\"name\": \"glance-direct\"}, \"all_stores\": true}")
                .statusCode())
        .isEqualTo(202);
    awaitStatus(owner, id, "active");

    // delete_image_location: members (Zed's effective default), not readers.
    HttpResponse<String> r = ImageClient.of(server, P1, "reader").delete("/v2/stores/slow/" + id);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("You are not authorized to complete delete_image_location action.");
    r = admin.delete("/v2/stores/nope/" + id);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("The selected store nope is not available on this node.");
    r = admin.delete("/v2/stores/slow/" + java.util.UUID.randomUUID());
    assertThat(r.statusCode()).isEqualTo(404);

    assertThat(admin.delete("/v2/stores/slow/" + id).statusCode()).isEqualTo(204);
    assertThat(stores(id)).isEqualTo("fast");
    assertThat(blob("slow", id)).doesNotExist();
    assertThat(owner.downloadHashed(id).md5()).isEqualTo(hex("MD5", DATA));

    r = admin.delete("/v2/stores/fast/" + id);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r))
        .isEqualTo(
            "Cannot delete image data from the only store containing it. Consider deleting the"
                + " image instead.");
    assertThat(blob("fast", id)).exists();

    String queued = owner.create(RAW).get("id").asText();
    r = admin.delete("/v2/stores/fast/" + queued);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r))
        .isEqualTo("It's not allowed to remove image data from store if image status is not 'active'");
  }

  @Test
  void aCopyAStopCutOffIsFailedAtTheNextStartAndItsUnrecordedCopyRemoved(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        dev.glint.testing.TestStores.postgres(), "start-up recovery is SQLite-only");
    Map<String, String> config =
        Map.of(
            "data.dir", dir.toString(),
            "enabled.backends", "fast:file, slow:file",
            "import.enabled.methods", "glance-direct,copy-image");
    String id;
    try (TestServer first = TestServer.start(config)) {
      ImageClient c = ImageClient.of(first, P1, "member");
      id = c.createWithData(RAW, DATA);
      // What a process killed mid-copy leaves: the lock, the store being copied to, its data.
      String image = id;
      first.app().db().writer().useHandle(
          h -> {
            h.execute(
                "INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)",
                image, "os_glance_import_task", "cut-task");
            h.execute(
                "INSERT INTO image_properties (image_id, name, value) VALUES (?, ?, ?)",
                image, "os_glance_importing_to_stores", "slow");
          });
      Files.write(dir.resolve("stores").resolve("slow").resolve(id), DATA);
    }
    try (TestServer second = TestServer.start(config)) {
      ImageClient c = ImageClient.of(second, P1, "member");
      JsonNode img = json(c.get("/v2/images/" + id));
      assertThat(img.get("status").asText()).isEqualTo("active");
      assertThat(img.get("stores").asText()).isEqualTo("fast");
      assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
      assertThat(img.get("os_glance_failed_import").asText()).isEqualTo("slow");
      assertThat(img.has("os_glance_import_task")).isFalse();
      assertThat(dir.resolve("stores").resolve("slow").resolve(id)).doesNotExist();
      assertThat(dir.resolve("stores").resolve("fast").resolve(id)).exists();
    }
  }
}
