package dev.glint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.BlobStore;
import dev.glint.config.GlintConfig;
import dev.glint.error.StoreUnavailableException;
import dev.glint.testing.S3Proxy;
import dev.glint.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@link S3BlobStore} against a real S3 server (s3proxy on loopback), with 5 MiB parts. */
class S3BlobStoreTest {
  static final int PART = S3BlobStore.MIN_PART_SIZE;
  static final String BUCKET = "glint-blobs";
  static S3Proxy proxy;
  static S3Client s3;
  static S3BlobStore store;

  @BeforeAll
  static void start() {
    proxy = S3Proxy.start();
    proxy.createBucket(BUCKET);
    s3 = proxy.client();
    store = new S3BlobStore(s3, BUCKET, "images", PART);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  static String key() {
    return UUID.randomUUID().toString();
  }

  static byte[] readAll(SeekableByteChannel channel) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(100_000);
    while (channel.read(buf.clear()) >= 0) {
      out.write(buf.array(), 0, buf.position());
    }
    return out.toByteArray();
  }

  /** Objects under the store's prefix and multipart uploads not yet completed or aborted. */
  static void assertNothingLeftFor(String key) {
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("images/" + key)))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
        .as("pending multipart uploads")
        .isEmpty();
  }

  @Test
  void smallBlobRoundTripsWithChecksumsAndHead() throws Exception {
    byte[] data = random(300_000, 1);
    String key = key();
    BlobStore.Stored stored = store.put(key, new ByteArrayInputStream(data), 1 << 20);
    assertThat(stored.size()).isEqualTo(data.length);
    assertThat(stored.md5()).isEqualTo(hex("MD5", data));
    assertThat(stored.sha512()).isEqualTo(hex("SHA-512", data));
    assertThat(stored.head()).isEqualTo(Arrays.copyOf(data, 512));
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      assertThat(channel.size()).isEqualTo(data.length);
      assertThat(readAll(channel)).isEqualTo(data);
    }
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/" + key)).contentLength())
        .isEqualTo(data.length);
  }

  @Test
  void keysListTheStoresObjectsUnderItsPrefixOnly() throws Exception {
    String a = key();
    String b = key();
    store.put(a, new ByteArrayInputStream(new byte[] {1}), 10);
    store.put(b, new ByteArrayInputStream(new byte[] {2}), 10);
    // Another store's object in the same bucket, and an object that is no blob key.
    s3.putObject(x -> x.bucket(BUCKET).key("other/" + key()), RequestBody.fromString("x"));
    s3.putObject(x -> x.bucket(BUCKET).key("images/not a key"), RequestBody.fromString("x"));
    try (java.util.stream.Stream<String> keys = store.keys()) {
      java.util.List<String> listed = keys.toList();
      assertThat(listed).contains(a, b).allMatch(k -> k.matches("[0-9A-Za-z-]{1,64}"));
    }
    store.delete(b);
    try (java.util.stream.Stream<String> keys = store.keys()) {
      assertThat(keys.toList()).contains(a).doesNotContain(b);
    }
  }

  @Test
  void emptyBlobIsStored() throws Exception {
    String key = key();
    BlobStore.Stored stored = store.put(key, InputStream.nullInputStream(), 10);
    assertThat(stored.size()).isZero();
    assertThat(stored.md5()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(stored.head()).isEmpty();
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      assertThat(channel.size()).isZero();
      assertThat(channel.read(ByteBuffer.allocate(10))).isEqualTo(-1);
    }
  }

  @Test
  void blobsLargerThanOnePartGoUpInPartsAndComeBackByteIdentical() throws Exception {
    byte[] data = random(2 * PART + 123_457, 2);
    String key = key();
    BlobStore.Stored stored = store.put(key, new ByteArrayInputStream(data), Long.MAX_VALUE);
    assertThat(stored.size()).isEqualTo(data.length);
    assertThat(stored.md5()).isEqualTo(hex("MD5", data));
    assertThat(stored.sha512()).isEqualTo(hex("SHA-512", data));
    // A multipart object's ETag is "<md5 of the part md5s>-<part count>".
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/" + key)).eTag()).endsWith("-3\"");
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      assertThat(readAll(channel)).isEqualTo(data);
    }
    assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
  }

  @Test
  void anExactMultipleOfThePartSizeEndsWithAFullPart() throws Exception {
    byte[] data = random(2 * PART, 3);
    String key = key();
    // Trickle the data in odd-sized reads, as a socket would.
    InputStream trickle =
        new ByteArrayInputStream(data) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 65_537));
          }
        };
    assertThat(store.put(key, trickle, data.length).md5()).isEqualTo(hex("MD5", data));
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("images/" + key)).eTag()).endsWith("-2\"");
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      assertThat(readAll(channel)).isEqualTo(data);
    }
  }

  @Test
  void theChannelReadsRangesAfterPositioning() throws Exception {
    byte[] data = random(PART + 1000, 4);
    String key = key();
    store.put(key, new ByteArrayInputStream(data), Long.MAX_VALUE);
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      ByteBuffer buf = ByteBuffer.allocate(100);
      channel.position(PART - 50);
      assertThat(channel.read(buf)).isEqualTo(100);
      assertThat(buf.array()).isEqualTo(Arrays.copyOfRange(data, PART - 50, PART + 50));
      assertThat(channel.position()).isEqualTo(PART + 50);

      channel.position(10);
      ByteBuffer direct = ByteBuffer.allocateDirect(20);
      while (direct.hasRemaining()) {
        channel.read(direct);
      }
      byte[] got = new byte[20];
      direct.flip().get(got);
      assertThat(got).isEqualTo(Arrays.copyOfRange(data, 10, 30));

      channel.position(data.length - 3);
      ByteBuffer tail = ByteBuffer.allocate(10);
      assertThat(channel.read(tail)).isEqualTo(3);
      assertThat(Arrays.copyOf(tail.array(), 3))
          .isEqualTo(Arrays.copyOfRange(data, data.length - 3, data.length));
      assertThat(channel.read(tail)).isEqualTo(-1);
      channel.position(data.length + 10);
      assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }
  }

  @Test
  void exceedingTheCapMidStreamLeavesNoObjectAndNoUpload() {
    String key = key();
    byte[] data = random(2 * PART + 10, 5);
    long cap = PART + PART / 2;
    assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(data), cap))
        .isInstanceOf(BlobStore.TooLargeException.class);
    assertNothingLeftFor(key);
  }

  @Test
  void aStreamFailingMidwayLeavesNoObjectAndNoUpload() {
    String key = key();
    InputStream failing =
        new InputStream() {
          long left = 2L * PART + 100;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
              throw new IOException("connection reset by peer");
            }
            int n = (int) Math.min(len, Math.min(left, 1 << 16));
            Arrays.fill(b, off, off + n, (byte) 7);
            left -= n;
            return n;
          }
        };
    assertThatThrownBy(() -> store.put(key, failing, Long.MAX_VALUE))
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset by peer");
    assertNothingLeftFor(key);
  }

  /** Guards the two tests above: the server does report an upload left pending. */
  @Test
  void theServerListsPendingUploads() {
    String name = "images/" + key();
    String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(name)).uploadId();
    try {
      assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
          .anyMatch(u -> u.uploadId().equals(id) && u.key().equals(name));
    } finally {
      s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(name).uploadId(id));
    }
    assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
  }

  @Test
  void aFailedUploadKeepsTheEarlierBlob() throws Exception {
    String key = key();
    byte[] first = random(1000, 6);
    store.put(key, new ByteArrayInputStream(first), Long.MAX_VALUE);
    assertThatThrownBy(
            () -> store.put(key, new ByteArrayInputStream(random(2 * PART, 7)), PART + 1))
        .isInstanceOf(BlobStore.TooLargeException.class);
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      assertThat(readAll(channel)).isEqualTo(first);
    }
  }

  @Test
  void deleteRemovesTheBlobAndReportsAbsence() throws Exception {
    String key = key();
    store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
    assertThat(store.delete(key)).isTrue();
    assertThat(store.get(key)).isEmpty();
    assertThat(store.delete(key)).isFalse();
    assertThat(store.get(key())).isEmpty();
  }

  @Test
  void keysThatAreNotImageIdsAreRefused() {
    assertThatThrownBy(() -> store.get("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.put("a/b", InputStream.nullInputStream(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anObjectReplacedWhileReadIsAFailureNotAMix() throws Exception {
    String key = key();
    byte[] data = random(200_000, 8);
    store.put(key, new ByteArrayInputStream(data), Long.MAX_VALUE);
    try (SeekableByteChannel channel = store.get(key).orElseThrow()) {
      channel.read(ByteBuffer.allocate(10));
      store.put(key, new ByteArrayInputStream(random(200_000, 9)), Long.MAX_VALUE);
      channel.position(100_000);
      assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(10)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("412");
    }
  }

  @Test
  void anUnreachableStoreIsUnavailableAndFailsAtStart() throws Exception {
    GlintConfig.S3 nowhere =
        new GlintConfig.S3(
            Optional.of("http://127.0.0.1:" + TestServer.freePort()),
            "us-east-1",
            BUCKET,
            "images",
            Optional.of(S3Proxy.ACCESS_KEY),
            Optional.of(S3Proxy.SECRET_KEY),
            true);
    try (S3BlobStore down = new S3BlobStore(S3BlobStore.client(nowhere), BUCKET, "images", PART)) {
      assertThatThrownBy(() -> down.get(key())).isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> down.put(key(), new ByteArrayInputStream(new byte[10]), 100))
          .isInstanceOf(StoreUnavailableException.class);
    }
    assertThatThrownBy(() -> S3BlobStore.open(nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot use S3 bucket 'glint-blobs' at " + nowhere.endpoint().get());
  }

  @Test
  void aMissingBucketFailsAtStartNamingIt() {
    assertThatThrownBy(() -> S3BlobStore.open(proxy.config("no-such-bucket")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot use S3 bucket 'no-such-bucket' at " + proxy.endpoint() + ": 404")
        .hasMessageNotContaining("null");
  }

  @Test
  void partSizesReachTheDefaultImageCapWithinS3sPartLimit() {
    long total = 0;
    for (int part = 1; part <= S3BlobStore.MAX_PARTS; part++) {
      int size = S3BlobStore.partSize(part, S3BlobStore.DEFAULT_PART_SIZE);
      assertThat(size).isBetween(S3BlobStore.DEFAULT_PART_SIZE, S3BlobStore.MAX_PART_SIZE);
      total += size;
    }
    assertThat(total).isGreaterThan(dev.glint.config.GlintConfig.DEFAULT_IMAGE_SIZE_CAP);
    assertThat(S3BlobStore.partSize(1000, S3BlobStore.DEFAULT_PART_SIZE)).isEqualTo(8 << 20);
    assertThat(S3BlobStore.partSize(1001, S3BlobStore.DEFAULT_PART_SIZE)).isEqualTo(16 << 20);
  }
}
