package dev.glint.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's image cache (Glance's {@code image_cache_dir} and the v2.14 cache API; docs/cache.md):
 * a bounded local copy of the data of images an admin queued, so downloads of them are served from
 * local disk rather than from their store (an S3 bucket, a shared file system). One background
 * worker takes images from the queue, copies each from a store that holds it, checks its SHA-512
 * against the image's {@code os_hash_value}, and evicts the least recently used entries to stay
 * under {@code maxBytes}. Image data never changes once active, so an entry is only ever dropped,
 * never refreshed: on delete of the image, on eviction, or by the cache API. Thread-safe.
 */
public final class ImageCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

  /** One cached image, as Glance's cache driver reports it (times in epoch seconds). */
  public record Entry(String imageId, double lastAccessed, double lastModified, long size, long hits) {}

  private static final class Meta {
    final long size;
    final double lastModified;
    volatile double lastAccessed;
    final AtomicLong hits = new AtomicLong();

    Meta(long size, double now) {
      this.size = size;
      this.lastModified = now;
      this.lastAccessed = now;
    }
  }

  private final ImageRepository images;
  private final Stores stores;
  private final BlobStore data;
  private final long maxBytes;
  private final Clock clock;
  private final Map<String, Meta> cached = new ConcurrentHashMap<>();
  /** Queued image ids in queue order; guarded by itself. */
  private final LinkedHashSet<String> queue = new LinkedHashSet<>();
  private final Thread worker;
  private volatile boolean closed;

  /**
   * Opens the cache over {@code data} (a local directory store), taking what it already holds as
   * cached (hit counts start at 0), and starts the worker.
   */
  public ImageCache(
      ImageRepository images, Stores stores, BlobStore data, long maxBytes, Clock clock) {
    this.images = images;
    this.stores = stores;
    this.data = data;
    this.maxBytes = maxBytes;
    this.clock = clock;
    double now = now();
    try (Stream<String> keys = data.keys()) {
      for (String id : keys.toList()) {
        try (SeekableByteChannel ch = data.get(id).orElse(null)) {
          if (ch != null) {
            cached.put(id, new Meta(ch.size(), now));
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the image cache: " + e, e);
    }
    this.worker = Thread.ofVirtual().name("image-cache").start(this::work);
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** The cached images, by image id. */
  public List<Entry> cached() {
    List<Entry> out = new ArrayList<>();
    cached.forEach(
        (id, m) -> out.add(new Entry(id, m.lastAccessed, m.lastModified, m.size, m.hits.get())));
    out.sort(Comparator.comparing(Entry::imageId));
    return out;
  }

  /** The queued image ids, in queue order. */
  public List<String> queued() {
    synchronized (queue) {
      return List.copyOf(queue);
    }
  }

  /** Bytes held. */
  public long size() {
    return cached.values().stream().mapToLong(m -> m.size).sum();
  }

  /** Queues an (active) image for caching; a cached one is left as it is, as Glance's. */
  void queue(String id) {
    if (cached.containsKey(id)) {
      return;
    }
    synchronized (queue) {
      queue.add(id);
      queue.notifyAll();
    }
  }

  /** Removes an image from the cache and the queue. */
  public void delete(String id) {
    synchronized (queue) {
      queue.remove(id);
    }
    if (cached.remove(id) != null) {
      deleteQuietly(id);
    }
  }

  /** Empties the cache; returns how many images it held. */
  public int clearCache() {
    int n = 0;
    for (String id : List.copyOf(cached.keySet())) {
      if (cached.remove(id) != null) {
        deleteQuietly(id);
        n++;
      }
    }
    return n;
  }

  /** Empties the queue; returns how many images it held. */
  public int clearQueue() {
    synchronized (queue) {
      int n = queue.size();
      queue.clear();
      return n;
    }
  }

  /**
   * The cached data of {@code id} (a hit: counted, and the entry is now the most recently used),
   * or empty (a miss: the caller reads the image's store).
   */
  Optional<SeekableByteChannel> open(String id) {
    Meta m = cached.get(id);
    if (m == null) {
      return Optional.empty();
    }
    try {
      Optional<SeekableByteChannel> ch = data.get(id);
      if (ch.isPresent()) {
        m.hits.incrementAndGet();
        m.lastAccessed = now();
      } else {
        cached.remove(id, m); // evicted or cleared meanwhile
      }
      return ch;
    } catch (IOException e) {
      LOG.warn("cached data of image {} unreadable, reading its store: {}", id, e.toString());
      return Optional.empty();
    }
  }

  private void work() {
    while (!closed) {
      String id;
      synchronized (queue) {
        while (queue.isEmpty() && !closed) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        id = queue.getFirst();
      }
      try {
        fill(id);
      } catch (RuntimeException e) {
        LOG.warn("caching image {} failed: {}", id, e.toString());
      }
      synchronized (queue) {
        queue.remove(id);
      }
    }
  }

  /** Copies one queued image into the cache, if it is still active and fits. */
  void fill(String id) {
    Optional<Image> found = images.find(id);
    if (found.isEmpty() || found.get().status() != ImageStatus.ACTIVE || found.get().size() == null) {
      return; // deleted or deactivated since it was queued
    }
    Image image = found.get();
    long size = image.size();
    if (size > maxBytes) {
      LOG.info("image {} ({} bytes) is larger than the image cache ({} bytes): not cached", id,
          size, maxBytes);
      return;
    }
    makeRoom(size);
    for (String storeId : stores.of(image)) {
      Optional<BlobStore> store = stores.find(storeId);
      if (store.isEmpty()) {
        continue;
      }
      try {
        Optional<SeekableByteChannel> ch = store.get().get(id);
        if (ch.isEmpty()) {
          continue;
        }
        BlobStore.Stored stored;
        try (InputStream in = Channels.newInputStream(ch.get())) {
          stored = data.put(id, in, size);
        }
        if (stored.size() != size
            || (image.osHashValue() != null && !stored.sha512().equals(image.osHashValue()))) {
          LOG.warn("image {} read from {} does not match its hash: not cached", id, storeId);
          deleteQuietly(id);
          return;
        }
        // Deleted while copying: the copy must not outlive the image.
        Optional<Image> after = images.find(id);
        if (after.isEmpty() || after.get().deleted()) {
          deleteQuietly(id);
          return;
        }
        synchronized (queue) {
          if (!queue.contains(id)) {
            deleteQuietly(id); // dropped from the queue (delete, clear) while copying
            return;
          }
          cached.put(id, new Meta(size, now()));
        }
        LOG.info("image {} cached ({} bytes from store {})", id, size, storeId);
        return;
      } catch (IOException e) {
        LOG.warn("caching image {} from {} failed: {}", id, storeId, e.toString());
      }
    }
  }

  /** Evicts the least recently used entries until {@code incoming} more bytes fit. */
  private void makeRoom(long incoming) {
    List<Map.Entry<String, Meta>> byAge = new ArrayList<>(cached.entrySet());
    byAge.sort(Comparator.comparingDouble(e -> e.getValue().lastAccessed));
    long held = size();
    for (Map.Entry<String, Meta> e : byAge) {
      if (held + incoming <= maxBytes) {
        break;
      }
      if (cached.remove(e.getKey(), e.getValue())) {
        deleteQuietly(e.getKey());
        held -= e.getValue().size;
        LOG.info("image {} evicted from the image cache to make room", e.getKey());
      }
    }
  }

  private void deleteQuietly(String id) {
    try {
      data.delete(id);
    } catch (IOException e) {
      LOG.warn("could not remove cached data of image {}: {}", id, e.toString());
    }
  }

  private double now() {
    return clock.millis() / 1000.0;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    worker.interrupt();
  }
}
