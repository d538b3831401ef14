package dev.glint.compute;

import dev.glint.catalog.ListRun;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Summary list items rendered for one caller's links from a {@link ListRun}, {@link #SIZE} at a
 * time: a page sliced from a run is then its opening, one or two copies out of these and its
 * paging links. A chunk is rendered the first time a page needs it, on the request's thread (256
 * items, well under a millisecond).
 *
 * <p>Bounded: chunks belong to the runs of one catalog state (a run of a newer one drops them
 * all, so none keeps an old run alive), and together hold at most {@link #BUDGET} bytes (past it,
 * all are dropped and the pages asked for next render them again).
 */
final class SummaryChunks {
  static final int SIZE = 256;
  static final long BUDGET = 32L << 20;

  /**
   * Items {@code [first, first + count)} of a run, each with a leading comma: item n spans {@code
   * bytes[offsets[n], offsets[n + 1])}.
   */
  record Chunk(int first, byte[] bytes, int[] offsets) {
    /** The position after this chunk's last item. */
    int next() {
      return first + offsets.length - 1;
    }
  }

  private record Key(ListRun run, NovaLinks links, int index) {}

  private final ConcurrentHashMap<Key, Chunk> chunks = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile Object version;

  /** The chunk holding {@code position}, or null when an item is one only its image renders. */
  Chunk at(ListRun run, NovaLinks links, int position) {
    Object v = run.version();
    if (version != v) {
      forget(v);
    }
    Key key = new Key(run, links, position / SIZE);
    Chunk chunk = chunks.get(key);
    if (chunk != null) {
      return chunk;
    }
    int first = key.index() * SIZE;
    chunk = ComputeImageView.summaryItems(run, first, Math.min(run.size(), first + SIZE), links);
    if (chunk == null) {
      return null;
    }
    if (bytes.addAndGet(chunk.bytes().length) > BUDGET) {
      chunks.clear();
      bytes.set(chunk.bytes().length);
    }
    if (chunks.put(key, chunk) != null) {
      bytes.addAndGet(-chunk.bytes().length);
    }
    return chunk;
  }

  private synchronized void forget(Object v) {
    if (version != v) {
      chunks.clear();
      bytes.set(0);
      version = v;
    }
  }
}
