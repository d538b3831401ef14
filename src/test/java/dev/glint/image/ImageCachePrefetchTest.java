package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.RAW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's prefetcher with an interval ({@code image.cache.prefetcher.interval}, Glance Train
 * to Yoga's {@code cache_prefetcher_interval}): a queued image stays queued until the next run,
 * the queue outlives a restart, and a run caches what is active, keeps what is not, and drops what
 * is gone. Without an interval (ImageCacheTest) an image is cached at once, as in Glance Zed.
 */
class ImageCachePrefetchTest {

  static TestServer start(Path dir, int intervalSeconds) {
    Map<String, String> config = new HashMap<>();
    config.put("data.dir", dir.toString());
    config.put("image.cache.enabled", "true");
    config.put("image.cache.prefetcher.interval", Integer.toString(intervalSeconds));
    return TestServer.start(config);
  }

  static byte[] data(int seed) {
    byte[] b = new byte[4096];
    new Random(seed).nextBytes(b);
    return b;
  }

  static List<String> ids(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(field == null ? e.asText() : e.get(field).asText()));
    return out;
  }

  static List<String> queued(ImageClient admin) {
    return ids(json(admin.get("/v2/cache")).get("queued_images"), null);
  }

  static List<String> cached(ImageClient admin) {
    return ids(json(admin.get("/v2/cache")).get("cached_images"), "image_id");
  }

  /** Polls the cache state until {@code done} holds of it (a few prefetch runs at most). */
  static JsonNode await(ImageClient admin, Predicate<JsonNode> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode state = null;
    while (System.nanoTime() < deadline) {
      state = json(admin.get("/v2/cache"));
      if (done.test(state)) {
        return state;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(what + ": " + state);
  }

  static boolean listed(JsonNode state, String list, String id) {
    return state.get(list).toString().contains(id);
  }

  @Test
  void aQueuedImageWaitsForTheNextRunAndTheQueueOutlivesARestart(@TempDir Path dir)
      throws Exception {
    String active;
    String deactivated;
    try (TestServer server = start(dir, 3600)) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      ImageClient admin = ImageClient.of(server, P1, "admin", "member");
      active = owner.createWithData(RAW, data(1));
      deactivated = owner.createWithData(RAW, data(2));
      assertThat(admin.put("/v2/cache/" + active, null, null).statusCode()).isEqualTo(202);
      assertThat(admin.put("/v2/cache/" + deactivated, null, null).statusCode()).isEqualTo(202);
      // Queued, in order, and nothing copied: the prefetcher has not run (an hour away). Without
      // the interval the worker would have cached both within milliseconds.
      Thread.sleep(1500);
      JsonNode state = json(admin.get("/v2/cache"));
      assertThat(ids(state.get("queued_images"), null)).containsExactly(active, deactivated);
      assertThat(state.get("cached_images")).isEmpty();
      assertThat(server.dataDir().resolve("image-cache").resolve(active)).doesNotExist();
      // Queueing again changes nothing.
      assertThat(admin.put("/v2/cache/" + active, null, null).statusCode()).isEqualTo(202);
      assertThat(queued(admin)).containsExactly(active, deactivated);
      assertThat(admin.post("/v2/images/" + deactivated + "/actions/deactivate", null).statusCode())
          .isEqualTo(204);
    }
    // An entry for an image that no longer exists (deleted through another node, purged).
    String gone = UUID.randomUUID().toString();
    Path queueDir = dir.resolve("image-cache").resolve("queue.d");
    Files.writeString(queueDir.resolve(gone), "99", StandardCharsets.US_ASCII);

    // The queue is read back in its order (no run due for an hour)...
    try (TestServer server = start(dir, 3600)) {
      ImageClient admin = ImageClient.of(server, P1, "admin", "member");
      assertThat(queued(admin)).containsExactly(active, deactivated, gone);
    }
    // ... and a prefetcher that runs every second works through it.
    try (TestServer server = start(dir, 1)) {
      ImageClient admin = ImageClient.of(server, P1, "admin", "member");
      // A run caches the active image, drops the gone one, keeps the deactivated one queued.
      JsonNode state =
          await(
              admin,
              s -> listed(s, "cached_images", active) && !listed(s, "queued_images", gone),
              "the active image cached, the gone one dropped");
      assertThat(ids(state.get("queued_images"), null)).containsExactly(deactivated);
      Thread.sleep(2500); // two more runs: still not cached
      assertThat(queued(admin)).containsExactly(deactivated);
      assertThat(cached(admin)).containsExactly(active);
      // Active again: the next run caches it.
      assertThat(admin.post("/v2/images/" + deactivated + "/actions/reactivate", null).statusCode())
          .isEqualTo(204);
      state =
          await(
              admin,
              s -> listed(s, "cached_images", deactivated) && s.get("queued_images").isEmpty(),
              "the reactivated image cached");
      assertThat(ids(state.get("cached_images"), "image_id")).contains(active, deactivated);
      // Queueing a cached image leaves it as it is (Glance: "Already cached").
      assertThat(admin.put("/v2/cache/" + active, null, null).statusCode()).isEqualTo(202);
      assertThat(queued(admin)).isEmpty();
      assertThat(dir.resolve("image-cache").resolve("queue.d")).isEmptyDirectory();
    }
  }

  /** tempest's test_image_caching_cycle: queued at once, then cached by the next run. */
  @Test
  void anImageQueuedIntoAnEmptyQueueIsListedQueuedThenCached(@TempDir Path dir) throws Exception {
    try (TestServer server = start(dir, 2)) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      ImageClient admin = ImageClient.of(server, P1, "admin", "member");
      Thread.sleep(2100); // an idle prefetcher has no run due: the interval starts at the queueing
      for (int seed = 4; seed < 6; seed++) {
        String id = owner.createWithData(RAW, data(seed));
        long queuedAt = System.nanoTime();
        assertThat(admin.put("/v2/cache/" + id, null, null).statusCode()).isEqualTo(202);
        JsonNode state = json(admin.get("/v2/cache"));
        if (System.nanoTime() - queuedAt < Duration.ofMillis(1500).toNanos()) {
          assertThat(ids(state.get("queued_images"), null)).containsExactly(id);
          assertThat(ids(state.get("cached_images"), "image_id")).doesNotContain(id);
        }
        await(
            admin,
            s -> listed(s, "cached_images", id) && s.get("queued_images").isEmpty(),
            "image " + id + " cached");
      }
    }
  }

  @Test
  void aCacheEntryWhoseImageIsGoneCanStillBeDeleted(@TempDir Path dir) throws Exception {
    String gone = UUID.randomUUID().toString();
    String goneCopy = UUID.randomUUID().toString();
    Path queueDir = Files.createDirectories(dir.resolve("image-cache").resolve("queue.d"));
    Files.writeString(queueDir.resolve(gone), "0", StandardCharsets.US_ASCII);
    Files.write(dir.resolve("image-cache").resolve(goneCopy), data(3));
    try (TestServer server = start(dir, 3600)) {
      ImageClient admin = ImageClient.of(server, P1, "admin", "member");
      ImageClient owner = ImageClient.of(server, P1, "member");
      assertThat(queued(admin)).containsExactly(gone);
      assertThat(cached(admin)).containsExactly(goneCopy);
      // Glance's delete_cache_entry: an unknown image is a 404 unless the cache or queue holds it.
      HttpResponse<String> r = owner.delete("/v2/cache/" + gone);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(admin.delete("/v2/cache/" + gone).statusCode()).isEqualTo(204);
      assertThat(admin.delete("/v2/cache/" + goneCopy).statusCode()).isEqualTo(204);
      JsonNode state = json(admin.get("/v2/cache"));
      assertThat(state.get("queued_images")).isEmpty();
      assertThat(state.get("cached_images")).isEmpty();
      assertThat(queueDir.resolve(gone)).doesNotExist();
      assertThat(dir.resolve("image-cache").resolve(goneCopy)).doesNotExist();
      r = admin.delete("/v2/cache/" + gone);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(message(r)).isEqualTo("Image " + gone + " not found.");
    }
  }

  @Test
  void theIntervalIsAWholeNumberOfSecondsNotNegative() {
    dev.glint.config.ConfigLoader loader = dev.glint.config.ConfigLoader.defaults();
    assertThat(loader.build().cache().prefetchInterval()).isEqualTo(Duration.ZERO);
    loader.set("image.cache.prefetcher.interval", "300");
    assertThat(loader.build().cache().prefetchInterval()).isEqualTo(Duration.ofSeconds(300));
    loader.set("image.cache.prefetcher.interval", "-1");
    org.assertj.core.api.Assertions.assertThatThrownBy(loader::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image.cache.prefetcher.interval must be 0 or more");
  }
}
