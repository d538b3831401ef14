package dev.glint.store;

import dev.glint.catalog.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on the local filesystem, as glance_store's filesystem driver: one file per
 * image id in one directory. Uploads go to a {@code .tmp} file in the same directory (so the
 * rename is atomic), are fsync'd, renamed over the final name, and the directory is fsync'd.
 */
public final class FileBlobStore implements BlobStore {
  private static final int CHUNK = 64 * 1024;
  private static final int HEAD = 512;
  /** Keys become file names: image ids only, never a path. */
  private static final Pattern KEY = Pattern.compile("[0-9A-Za-z-]{1,64}");

  private final Path dir;

  /**
   * Opens (creating if needed) the store in {@code dir} that this node alone writes to, removing
   * every temp file: a crash's leftovers.
   */
  public FileBlobStore(Path dir) {
    this(dir, null);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}, removing temp files a crash left.
   *
   * @param shared null when this node alone writes to {@code dir}: every temp file is a crash's
   *     leftover. Otherwise {@code dir} is shared with other nodes ({@code blob.file.shared}) and a
   *     temp file may be another node's upload in progress: it is removed only when nothing was
   *     written to it for this long (see {@link #abandonedAfter}).
   */
  public FileBlobStore(Path dir, Duration shared) {
    this.dir = dir;
    try {
      dev.glint.fs.PrivateFiles.directory(dir);
      removeAbandonedTempFiles(shared);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the image store " + dir + ": " + e, e);
    }
  }

  /**
   * How long a temp file in a shared directory must have gone unwritten to be provably abandoned:
   * twice the longer of the upload lease and the listener's idle timeout. A live upload writes to
   * its file at least once per idle timeout (else its connection is closed and the upload ends),
   * and once its lease has run out another node requeues the image, so its node can no longer
   * commit it. The factor two absorbs clock skew between the nodes and the file server (which
   * stamps the modification time on a network file system).
   */
  public static Duration abandonedAfter(Duration uploadLease, Duration idleTimeout) {
    return (uploadLease.compareTo(idleTimeout) >= 0 ? uploadLease : idleTimeout).multipliedBy(2);
  }

  private void removeAbandonedTempFiles(Duration shared) throws IOException {
    Instant cutoff = shared == null ? null : Instant.now().minus(shared);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
        try {
          if (cutoff == null || Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
            Files.deleteIfExists(p);
          }
        } catch (NoSuchFileException finished) {
          // another node's upload ended (renamed or removed its file) meanwhile
        }
      }
    }
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String id() {
    return "file";
  }

  @Override
  public Stored put(String key, InputStream data, long maxBytes) throws IOException {
    Path target = path(key);
    Path tmp = dir.resolve(key + ".tmp-" + UUID.randomUUID());
    MessageDigest md5 = digest("MD5");
    MessageDigest sha512 = digest("SHA-512");
    byte[] head = new byte[0];
    long size = 0;
    boolean done = false;
    try (FileChannel out =
        dev.glint.fs.PrivateFiles.create(tmp)) {
      byte[] buf = new byte[CHUNK];
      ByteBuffer wrap = ByteBuffer.wrap(buf);
      int n;
      while ((n = data.read(buf)) != -1) {
        if (n == 0) {
          continue;
        }
        size += n;
        if (size > maxBytes) {
          throw new TooLargeException(maxBytes);
        }
        if (head.length < HEAD) {
          int keep = Math.min(HEAD, head.length + n);
          byte[] h = Arrays.copyOf(head, keep);
          System.arraycopy(buf, 0, h, head.length, keep - head.length);
          head = h;
        }
        md5.update(buf, 0, n);
        sha512.update(buf, 0, n);
        wrap.clear().limit(n);
        while (wrap.hasRemaining()) {
          out.write(wrap);
        }
      }
      out.force(true);
      done = true;
    } catch (IOException e) {
      if (isDiskFull(e)) {
        throw new StoreFullException("no space left in " + dir, e);
      }
      throw e;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDir();
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    HexFormat hex = HexFormat.of();
    return new Stored(size, hex.formatHex(md5.digest()), hex.formatHex(sha512.digest()), head);
  }

  @Override
  public Optional<SeekableByteChannel> get(String key) throws IOException {
    try {
      return Optional.of(FileChannel.open(path(key), StandardOpenOption.READ));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean delete(String key) throws IOException {
    boolean deleted = Files.deleteIfExists(path(key));
    if (deleted) {
      syncDir();
    }
    return deleted;
  }

  @Override
  public Stream<String> keys() throws IOException {
    // Temp files (key.tmp-uuid) are uploads in progress: not keys.
    return Files.list(dir)
        .map(p -> p.getFileName().toString())
        .filter(name -> KEY.matcher(name).matches());
  }

  @Override
  public String url(String key) {
    return "file://" + path(key).toAbsolutePath();
  }

  private Path path(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return dir.resolve(key);
  }

  /** Makes the rename itself durable: fsync the directory entry (POSIX). */
  private void syncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some filesystems refuse to open a directory for sync; the data itself is already synced.
    }
  }

  private static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return m != null && (m.contains("No space left") || m.contains("Disk quota exceeded"));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
    }
  }
}
