package dev.glint.identity;

import com.macasaet.fernet.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Keystone-style Fernet key repository: files named {@code 0}, {@code 1}, … in one directory,
 * each a URL-safe base64 32-byte key. {@code 0} is the staged key (the next primary, already
 * accepted everywhere), the highest number the primary (signs new tokens), the others secondaries
 * (still accepted). Nodes sharing the directory accept each other's tokens; a running node re-reads
 * the directory every poll interval, so {@link #rotate} reaches it without a restart. Creating the
 * first keys and rotating both hold a file lock ({@code .lock} in the directory), so nodes starting
 * together agree on one set. Thread-safe.
 */
public final class FernetKeys implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FernetKeys.class);
  private static final String LOCK_FILE = ".lock";
  /** Keystone's {@code [fernet_tokens] max_active_keys} default. */
  public static final int DEFAULT_MAX_ACTIVE_KEYS = 3;

  private record Snapshot(Key primary, List<Key> all, List<String> serialised, long version) {}

  private final Path dir;
  private volatile Snapshot snapshot;
  private final ScheduledExecutorService poller;

  private FernetKeys(Path dir, Snapshot snapshot, Duration poll) {
    this.dir = dir;
    this.snapshot = snapshot;
    if (poll == null) {
      this.poller = null;
    } else {
      this.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "glint-fernet-keys");
                t.setDaemon(true);
                return t;
              });
      poller.scheduleWithFixedDelay(
          this::reloadQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Loads the repository, creating it (staged and primary key) when empty; never re-reads it. */
  public static FernetKeys loadOrCreate(Path dir) {
    return open(dir, null);
  }

  /**
   * As {@link #loadOrCreate(Path)}, then re-reads the directory every {@code poll} (null: never),
   * so a rotation by {@code glint keys rotate} or another node is picked up.
   */
  public static FernetKeys open(Path dir, Duration poll) {
    try {
      dev.glint.fs.PrivateFiles.directory(dir);
      TreeMap<Integer, Key> keys = read(dir);
      if (keys.isEmpty()) {
        keys = locked(dir, () -> {
          // Another node may have created them while we waited for the lock.
          TreeMap<Integer, Key> now = read(dir);
          if (now.isEmpty()) {
            SecureRandom random = new SecureRandom();
            // The primary first: a node reading without the lock meanwhile sees {1} or {0, 1},
            // and signs with key 1 either way (it picks up the staged key at its next poll).
            write(dir.resolve("1"), Key.generateKey(random));
            write(dir.resolve("0"), Key.generateKey(random));
            now = read(dir);
          }
          return now;
        });
      }
      return new FernetKeys(dir, snapshot(keys, 0), poll);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use Fernet key repository " + dir, e);
    }
  }

  /**
   * Rotates the repository as {@code keystone-manage fernet_rotate} does: the staged key {@code 0}
   * becomes the new primary (highest number + 1), a new staged key {@code 0} is written, and the
   * oldest secondaries are removed until {@code maxActiveKeys} keys remain (staged and primary
   * included). Under the repository's file lock. An empty repository is created first.
   *
   * @return the key numbers now in the repository, ascending
   */
  public static List<Integer> rotate(Path dir, int maxActiveKeys) {
    if (maxActiveKeys < 2) {
      throw new IllegalArgumentException(
          "max_active_keys must be at least 2 (a staged and a primary key), got " + maxActiveKeys);
    }
    try {
      Files.createDirectories(dir);
      return locked(
          dir,
          () -> {
            TreeMap<Integer, Key> keys = read(dir);
            SecureRandom random = new SecureRandom();
            if (keys.isEmpty()) {
              write(dir.resolve("1"), Key.generateKey(random));
              write(dir.resolve("0"), Key.generateKey(random));
              keys = read(dir);
            }
            int next = keys.lastKey() + 1;
            if (keys.containsKey(0)) {
              // Atomic: a node reading now sees the staged key either as 0 or as the new primary.
              Files.move(dir.resolve("0"), dir.resolve(Integer.toString(next)),
                  StandardCopyOption.ATOMIC_MOVE);
            } else {
              write(dir.resolve(Integer.toString(next)), Key.generateKey(random));
            }
            write(dir.resolve("0"), Key.generateKey(random));
            TreeMap<Integer, Key> after = read(dir);
            List<Integer> secondaries = new ArrayList<>(after.keySet());
            secondaries.remove(Integer.valueOf(0));
            secondaries.remove(Integer.valueOf(next));
            while (after.size() > maxActiveKeys && !secondaries.isEmpty()) {
              Integer oldest = secondaries.remove(0);
              Files.deleteIfExists(dir.resolve(oldest.toString()));
              after.remove(oldest);
            }
            return List.copyOf(after.keySet());
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate Fernet key repository " + dir, e);
    }
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  /**
   * Runs {@code work} holding the repository's file lock (other processes) and this class's
   * monitor (other threads: a JVM may not hold two locks on one file).
   */
  private static <T> T locked(Path dir, IoSupplier<T> work) throws IOException {
    synchronized (FernetKeys.class) {
      // The lock file holds nothing, but it lives among secrets: 0600 like them.
      dev.glint.fs.PrivateFiles.ensureFile(dir.resolve(LOCK_FILE));
      try (FileChannel channel =
              FileChannel.open(
                  dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        return work.get();
      }
    }
  }

  private static Snapshot snapshot(TreeMap<Integer, Key> keys, long version) {
    List<Key> all = new ArrayList<>(keys.descendingMap().values());
    List<String> serialised = all.stream().map(Key::serialise).toList();
    return new Snapshot(keys.lastEntry().getValue(), all, serialised, version);
  }

  /** Re-reads the directory; a changed key set replaces the current one (and bumps the version). */
  void reload() throws IOException {
    TreeMap<Integer, Key> keys = read(dir);
    if (keys.isEmpty()) {
      throw new IOException("no keys left in " + dir);
    }
    Snapshot current = snapshot;
    Snapshot fresh = snapshot(keys, current.version() + 1);
    if (!fresh.serialised().equals(current.serialised())) {
      snapshot = fresh;
      LOG.info("Fernet key repository {} changed: {} keys", dir, keys.size());
    }
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot re-read Fernet keys in {} (keeping the current ones): {}", dir, e.toString());
    }
  }

  private static TreeMap<Integer, Key> read(Path dir) throws IOException {
    TreeMap<Integer, Key> keys = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.matches("\\d{1,9}")) {
          try {
            keys.put(Integer.parseInt(name), new Key(Files.readString(f).trim()));
          } catch (NoSuchFileException gone) {
            // Removed by a rotation between the listing and the read.
          }
        }
      }
    }
    return keys;
  }

  private static void write(Path file, Key key) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp); // left by a crash between write and move
    // 0600 from creation: a key readable for an instant is a key anyone could have copied.
    dev.glint.fs.PrivateFiles.write(tmp, key.serialise().getBytes(StandardCharsets.US_ASCII));
    // ATOMIC_MOVE: two nodes starting at once never read a half-written key.
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  Key primary() {
    return snapshot.primary();
  }

  List<Key> all() {
    return snapshot.all();
  }

  /** Changes whenever the key set does; caches of decrypted tokens compare it. */
  long version() {
    return snapshot.version();
  }

  /** Stops re-reading the directory. */
  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
