package dev.glint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
  static final String KEY = "0e1d2c3b-0000-4000-8000-00000000abcd";

  static long files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void putStoresTheBytesAndTheirDigests(@TempDir Path dir) throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    byte[] data = "hello image".getBytes();
    BlobStore.Stored s = store.put(KEY, new ByteArrayInputStream(data), 100);
    assertThat(s.size()).isEqualTo(data.length);
    assertThat(s.md5()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
    assertThat(s.sha512()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data)));
    assertThat(s.head()).isEqualTo(data);
    assertThat(Files.readAllBytes(dir.resolve(KEY))).isEqualTo(data);
    try (SeekableByteChannel ch = store.get(KEY).orElseThrow()) {
      ch.position(6);
      ByteBuffer b = ByteBuffer.allocate(5);
      ch.read(b);
      assertThat(new String(b.array())).isEqualTo("image");
    }
    assertThat(store.delete(KEY)).isTrue();
    assertThat(store.get(KEY)).isEmpty();
    assertThat(store.delete(KEY)).isFalse();
  }

  @Test
  void tooMuchDataFailsMidStreamAndLeavesNothing(@TempDir Path dir) throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    assertThatThrownBy(() -> store.put(KEY, new ByteArrayInputStream(new byte[101]), 100))
        .isInstanceOf(BlobStore.TooLargeException.class);
    assertThat(files(dir)).isZero();
  }

  @Test
  void aFailingSourceLeavesNeitherBlobNorTempFileAndKeepsTheOldBlob(@TempDir Path dir) throws Exception {
    FileBlobStore store = new FileBlobStore(dir);
    store.put(KEY, new ByteArrayInputStream(new byte[] {1}), 100);
    InputStream broken =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (n++ > 10) {
              throw new IOException("client went away");
            }
            return 7;
          }
        };
    assertThatThrownBy(() -> store.put(KEY, broken, 100)).hasMessage("client went away");
    assertThat(files(dir)).isEqualTo(1);
    assertThat(Files.readAllBytes(dir.resolve(KEY))).containsExactly(1);
  }

  @Test
  void leftoverTempFilesAreRemovedOnOpenAndKeysCannotBePaths(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve(KEY + ".tmp-crashed"), new byte[3]);
    FileBlobStore store = new FileBlobStore(dir);
    assertThat(files(dir)).isZero();
    assertThatThrownBy(() -> store.get("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Two nodes on one shared directory ({@code blob.file.shared}): node B starting while node A
   * streams an upload leaves A's temp file alone, and A's upload completes; a temp file nothing
   * wrote to for longer than the abandonment time (a dead node's) is removed.
   */
  @Test
  void aSharedDirectoryKeepsAnotherNodesUploadInProgress(@TempDir Path dir) throws Exception {
    java.time.Duration abandoned =
        FileBlobStore.abandonedAfter(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(30));
    assertThat(abandoned).isEqualTo(java.time.Duration.ofSeconds(120));
    FileBlobStore a = new FileBlobStore(dir, abandoned);
    Path dead = dir.resolve("0e1d2c3b-0000-4000-8000-0000000dead0.tmp-node-gone");
    Files.write(dead, new byte[5]);
    Files.setLastModifiedTime(
        dead, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(121)));
    java.io.PipedOutputStream client = new java.io.PipedOutputStream();
    java.io.PipedInputStream body = new java.io.PipedInputStream(client, 1024);
    java.util.concurrent.CompletableFuture<BlobStore.Stored> upload =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return a.put(KEY, body, 1 << 20);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    client.write(new byte[100_000]);
    client.flush();
    Path inProgress;
    try (Stream<Path> s = Files.list(dir)) {
      inProgress =
          s.filter(p -> p.getFileName().toString().startsWith(KEY + ".tmp-")).findFirst().orElseThrow();
    }

    new FileBlobStore(dir, abandoned); // node B starts

    assertThat(inProgress).exists();
    assertThat(dead).doesNotExist();
    client.write(new byte[23]);
    client.close();
    assertThat(upload.get(30, java.util.concurrent.TimeUnit.SECONDS).size()).isEqualTo(100_023);
    assertThat(Files.size(dir.resolve(KEY))).isEqualTo(100_023);
    assertThat(files(dir)).isEqualTo(1);
  }

  /** Without sharing, every temp file is this node's crash leftover, however fresh. */
  @Test
  void anUnsharedDirectoryDropsFreshTempFilesToo(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve(KEY + ".tmp-fresh"), new byte[3]);
    new FileBlobStore(dir, null);
    assertThat(files(dir)).isZero();
  }
}
