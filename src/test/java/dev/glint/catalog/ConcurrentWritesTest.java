package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many writers on one image at once, through the real server and all three write paths (image
 * service tags, image service JSON patch, compute metadata), on real threads: every acknowledged
 * write is there afterwards, every refusal is a 409 in its API's fault format, nothing answers
 * 5xx. Runs on SQLite and, in the PostgreSQL execution, on PostgreSQL (issue 8).
 */
class ConcurrentWritesTest {
  static final String OWNER = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  static final String PATCH = "application/openstack-images-v2.1-json-patch";

  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    // Sixty writers queue on one image (on SQLite, on the one writer connection). On a loaded
    // machine (CI, seven builds on two cores) the queue can outlast the default 5 s busy timeout,
    // which answers 503 + Retry-After by design (overload, not conflict: nothing is lost). The
    // test is about conflicts and lost writes, so it gives the queue room.
    server = TestServer.start(java.util.Map.of("store.busy.timeout.ms", "30000"));
    token = server.tokenFor(OWNER, "member", "reader");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One write: what was asked, and how it was answered. */
  record Outcome(String kind, String key, int status, String body) {}

  @Test
  void sixtyConcurrentWritesThroughThreePathsLoseNothing() throws Exception {
    String id = createImage("{\"name\": \"busy\", \"visibility\": \"private\"}");
    List<Function<Integer, Outcome>> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      writes.add(n -> tag("tag-" + n, id));
      writes.add(n -> patchAdd("prop_" + n, id));
      writes.add(n -> metadataPost("meta_" + n, id));
    }
    List<Outcome> outcomes = runAtOnce(writes);

