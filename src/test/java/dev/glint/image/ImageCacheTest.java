package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cache API (v2.14) over a real on-disk cache: queue, fill, serve, evict, clear. */
class ImageCacheTest {
  /** 600 KiB: the cache (1 MiB) holds one such image, not two. */
  static final int SIZE = 600 << 10;

  static TestServer server;
  static ImageClient owner;
  static ImageClient admin;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            Map.of("image.cache.enabled", "true", "image.cache.max.size", Integer.toString(1 << 20)));
    owner = ImageClient.of(server, P1, "member");
    admin = ImageClient.of(server, P1, "admin", "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void empty() {
    assertThat(admin.delete("/v2/cache").statusCode()).isEqualTo(204);
  }

  static byte[] data(int seed) {
    byte[] b = new byte[SIZE];
    new Random(seed).nextBytes(b);
    return b;
  }

  static HttpResponse<String> queue(String id) {
    return admin.put("/v2/cache/" + id, null, null);
  }

  static List<String> cachedIds() {
    List<String> out = new ArrayList<>();
    json(admin.get("/v2/cache")).get("cached_images").forEach(e -> out.add(e.get("image_id").asText()));
    return out;
  }

  static JsonNode entry(String id) {
    for (JsonNode e : json(admin.get("/v2/cache")).get("cached_images")) {
      if (e.get("image_id").asText().equals(id)) {
        return e;
      }
    }
    return null;
  }

  static void awaitCached(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode state = json(admin.get("/v2/cache"));
      if (entry(id) != null && !state.get("queued_images").toString().contains(id)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("image " + id + " was not cached: " + admin.get("/v2/cache").body());
  }

  @Test
  void onlyAdminsUseTheCacheApi() {
    String id = owner.createWithData(RAW, data(1));
    for (HttpResponse<String> r :
        List.of(
            owner.get("/v2/cache"),
            owner.put("/v2/cache/" + id, null, null),
            owner.delete("/v2/cache/" + id),
            owner.delete("/v2/cache"))) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(message(r)).isEqualTo("Access was denied to this resource.");
    }
    assertThat(json(admin.get("/v2/cache")).get("queued_images")).isEmpty();
  }

  @Test
  void unknownImagesAre404AndOnlyActiveImagesQueue() {
    HttpResponse<String> r = queue("00000000-0000-0000-0000-00000000dead");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(message(r)).isEqualTo("Image 00000000-0000-0000-0000-00000000dead not found.");
    assertThat(admin.delete("/v2/cache/00000000-0000-0000-0000-00000000dead").statusCode())
        .isEqualTo(404);
    String queued = owner.create(RAW).get("id").asText();
    r = queue(queued);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Only images with status active can be targeted for queueing");
    assertThat(json(admin.get("/v2/cache")).get("queued_images")).isEmpty();
  }

  @Test
  void aQueuedImageIsCachedAndDownloadsAreThenServedFromTheCache() throws Exception {
    byte[] data = data(2);
    String id = owner.createWithData(RAW, data);
    HttpResponse<String> r = queue(id);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
    awaitCached(id);
    JsonNode e = entry(id);
    assertThat(e.get("size").asLong()).isEqualTo(SIZE);
    assertThat(e.get("hits").asLong()).isZero();
    assertThat(server.dataDir().resolve("image-cache").resolve(id)).exists();

    // The store's copy gone, the download still brings the data: it came from the cache.
    Path stored = server.dataDir().resolve("images").resolve(id);
    Path aside = stored.resolveSibling(id + ".aside");
    Files.move(stored, aside);
    try {
      ImageClient.Download d = owner.downloadHashed(id);
      assertThat(d.status()).isEqualTo(200);
      assertThat(d.md5()).isEqualTo(hex("MD5", data));
      assertThat(entry(id).get("hits").asLong()).isEqualTo(1);
      // A range too.
      HttpResponse<String> part =
          server.send(owner.request("/v2/images/" + id + "/file").header("Range", "bytes=0-9").GET().build());
      assertThat(part.statusCode()).isEqualTo(206);
      assertThat(entry(id).get("hits").asLong()).isEqualTo(2);
    } finally {
      Files.move(aside, stored);
    }

    // Dropped from the cache: downloads read the store again.
    assertThat(admin.delete("/v2/cache/" + id).statusCode()).isEqualTo(204);
    assertThat(cachedIds()).doesNotContain(id);
    assertThat(server.dataDir().resolve("image-cache").resolve(id)).doesNotExist();
    assertThat(owner.downloadHashed(id).md5()).isEqualTo(hex("MD5", data));
  }

  @Test
  void theLeastRecentlyUsedImageIsEvictedToStayWithinTheLimit() throws Exception {
    String first = owner.createWithData(RAW, data(3));
    String second = owner.createWithData(RAW, data(4));
    assertThat(queue(first).statusCode()).isEqualTo(202);
    awaitCached(first);
    assertThat(queue(second).statusCode()).isEqualTo(202);
    awaitCached(second);
    assertThat(cachedIds()).contains(second).doesNotContain(first);
    assertThat(server.dataDir().resolve("image-cache").resolve(first)).doesNotExist();
  }

  @Test
  void deletingTheImageDropsItsCachedCopy() throws Exception {
    String id = owner.createWithData(RAW, data(5));
    assertThat(queue(id).statusCode()).isEqualTo(202);
    awaitCached(id);
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(cachedIds()).doesNotContain(id);
    assertThat(server.dataDir().resolve("image-cache").resolve(id)).doesNotExist();
  }

  @Test
  void clearTakesTheTargetHeader() throws Exception {
    String id = owner.createWithData(RAW, data(6));
    assertThat(queue(id).statusCode()).isEqualTo(202);
    awaitCached(id);
    HttpResponse<String> r =
        server.send(admin.request("/v2/cache").header("x-image-cache-clear-target", "invalid").DELETE().build());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .isEqualTo("If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.");
    r = server.send(admin.request("/v2/cache").header("x-image-cache-clear-target", "queue").DELETE().build());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(cachedIds()).contains(id);
    r = server.send(admin.request("/v2/cache").header("x-image-cache-clear-target", "cache").DELETE().build());
    assertThat(r.statusCode()).isEqualTo(204);
    JsonNode state = json(admin.get("/v2/cache"));
    assertThat(state.get("cached_images")).isEmpty();
    assertThat(state.get("queued_images")).isEmpty();
  }

  @Test
  void withTheCacheOffTheApiIsNotThere() {
    try (TestServer off = TestServer.start()) {
      ImageClient a = ImageClient.of(off, P1, "admin");
      assertThat(a.get("/v2/cache").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void withTheCacheTheVersionDocumentCallsV216Current() {
    com.fasterxml.jackson.databind.JsonNode versions =
        ImageClient.json(owner.get("/versions")).get("versions");
    assertThat(versions.get(0).get("id").asText()).isEqualTo("v2.16");
    assertThat(versions.get(0).get("status").asText()).isEqualTo("CURRENT");
    assertThat(versions.get(1).get("id").asText()).isEqualTo("v2.15");
    assertThat(versions.get(1).get("status").asText()).isEqualTo("SUPPORTED");
  }
}
