package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.image.ImageDataTest.Generated;
import dev.glint.testing.S3Proxy;
import dev.glint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code /v2/images/{id}/file} on Glint configured with {@code blob.store=s3} (s3proxy). */
class S3ImageDataTest {
  static final String P1 = ImageDataTest.P1;
  static final String RAW = ImageDataTest.RAW;
  static final String BUCKET = "glint-images";
  static S3Proxy proxy;
  static S3Client s3;

  @BeforeAll
  static void start() {
    proxy = S3Proxy.start();
    proxy.createBucket(BUCKET);
    s3 = proxy.client();
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  static TestServer server(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>(proxy.serverConfig(BUCKET));
    config.putAll(extra);
    return TestServer.start(config);
  }

  @Test
  void uploadAndDownloadGoThroughTheBucket() throws Exception {
    try (TestServer server = server(Map.of())) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      byte[] data = new byte[20 << 20]; // several 8 MiB parts
      new Random(11).nextBytes(data);
      String id = owner.createWithData(RAW, data);
      JsonNode img = json(owner.get("/v2/images/" + id));
      assertThat(img.get("status").asText()).isEqualTo("active");
      assertThat(img.get("size").asLong()).isEqualTo(data.length);
      assertThat(img.get("checksum").asText()).isEqualTo(ImageDataTest.hex("MD5", data));
      assertThat(img.get("os_hash_value").asText()).isEqualTo(ImageDataTest.hex("SHA-512", data));
      assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/" + id)).contentLength())
          .isEqualTo(data.length);
      assertThat(server.dataDir().resolve("images")).doesNotExist();

      HttpResponse<byte[]> whole =
          server.http().send(owner.request("/v2/images/" + id + "/file").GET().build(), BodyHandlers.ofByteArray());
      assertThat(whole.statusCode()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(data);

      HttpResponse<byte[]> range =
          server.http()
              .send(
                  owner.request("/v2/images/" + id + "/file").header("Range", "bytes=9000000-9000009").GET().build(),
                  BodyHandlers.ofByteArray());
      assertThat(range.statusCode()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 9_000_000, 9_000_010));

      assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("images/" + id)))
          .isInstanceOf(NoSuchKeyException.class);
    }
  }

  @Test
  void glanceDirectImportsLandInTheBucketAndTheStoreIsS3() throws Exception {
    try (TestServer server = server(Map.of())) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      assertThat(json(owner.get("/v2/info/stores")).get("stores").get(0).get("id").asText())
          .isEqualTo("s3");
      byte[] data = new byte[1 << 20];
      new Random(13).nextBytes(data);
      String id = owner.create(RAW).get("id").asText();
      assertThat(owner.put("/v2/images/" + id + "/stage", "application/octet-stream", data).statusCode())
          .isEqualTo(204);
      assertThat(owner.post("/v2/images/" + id + "/import", ImageImportTest.DIRECT).statusCode())
          .isEqualTo(202);
      ImageDataTest.awaitStatus(owner, id, "active");
      JsonNode img = json(owner.get("/v2/images/" + id));
      assertThat(img.get("stores").asText()).isEqualTo("s3");
      assertThat(img.get("os_glance_importing_to_stores").asText()).isEmpty();
      assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/" + id)).contentLength())
          .isEqualTo(data.length);
    }
  }

  @Test
  void twoNodesOnOneCatalogAndBucketShareImageData() throws Exception {
    Path shared = Files.createTempDirectory("glint-shared");
    try (TestServer a = server(Map.of("data.dir", shared.toString()));
        TestServer b = server(Map.of("data.dir", shared.toString()))) {
      byte[] data = new byte[3 << 20];
      new Random(12).nextBytes(data);
      String id = ImageClient.of(a, P1, "member").createWithData(RAW, data);
      ImageClient onB = ImageClient.of(b, P1, "member");
      HttpResponse<byte[]> r =
          b.http().send(onB.request("/v2/images/" + id + "/file").GET().build(), BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(data);
    } finally {
      try (Stream<Path> files = Files.walk(shared)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aMissingBucketFailsAtStart() {
    assertThatThrownBy(() -> TestServer.start(proxy.serverConfig("no-such-bucket")))
        .hasMessageContaining("no-such-bucket")
        .hasMessageContaining(proxy.endpoint());
  }

  @Test
  void downloadsWhileTheStoreIsDownAre503() throws Exception {
    S3Proxy own = S3Proxy.start();
    try (TestServer server = TestServer.start(own.serverConfig(own.createBucket("glint-down")))) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      String id = owner.createWithData(RAW, new byte[] {1, 2, 3});
      own.close();
      HttpResponse<String> down = owner.get("/v2/images/" + id + "/file");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).isPresent();
      assertThat(down.body()).doesNotContain("Exception");
    } finally {
      own.close();
    }
  }

  /** Issue 10: an S3 outage mid-upload is the store's fault (503), not the body's (400). */
  @Test
  void uploadsWhileTheStoreIsDownAre503AndTheImageIsQueuedAgain() throws Exception {
    S3Proxy own = S3Proxy.start();
    try (TestServer server = TestServer.start(own.serverConfig(own.createBucket("glint-down-up")))) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      String id = owner.create(RAW).get("id").asText();
      own.close();
      HttpResponse<String> up =
          server.send(
              owner
                  .request("/v2/images/" + id + "/file")
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[6 << 20]))
                  .build());
      assertThat(up.statusCode()).isEqualTo(503);
      assertThat(up.headers().firstValue("Retry-After")).isPresent();
      assertThat(TestServer.json(owner.get("/v2/images/" + id).body()).get("status").asText())
          .isEqualTo("queued");
    } finally {
      own.close();
    }
  }

  /** 600 MiB, more than the test JVM's 512 MiB heap: only streaming both ways can pass. */
  @Test
  void imagesLargerThanTheHeapStreamBothWays() throws Exception {
    try (TestServer server = server(Map.of())) {
      ImageClient owner = ImageClient.of(server, P1, "member");
      long size = 600L << 20;
      String id = owner.create(RAW).get("id").asText();
      Generated body = new Generated(size, 42);
      long t0 = System.nanoTime();
      HttpRequest put =
          owner
              .request("/v2/images/" + id + "/file")
              .timeout(Duration.ofMinutes(5))
              .header("Content-Type", "application/octet-stream")
              .PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> body), size))
              .build();
      HttpResponse<String> r = server.send(put);
      long uploadMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      String md5 = HexFormat.of().formatHex(body.md5.digest());
      assertThat(json(owner.get("/v2/images/" + id)).get("checksum").asText()).isEqualTo(md5);

      long t1 = System.nanoTime();
      ImageClient.Download download = owner.downloadHashed(id);
      long downloadMs = (System.nanoTime() - t1) / 1_000_000;
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.bytes()).isEqualTo(size);
      assertThat(download.md5()).isEqualTo(md5);
      System.out.printf(
          "600 MiB image via S3 (s3proxy): upload %d ms (%.0f MiB/s), download %d ms (%.0f MiB/s)%n",
          uploadMs, 600_000.0 / uploadMs, downloadMs, 600_000.0 / downloadMs);
      assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    }
  }
}