    JsonNode image = TestServer.json(image(id).body());
    Set<String> tags = new TreeSet<>();
    image.path("tags").forEach(t -> tags.add(t.asText()));
    assertNo5xx(outcomes);
    int acknowledged = 0;
    for (Outcome o : outcomes) {
      if (o.status() / 100 != 2) {
        assertConflict(o);
        continue;
      }
      acknowledged++;
      switch (o.kind()) {
        case "tag" -> assertThat(tags).as("acknowledged tag").contains(o.key());
        case "patch", "metadata" ->
            assertThat(image.path(o.key()).asText()).as("acknowledged " + o.kind()).isEqualTo(
                "v-" + o.key());
        default -> throw new IllegalStateException(o.kind());
      }
    }
    // Merges do not conflict with each other under this scheme: all sixty go through.
    assertThat(acknowledged).isEqualTo(60);
  }

  @Test
  void concurrentDeactivateAndReactivateAnswerOnlySuccessOrConflict() throws Exception {
    String id = createImage(
        "{\"name\": \"flip\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    HttpResponse<String> upload =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4}))
                .build());
    assertThat(upload.statusCode()).isEqualTo(204);
    List<Function<Integer, Outcome>> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String action = i % 2 == 0 ? "deactivate" : "reactivate";
      writes.add(n -> action(action, id));
      writes.add(n -> tag("t-" + n, id));
    }
    List<Outcome> outcomes = runAtOnce(writes);
    assertNo5xx(outcomes);
    for (Outcome o : outcomes) {
      if (o.status() / 100 != 2) {
        assertConflict(o);
      }
    }
    JsonNode image = TestServer.json(image(id).body());
    assertThat(image.path("status").asText()).isIn("active", "deactivated");
    Set<String> tags = new TreeSet<>();
    image.path("tags").forEach(t -> tags.add(t.asText()));
    outcomes.stream()
        .filter(o -> o.kind().equals("tag") && o.status() == 204)
        .forEach(o -> assertThat(tags).contains(o.key()));
  }

  @Test
  void concurrentMemberChangesKeepEveryAcknowledgedMember() throws Exception {
    String id = createImage("{\"name\": \"shared\", \"visibility\": \"shared\"}");
    List<Function<Integer, Outcome>> writes = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      writes.add(n -> addMember(id, String.format("%032x", n)));
    }
    // The same member four times at once: exactly one is added, the others are duplicates (409).
    for (int i = 0; i < 4; i++) {
      writes.add(n -> addMember(id, "ffffffffffffffffffffffffffffffff"));
    }
    List<Outcome> outcomes = runAtOnce(writes);
    assertNo5xx(outcomes);
    outcomes.stream().filter(o -> o.status() / 100 != 2).forEach(ConcurrentWritesTest::assertConflict);
    assertThat(outcomes.stream().filter(o -> o.key().startsWith("ffff") && o.status() == 200))
        .hasSize(1);

    HttpResponse<String> list =
        server.send(request(server.imageUrl() + "/v2/images/" + id + "/members").GET().build());
    Set<String> members = new TreeSet<>();
    TestServer.json(list.body()).path("members").forEach(m -> members.add(m.path("member_id").asText()));
    outcomes.stream()
        .filter(o -> o.status() == 200)
        .forEach(o -> assertThat(members).contains(o.key()));
    assertThat(members).hasSize(17);

    // Each member accepts while the owner removes half of them: all answers are 2xx, 404 or 409.
    List<Function<Integer, Outcome>> changes = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String member = String.format("%032x", i);
      changes.add(n -> acceptAs(id, member));
      if (i % 2 == 0) {
        changes.add(n -> removeMember(id, member));
      }
    }
    List<Outcome> second = runAtOnce(changes);
    assertNo5xx(second);
    for (Outcome o : second) {
      assertThat(o.status()).as(o.toString()).isIn(200, 204, 404, 409);
    }
    list = server.send(request(server.imageUrl() + "/v2/images/" + id + "/members").GET().build());
    Set<String> after = new TreeSet<>();
    TestServer.json(list.body()).path("members").forEach(m -> after.add(m.path("member_id").asText()));
    second.stream()
        .filter(o -> o.kind().equals("remove") && o.status() == 204)
        .forEach(o -> assertThat(after).doesNotContain(o.key()));
    assertThat(after).hasSize(9);
  }

  // ---- the writes ----

  Outcome tag(String tag, String id) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id + "/tags/" + tag)
                .PUT(BodyPublishers.noBody())
                .build());
    return new Outcome("tag", tag, r.statusCode(), r.body());
  }

  Outcome patchAdd(String key, String id) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id)
                .header("Content-Type", PATCH)
                .method(
                    "PATCH",
                    BodyPublishers.ofString(
                        "[{\"op\": \"add\", \"path\": \"/" + key + "\", \"value\": \"v-" + key
                            + "\"}]"))
                .build());
    return new Outcome("patch", key, r.statusCode(), r.body());
  }

  Outcome metadataPost(String key, String id) {
    HttpResponse<String> r =
        server.send(
            request(server.computeUrl() + "/v2.1/" + OWNER + "/images/" + id + "/metadata")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(
                    "{\"metadata\": {\"" + key + "\": \"v-" + key + "\"}}"))
                .build());
    return new Outcome("metadata", key, r.statusCode(), r.body());
  }

  Outcome action(String action, String id) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id + "/actions/" + action)
                .POST(BodyPublishers.noBody())
                .build());
    return new Outcome(action, action, r.statusCode(), r.body());
  }

  Outcome addMember(String id, String member) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id + "/members")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"member\": \"" + member + "\"}"))
                .build());
    return new Outcome("member", member, r.statusCode(), r.body());
  }

  Outcome acceptAs(String id, String member) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(
                    URI.create(server.imageUrl() + "/v2/images/" + id + "/members/" + member))
                .timeout(Duration.ofSeconds(60))
                .header("X-Auth-Token", server.tokenFor(member, "member", "reader"))
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString("{\"status\": \"accepted\"}"))
                .build());
    return new Outcome("accept", member, r.statusCode(), r.body());
  }

  Outcome removeMember(String id, String member) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images/" + id + "/members/" + member)
                .DELETE()
                .build());
    return new Outcome("remove", member, r.statusCode(), r.body());
  }

  // ---- helpers ----

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("X-Auth-Token", token)
        .header("Accept", "application/json");
  }

  static String createImage(String json) {
    HttpResponse<String> r =
        server.send(
            request(server.imageUrl() + "/v2/images")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return TestServer.json(r.body()).path("id").asText();
  }

  static HttpResponse<String> image(String id) {
    return server.send(request(server.imageUrl() + "/v2/images/" + id).GET().build());
  }

  /** Runs every write on its own platform thread, released together. */
  static List<Outcome> runAtOnce(List<Function<Integer, Outcome>> writes) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writes.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < writes.size(); i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return writes.get(n).apply(n);
                }));
      }
      go.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  static void assertNo5xx(List<Outcome> outcomes) {
    assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.toString()).isLessThan(500));
  }

  /** A refusal is a 409 in the fault format of the API that answered it. */
  static void assertConflict(Outcome o) {
    assertThat(o.status()).as(o.toString()).isEqualTo(409);
    JsonNode body = TestServer.json(o.body());
    if (o.kind().equals("metadata")) {
      assertThat(body.path("conflictingRequest").path("code").asInt()).as(o.body()).isEqualTo(409);
    } else {
      assertThat(o.body()).as(o.toString()).contains("409");
    }
  }
}
