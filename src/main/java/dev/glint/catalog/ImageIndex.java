package dev.glint.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's list, answered from memory (issue 9). The store stays the source of truth: this
 * keeps an {@link IndexSnapshot} of it and moves the snapshot to each new catalog generation by
 * reading only the images that changed ({@link ImageRepository#scan}).
 *
 * <ul>
 *   <li>At start it builds in the background; until then, and whenever it is behind the
 *       generation this node knows of, {@link #snapshot()} is null and lists go to SQL.
 *   <li>A local write moves it forward in the committing thread (the generation's listener),
 *       before the write is acknowledged, so a node always lists its own writes.
 *   <li>Other nodes' writes arrive through the store's watcher (PostgreSQL NOTIFY, or its
 *       one-second poll), on the watcher's thread.
 * </ul>
 *
 * Full images for a page come from a bounded cache keyed by the indexed version (an image's
 * checksums are not kept in the index), loaded from the store in one query on a miss.
 */
public final class ImageIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageIndex.class);
  /**
   * A patch leaves the replaced rows behind in the columns; beyond this many (and half the live
   * ones) a background rebuild compacts them.
   */
  static final int DEAD_ROWS = 50_000;
  /** Full images kept for rendering pages; about 1.5 KB each. */
  static final int IMAGE_CACHE = 32_768;

  private final ImageRepository store;
  private final CatalogGeneration generation;
  private final ReentrantLock lock = new ReentrantLock();
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "glint-image-index");
            t.setDaemon(true);
            return t;
          });
  /** Full images by {@link #key} of their row: one version of an image in one lineage. */
  private final ConcurrentHashMap<Long, Image> images = new ConcurrentHashMap<>();
  private volatile IndexSnapshot current;
  private final ListRuns runs = new ListRuns();
  /** The columns the next change appends to (the newest snapshot's, or a grown copy); lock. */
  private IndexColumns columns;
  private volatile boolean building;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean catchUpQueued =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ImageIndex(ImageRepository store) {
    this.store = store;
    this.generation = store.generation();
  }

  /** Starts building in the background; lists use SQL until the index has caught up. */
  public static ImageIndex start(ImageRepository store) {
    ImageIndex index = new ImageIndex(store);
    index.building = true;
    index.generation.addListener(g -> index.advanced());
    index.background.execute(index::rebuild);
    return index;
  }

  /** The snapshot to answer from, or null when the index is not built or is behind this node. */
  IndexSnapshot snapshot() {
    IndexSnapshot s = current;
    if (s == null || s.generation < generation.current()) {
      if (s != null && !building && !closed && catchUpQueued.compareAndSet(false, true)) {
        // E.g. a catch-up failed while the store was down. One queued at a time, however many
        // lists arrive meanwhile.
        background.execute(
            () -> {
              catchUpQueued.set(false);
              catchUp();
            });
      }
      return null;
    }
    return s;
  }

  /** Whether lists are served from memory right now (for the health check). */
  public boolean ready() {
    IndexSnapshot s = current;
    return s != null && s.generation >= generation.current();
  }

  /** How many images the index holds (deleted ones included), or -1 before it is built. */
  public long size() {
    IndexSnapshot s = current;
    return s == null ? -1 : s.size();
  }

  /** The generation the index has reached, or -1 before it is built. */
  public long generation() {
    IndexSnapshot s = current;
    return s == null ? -1 : s.generation;
  }

  private void advanced() {
    if (building || closed) {
      return; // the build catches up on what it missed when it ends
    }
    catchUp();
  }

  private void rebuild() {
    building = true;
    try {
      lock.lock();
      try {
        long started = System.nanoTime();
        long expected = store.count(); // a hint: the scan's snapshot may hold a few more or less
        IndexColumns[] c = {IndexColumns.create((int) Math.min(expected + expected / 64, 1 << 30))};
        ImageRepository.Scan scan =
            store.scan(-1, (image, members) -> c[0] = c[0].append(image, members));
        long scanned = System.nanoTime();
        current = IndexSnapshot.build(scan.generation(), c[0]);
        columns = c[0];
        images.clear();
        LOG.info(
            "image index built: {} images at generation {} in {} ms ({} ms reading the store),"
                + " {} MB of columns",
            c[0].rows,
            scan.generation(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
            TimeUnit.NANOSECONDS.toMillis(scanned - started),
            c[0].bytes() >> 20);
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException e) {
      LOG.warn("image index not built ({}); lists use the store until it is", e.toString());
    } finally {
      building = false;
    }
    catchUp();
  }

  /**
   * Moves the snapshot to the store's generation. Failures (the store down) leave it behind,
   * which sends lists to the store; the next generation or list retries.
   */
  void catchUp() {
    if (closed) {
      return;
    }
    lock.lock();
    try {
      IndexSnapshot s = current;
      if (s == null) {
        rebuildLater();
        return;
      }
      if (s.generation >= generation.current()) {
        return;
      }
      // Each changed image becomes a new row; its old row (if any) leaves the orders.
      int[][] dropped = {new int[16]};
      int[][] added = {new int[16]};
      int[] n = {0};
      ImageRepository.Scan scan =
          store.scan(
              s.generation,
              (image, members) -> {
                columns = columns.append(image, members);
                if (n[0] == added[0].length) {
                  dropped[0] = Arrays.copyOf(dropped[0], n[0] * 2);
                  added[0] = Arrays.copyOf(added[0], n[0] * 2);
                }
                dropped[0][n[0]] = s.find(image.id());
                added[0][n[0]++] = columns.rows - 1;
              });
      if (scan.full()) {
        // A bulk change (an import, a purge): rescan in the background, not in this committing
        // thread; lists use SQL until the rebuild has caught up.
        rebuildLater();
        return;
      }
      IndexSnapshot next =
          s.patch(
              scan.generation(),
              columns,
              Arrays.copyOf(dropped[0], n[0]),
              Arrays.copyOf(added[0], n[0]));
      current = next;
      int dead = columns.rows - next.size();
      if (dead > DEAD_ROWS && dead > next.size() / 2) {
        rebuildLater(); // compacts: the old versions' rows are dropped
      }
    } catch (RuntimeException e) {
      LOG.warn("image index behind the store ({}); lists use the store meanwhile", e.toString());
    } finally {
      lock.unlock();
    }
  }

  private void rebuildLater() {
    if (!building && !closed) {
      building = true; // one rebuild at a time; it catches up on what arrives meanwhile
      background.execute(this::rebuild);
    }
  }

  private static Long key(IndexColumns c, int row) {
    return ((long) c.lineage << 32) | row;
  }

  /**
   * The full images of a page's rows from the cache alone, in order; null when one is not cached
   * (the caller must not block, and asks {@link #images} elsewhere).
   */
  List<Image> cachedImages(IndexQuery.Result r) {
    IndexColumns c = r.snapshot().columns;
    int[] page = r.page();
    Image[] out = new Image[page.length];
    for (int n = 0; n < out.length; n++) {
      out[n] = images.get(key(c, page[n]));
      if (out[n] == null) {
        return null;
      }
    }
    return List.of(out);
  }

  /**
   * The full images of a page's rows, in the same order: from the cache, the rest from the store
   * in one read. An image the store no longer has (purged meanwhile) is left out.
   */
  List<Image> images(IndexQuery.Result r) {
    IndexColumns c = r.snapshot().columns;
    int[] page = r.page();
    Image[] out = new Image[page.length];
    List<String> missing = new ArrayList<>();
    for (int n = 0; n < out.length; n++) {
      out[n] = images.get(key(c, page[n]));
      if (out[n] == null) {
        missing.add(c.id(page[n]));
      }
    }
    if (!missing.isEmpty()) {
      Map<String, Image> loaded = store.findAll(missing);
      if (images.size() + loaded.size() > IMAGE_CACHE) {
        images.clear(); // bounded; the pages asked for next refill it
      }
      for (int n = 0; n < out.length; n++) {
        if (out[n] == null) {
          out[n] = loaded.get(c.id(page[n]));
          if (out[n] != null) {
            images.put(key(c, page[n]), out[n]);
          }
        }
      }
    }
    List<Image> result = new ArrayList<>(out.length);
    for (Image i : out) {
      if (i != null) {
        result.add(i);
      }
    }
    return result;
  }

  /**
   * The whole list for this scope and query from the snapshot answering now, or null when there
   * is none yet ({@link ListRuns} builds it in the background) or no snapshot answers.
   */
  ListRun run(ImageRepository.Scope scope, ListQuery query) {
    IndexSnapshot s = snapshot();
    return s == null ? null : runs.get(s, this::snapshot, scope, query);
  }

  @Override
  public void close() {
    closed = true;
    runs.close();
    background.shutdownNow();
  }
}
