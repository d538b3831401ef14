package dev.glint.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * prefetcher copies queued images from a store that holds them, checks each SHA-512 against the
 * image's {@code os_hash_value}, and evicts the least recently used entries to stay under {@code
 * maxBytes}. It runs as soon as an image is queued (Glance Zed's cache worker), or, with an
 * interval, every so often over the whole queue (the {@code cache_images} periodic job of Glance
 * Train to Yoga, {@code cache_prefetcher_interval}). An image stays queued until it is cached,
 * dropped, or found deleted; one that could not be copied (not active, a store failure) stays for
 * the next run, as in Glance. The queue is kept on disk (one small blob per image in {@code
 * queueStore}, as Glance keeps one file per queued image), so it outlives a restart. Image data
 * never changes once active, so an entry is only ever dropped, never refreshed: on delete of the
 * image, on eviction, or by the cache API. Thread-safe.
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

  /** What a prefetch of one queued image came to. */
  enum Outcome {
    /** Copied: now cached, no longer queued. */
    CACHED,
    /** Never cacheable (the image is gone, or larger than the cache): no longer queued. */
    DROPPED,
    /** Not copied this time (not active, no store had it, a read failed): still queued. */
    KEPT
  }

  private final ImageRepository images;
  private final Stores stores;
  private final BlobStore data;
  /** The queue on disk: one blob per queued image, holding its place in the queue; or null. */
  private final BlobStore queueStore;
  private final long maxBytes;
  /** Zero: prefetch as soon as an image is queued; else run over the whole queue this often. */
  private final Duration interval;
  private final Clock clock;
  private final Map<String, Meta> cached = new ConcurrentHashMap<>();
  /** Queued image ids in queue order; guarded by itself, as are the three fields below. */
  private final LinkedHashSet<String> queue = new LinkedHashSet<>();
  /** Without an interval: the ids queued since the worker last looked. */
  private final LinkedHashSet<String> submitted = new LinkedHashSet<>();
  /** The place the next queued image takes (persisted with it, so the order survives a restart). */
  private long nextPlace;
  /** With an interval: when the next run is due ({@link System#nanoTime()}). */
  private long nextRun;
  private final Thread worker;
  private volatile boolean closed;

  /**
   * Opens the cache over {@code data} (a local directory store), taking what it already holds as
   * cached (hit counts start at 0) and what {@code queueStore} holds as queued, and starts the
   * prefetcher.
   *
   * @param queueStore where the queue is kept across restarts (a local directory store); null
   *     keeps it in memory only
   * @param interval how often the prefetcher runs over the queue; zero for at once on each queueing
   */
  public ImageCache(
      ImageRepository images,
      Stores stores,
      BlobStore data,
      BlobStore queueStore,
      long maxBytes,
      Duration interval,
      Clock clock) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("the prefetch interval must not be negative: " + interval);
    }
    this.images = images;
    this.stores = stores;
    this.data = data;
    this.queueStore = queueStore;
    this.maxBytes = maxBytes;
    this.interval = interval;
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
      loadQueue();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the image cache: " + e, e);
    }
    // Without an interval, what was queued before a restart is fetched at once, as if queued now.
    if (interval.isZero()) {
      submitted.addAll(queue);
    }
    nextRun = System.nanoTime() + interval.toNanos();
    // A platform daemon thread, as the other periodic pollers (CatalogMaintenance, RevocationList).
    this.worker = Thread.ofPlatform().daemon().name("image-cache").start(this::work);
  }

  /** Reads the persisted queue back in its order; an entry already cached is done with. */
  private void loadQueue() throws IOException {
    if (queueStore == null) {
      return;
    }
    Map<String, Long> places = new java.util.HashMap<>();
    try (Stream<String> keys = queueStore.keys()) {
      for (String id : keys.toList()) {
        Optional<SeekableByteChannel> ch = queueStore.get(id);
        if (ch.isEmpty()) {
          continue;
        }
        long place;
        try (InputStream in = Channels.newInputStream(ch.get())) {
          String text = new String(in.readNBytes(32), StandardCharsets.US_ASCII).strip();
          try {
            place = Long.parseLong(text);
          } catch (NumberFormatException e) {
            place = Long.MAX_VALUE; // unreadable: queued all the same, at the end
          }
        }
        if (cached.containsKey(id)) {
          queueStore.delete(id);
        } else {
          places.put(id, place);
        }
      }
    }
    places.entrySet().stream()
        .sorted(
            Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> queue.add(e.getKey()));
    nextPlace =
        places.values().stream().filter(p -> p != Long.MAX_VALUE).mapToLong(p -> p).max().orElse(0)
            + 1;
  }

  /** The prefetch interval; zero when images are fetched as soon as they are queued. */
  public Duration interval() {
    return interval;
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

  /**
   * Queues an (active) image for caching; a cached one is left as it is, as Glance's driver does
   * ("Already cached"). Without an interval the prefetcher takes it at once (Glance Zed's worker);
   * with one, at its next run. Queueing a queued image again asks for another try (as Glance Zed
   * submits it to its worker again), which matters for one a store failed to give.
   */
  void queue(String id) {
    if (cached.containsKey(id)) {
      return;
    }
    synchronized (queue) {
      if (queue.isEmpty()) {
        // The first image of an idle queue waits a whole interval: the runs are timed from it.
        nextRun = System.nanoTime() + interval.toNanos();
      }
      if (queue.add(id)) {
        persist(id);
      }
      if (interval.isZero()) {
        submitted.add(id);
      }
      queue.notifyAll();
    }
  }

  /** Whether {@code id} is cached or queued here (whether or not its image still exists). */
  public boolean holds(String id) {
    if (cached.containsKey(id)) {
      return true;
    }
    synchronized (queue) {
      return queue.contains(id);
    }
  }

  /** Removes an image from the cache and the queue. */
  public void delete(String id) {
    dequeue(id);
    if (cached.remove(id) != null) {
      deleteQuietly(id);
    }
  }

  private void dequeue(String id) {
    synchronized (queue) {
      submitted.remove(id);
      if (queue.remove(id)) {
        unpersist(id);
      }
    }
  }

  /** Writes a queued image's place to the queue store; guarded by {@code queue}. */
  private void persist(String id) {
    if (queueStore == null) {
      return;
    }
    byte[] place = Long.toString(nextPlace++).getBytes(StandardCharsets.US_ASCII);
    try {
      queueStore.put(id, new ByteArrayInputStream(place), place.length);
    } catch (IOException e) {
      // Still queued in memory: only a restart before it is cached would lose it.
      LOG.warn("could not record image {} in the cache queue on disk: {}", id, e.toString());
    }
  }

  /** Removes a queued image from the queue store; guarded by {@code queue}. */
  private void unpersist(String id) {
    if (queueStore == null) {
      return;
    }
    try {
      queueStore.delete(id);
    } catch (IOException e) {
      LOG.warn("could not remove image {} from the cache queue on disk: {}", id, e.toString());
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
      for (String id : List.copyOf(queue)) {
        dequeue(id);
      }
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

  /**
   * The prefetcher: without an interval, fetches each image as it is queued; with one, runs over
   * every queued image in queue order an interval after an image is queued into an empty queue,
   * then every interval while images stay queued (as Glance's periodic job ran every interval;
   * timing the runs from the first queueing keeps an idle node asleep, and leaves an image queued
   * into an empty queue a whole interval in {@code queued_images}).
   */
  private void work() {
    while (!closed) {
      List<String> batch;
      synchronized (queue) {
        try {
          if (interval.isZero()) {
            while (submitted.isEmpty() && !closed) {
              queue.wait();
            }
            batch = List.copyOf(submitted);
            submitted.clear();
          } else {
            while (!closed) {
              long left = nextRun - System.nanoTime();
              if (queue.isEmpty()) {
                queue.wait();
              } else if (left > 0) {
                queue.wait(Math.max(1, left / 1_000_000));
              } else {
                break;
              }
            }
            nextRun = System.nanoTime() + interval.toNanos();
            batch = List.copyOf(queue);
          }
        } catch (InterruptedException e) {
          return;
        }
      }
      if (closed) {
        return;
      }
      for (String id : batch) {
        if (closed) {
          return;
        }
        synchronized (queue) {
          if (!queue.contains(id)) {
            continue; // dropped (delete, clear) since
          }
        }
        Outcome outcome;
        try {
          outcome = fill(id);
        } catch (RuntimeException e) {
          LOG.warn("caching image {} failed: {}", id, e.toString());
          outcome = Outcome.KEPT;
        }
        if (outcome == Outcome.DROPPED) {
          dequeue(id);
        }
      }
    }
  }

  /**
   * Copies one queued image into the cache, if it is still active and fits, and takes it off the
   * queue once cached.
   */
  Outcome fill(String id) {
    if (cached.containsKey(id)) {
      dequeue(id);
      return Outcome.CACHED;
    }
    Optional<Image> found = images.find(id);
    if (found.isEmpty() || found.get().deleted()) {
      // Glance leaves such an entry queued for ever; it can never be cached.
      LOG.info("image {} is gone: dropped from the image cache queue", id);
      return Outcome.DROPPED;
    }
    if (found.get().status() != ImageStatus.ACTIVE || found.get().size() == null) {
      LOG.info("image {} is not active: not cached, still queued", id);
      return Outcome.KEPT; // deactivated since it was queued: cached once active again
    }
    Image image = found.get();
    long size = image.size();
    if (size > maxBytes) {
      LOG.info("image {} ({} bytes) is larger than the image cache ({} bytes): not cached", id,
          size, maxBytes);
      return Outcome.DROPPED;
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
          return Outcome.KEPT;
        }
        // Deleted while copying: the copy must not outlive the image.
        Optional<Image> after = images.find(id);
        if (after.isEmpty() || after.get().deleted()) {
          deleteQuietly(id);
          return Outcome.DROPPED;
        }
        synchronized (queue) {
          if (!queue.contains(id)) {
            deleteQuietly(id); // dropped from the queue (delete, clear) while copying
            return Outcome.DROPPED;
          }
          cached.put(id, new Meta(size, now()));
          dequeue(id);
        }
        LOG.info("image {} cached ({} bytes from store {})", id, size, storeId);
        return Outcome.CACHED;
      } catch (IOException e) {
        LOG.warn("caching image {} from {} failed: {}", id, storeId, e.toString());
      }
    }
    return Outcome.KEPT;
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
