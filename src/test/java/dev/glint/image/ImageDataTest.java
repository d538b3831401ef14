package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v2/images/{id}/file}: streaming upload and download, ranges, caps, failures. */
class ImageDataTest {
  static final String P1 = "11111111111111111111111111111111";
  static final String P2 = "22222222222222222222222222222222";
  static final String RAW = "{\"disk_format\": \"raw\", \"container_format\": \"bare\"}";
  static final long CAP = 1 << 20;
  static TestServer server;
  static TestServer capped;
  static ImageClient owner;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    capped = TestServer.start(Map.of("image.size.cap.bytes", Long.toString(CAP)));
    owner = ImageClient.of(server, P1, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
    capped.close();
  }

  static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  static List<Path> blobFiles(TestServer s) throws IOException {
    try (Stream<Path> files = Files.list(s.dataDir().resolve("images"))) {
      return files.toList();
    }
  }

  @Test
  void uploadThenDownloadIsByteIdenticalWithChecksums() throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    String id = owner.createWithData(RAW, data);
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("status").asText()).isEqualTo("active");
    assertThat(img.get("size").asLong()).isEqualTo(data.length);
    assertThat(img.get("virtual_size").asLong()).isEqualTo(data.length);
    assertThat(img.get("checksum").asText()).isEqualTo(hex("MD5", data));
    assertThat(img.get("os_hash_algo").asText()).isEqualTo("sha512");
    assertThat(img.get("os_hash_value").asText()).isEqualTo(hex("SHA-512", data));

    HttpResponse<byte[]> r =
        server.http().send(owner.request("/v2/images/" + id + "/file").GET().build(), BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(data);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(data.length));
    assertThat(r.headers().firstValue("Content-MD5")).hasValue(hex("MD5", data));
    assertThat(blobFiles(server)).contains(server.dataDir().resolve("images").resolve(id));

    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(blobFiles(server)).doesNotContain(server.dataDir().resolve("images").resolve(id));
  }

  @Test
  void rangeDownloadsServeOneRange() throws Exception {
    byte[] data = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    String id = owner.createWithData(RAW, data);
    String path = "/v2/images/" + id + "/file";
    HttpResponse<String> mid = server.send(owner.request(path).header("Range", "bytes=2-5").GET().build());
    assertThat(mid.statusCode()).isEqualTo(206);
    assertThat(mid.body()).isEqualTo("2345");
    assertThat(mid.headers().firstValue("Content-Range")).hasValue("bytes 2-5/20");
    assertThat(mid.headers().firstValue("Content-Length")).hasValue("4");
    assertThat(mid.headers().firstValue("Content-MD5")).hasValue(hex("MD5", data));
    HttpResponse<String> tail = server.send(owner.request(path).header("Range", "bytes=-3").GET().build());
    assertThat(tail.body()).isEqualTo("hij");
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 17-19/20");
    HttpResponse<String> open = server.send(owner.request(path).header("Range", "bytes=15-100").GET().build());
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body()).isEqualTo("fghij");
    assertThat(open.headers().firstValue("Content-Range")).hasValue("bytes 15-19/20");

    HttpResponse<String> beyond = server.send(owner.request(path).header("Range", "bytes=20-").GET().build());
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(json(beyond).get("message").asText())
        .isEqualTo(
            "The Range requested is not available.<br /><br />\nInvalid start position in Range"
                + " header. Start position MUST be in the inclusive range [0, 19].\n\n");
    HttpResponse<String> garbage = server.send(owner.request(path).header("Range", "pages=1").GET().build());
    assertThat(garbage.statusCode()).isEqualTo(416);
    HttpResponse<String> multi = server.send(owner.request(path).header("Range", "bytes=0-1,4-5").GET().build());
    assertThat(multi.statusCode()).isEqualTo(400);
    assertThat(message(multi))
        .isEqualTo(
            "Requests with multiple ranges are not supported in Glance. You may make multiple"
                + " single-range requests instead.");
  }

  @Test
  void downloadWithoutDataIs204() {
    String id = owner.create(RAW).get("id").asText();
    HttpResponse<String> r = owner.get("/v2/images/" + id + "/file");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void uploadPreconditionsAreGlances() {
    String id = owner.create(RAW).get("id").asText();
    String path = "/v2/images/" + id + "/file";
    HttpResponse<String> type = owner.put(path, "application/json", new byte[] {1});
    assertThat(type.statusCode()).isEqualTo(415);
    assertThat(message(type)).isEqualTo("Invalid content type application/json");
    assertThat(message(owner.put(path, null, new byte[] {1}))).isEqualTo("Invalid content type None");
    ImageClient other = ImageClient.of(server, P2, "member");
    assertThat(other.put(path, "application/octet-stream", new byte[] {1}).statusCode()).isEqualTo(404);
    String community = owner.create("{\"visibility\": \"community\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}").get("id").asText();
    HttpResponse<String> foreign = other.put("/v2/images/" + community + "/file", "application/octet-stream", new byte[] {1});
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(message(foreign)).isEqualTo("Not allowed to upload image data for image " + community);

    String bare = owner.create("{}").get("id").asText();
    HttpResponse<String> formats = owner.put("/v2/images/" + bare + "/file", "application/octet-stream", new byte[] {1});
    assertThat(formats.statusCode()).isEqualTo(400);
    assertThat(message(formats))
        .isEqualTo("Properties disk_format, container_format must be set prior to saving data.");
    assertThat(json(owner.get("/v2/images/" + bare)).get("status").asText()).isEqualTo("queued");

    assertThat(owner.put(path, "application/octet-stream", new byte[] {1}).statusCode()).isEqualTo(204);
    HttpResponse<String> again = owner.put(path, "application/octet-stream", new byte[] {1});
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(message(again)).isEqualTo("Image status transition from active to saving is not allowed");
  }

  @Test
  void qcow2UploadsRecordTheVirtualSizeFromTheHeader() {
    byte[] header = new byte[1024];
    // magic, version, backing file offset, backing file size, cluster bits, size (big-endian)
    java.nio.ByteBuffer.wrap(header)
        .putInt(0x514649fb)
        .putInt(3)
        .putLong(0)
        .putInt(0)
        .putInt(16)
        .putLong(10L << 30);
    String id =
        owner.createWithData("{\"disk_format\": \"qcow2\", \"container_format\": \"bare\"}", header);
    assertThat(json(owner.get("/v2/images/" + id)).get("virtual_size").asLong()).isEqualTo(10L << 30);
  }

  @Test
  void uploadsBeyondTheCapAre413AndLeaveTheImageQueued() throws Exception {
    ImageClient client = ImageClient.of(capped, P1, "member");
    String id = client.create(RAW).get("id").asText();
    // Chunked (no Content-Length), so the cap can only be found mid-stream.
    HttpRequest put =
        client
            .request("/v2/images/" + id + "/file")
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofInputStream(() -> new Generated(CAP + 300_000, 1)))
            .build();
    HttpResponse<String> r = capped.send(put);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).startsWith("The incoming image is too large");
    JsonNode img = json(client.get("/v2/images/" + id));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.get("size").isNull()).isTrue();
    assertThat(blobFiles(capped)).noneMatch(p -> p.getFileName().toString().startsWith(id));
    // exactly at the cap is fine
    assertThat(client.put("/v2/images/" + id + "/file", "application/octet-stream", new byte[(int) CAP]).statusCode())
        .isEqualTo(204);
  }

  @Test
  void aCutOffUploadLeavesTheImageQueuedAndNoFile() throws Exception {
    ImageClient client = ImageClient.of(capped, P1, "member");
    String id = client.create(RAW).get("id").asText();
    int port = URI.create(capped.imageUrl()).getPort();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: "
                  + client.token
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 900000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      awaitStatus(client, id, "saving");
      // The status moves first, then the temp file is opened: wait for the data to land in it.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline
          && blobFiles(capped).stream()
              .noneMatch(p -> p.getFileName().toString().startsWith(id + ".tmp-"))) {
        Thread.sleep(10);
      }
      assertThat(blobFiles(capped))
          .as("the partial data sits in a temp file")
          .anyMatch(p -> p.getFileName().toString().startsWith(id + ".tmp-"));
    }
    awaitStatus(client, id, "queued");
    JsonNode img = json(client.get("/v2/images/" + id));
    assertThat(img.get("size").isNull()).isTrue();
    assertThat(img.get("checksum").isNull()).isTrue();
    awaitNoFiles(capped, id);
    // and the upload can be retried
    assertThat(client.put("/v2/images/" + id + "/file", "application/octet-stream", new byte[5]).statusCode())
        .isEqualTo(204);
  }

  @Test
  void uploadsAStopCutOffAreQueuedAgainAtTheNextStart(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // Only a SQLite catalog belongs to one process; on a shared PostgreSQL another node may be
    // uploading, so a start must not reset 'saving' images (as Glance).
    org.junit.jupiter.api.Assumptions.assumeFalse(
        dev.glint.testing.TestStores.postgres(), "start-up recovery is SQLite-only");
    Map<String, String> config = Map.of("data.dir", dir.toString());
    String id;
    try (TestServer first = TestServer.start(config)) {
      ImageClient client = ImageClient.of(first, P1, "member");
      id = client.create(RAW).get("id").asText();
      // What a process killed mid-upload leaves: the row saving, a temp file beside the blobs.
      String saving = id;
      first.app().db().writer().useHandle(
          h -> h.execute("UPDATE images SET status = 'saving' WHERE id = ?", saving));
      Files.write(dir.resolve("images").resolve(id + ".tmp-killed"), new byte[100]);
    }
    try (TestServer second = TestServer.start(config)) {
      ImageClient client = ImageClient.of(second, P1, "member");
      assertThat(json(client.get("/v2/images/" + id)).get("status").asText()).isEqualTo("queued");
      assertThat(blobFiles(second)).isEmpty();
      assertThat(client.put("/v2/images/" + id + "/file", "application/octet-stream", new byte[3]).statusCode())
          .isEqualTo(204);
    }
  }

  static void awaitStatus(ImageClient client, String id, String status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = json(client.get("/v2/images/" + id)).get("status").asText();
      if (seen.equals(status)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("image " + id + " stayed " + seen + ", expected " + status);
  }

  /** No blob and no temp file of image {@code id} (temp files are named {@code <id>.tmp-...}). */
  static void awaitNoFiles(TestServer s, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline
        && blobFiles(s).stream().anyMatch(p -> p.getFileName().toString().startsWith(id))) {
      Thread.sleep(20);
    }
    assertThat(blobFiles(s)).noneMatch(p -> p.getFileName().toString().startsWith(id));
  }

  /** 600 MB, more than the test JVM's 512 MB heap: only streaming both ways can pass. */
  @Test
  void imagesLargerThanTheHeapStreamBothWays() throws Exception {
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
    JsonNode img = json(owner.get("/v2/images/" + id));
    assertThat(img.get("size").asLong()).isEqualTo(size);
    assertThat(img.get("checksum").asText()).isEqualTo(md5);

    long t1 = System.nanoTime();
    ImageClient.Download download = owner.downloadHashed(id);
    long downloadMs = (System.nanoTime() - t1) / 1_000_000;
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.bytes()).isEqualTo(size);
    assertThat(download.md5()).isEqualTo(md5);
    System.out.printf(
        "600 MiB image: upload %d ms (%.0f MiB/s), download %d ms (%.0f MiB/s)%n",
        uploadMs, 600_000.0 / uploadMs, downloadMs, 600_000.0 / downloadMs);
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
  }

  /** Deterministic pseudo-random bytes generated on the fly, hashed as they are read. */
  static final class Generated extends InputStream {
    private final byte[] block = new byte[(1 << 20) + 7];
    private final long size;
    private long pos;
    final MessageDigest md5;

    Generated(long size, long seed) {
      this.size = size;
      new Random(seed).nextBytes(block);
      try {
        md5 = MessageDigest.getInstance("MD5");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int at = (int) (pos % block.length);
      int n = (int) Math.min(Math.min(len, size - pos), block.length - at);
      System.arraycopy(block, at, b, off, n);
      md5.update(b, off, n);
      pos += n;
      return n;
    }
  }
}
