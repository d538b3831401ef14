package dev.glint.compute;

import dev.glint.catalog.ListRun;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Summary list items rendered for one caller's links from a {@link ListRun}, {@link #SIZE} at a
 * time: a page sliced from a run is then its opening, one copy out of each chunk it spans and its
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

    /**
     * The id of the item at {@code position} as a paging link's marker, copied from the item's
     * bytes (in cache just after a page copied them, where the index's id columns are a few
     * random reads away); null when encoding the id for the link would change it.
     */
    byte[] marker(int position) {
      int from = offsets[position - first] + ComputeImageView.ITEM_ID_AT;
      int to = from;
      while (bytes[to] != '"') { // the id's JSON string ends at the first bare quote
        if (!NovaLinks.kept((char) bytes[to])) {
          return null;
        }
        to++;
      }
      return to == from ? null : Arrays.copyOfRange(bytes, from, to);
    }
  }

  /**
   * One run's chunks for one caller's links, by index, and the paging links' text up to the
   * marker by path and limit.
   */
  private record Rendered(
      ListRun run, AtomicReferenceArray<Chunk> chunks, ConcurrentHashMap<String, byte[]> hrefs) {}

  private final ConcurrentHashMap<NovaLinks, Rendered> rendered = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private volatile Object version;

  /** The chunks of {@code run} for these links (a page's lookups go to them). */
  Chunks of(ListRun run, NovaLinks links) {
    Object v = run.version();
    if (version != v) {
      forget(v);
    }
    Rendered r = rendered.get(links);
    if (r == null || r.run() != run) {
      r = new Rendered(run, new AtomicReferenceArray<>((run.size() + SIZE - 1) / SIZE),
          new ConcurrentHashMap<>());
      rendered.put(links, r);
    }
    return new Chunks(r, links);
  }

  /** A run's chunks for one caller's links. */
  final class Chunks {
    private final Rendered r;
    private final NovaLinks links;

    private Chunks(Rendered r, NovaLinks links) {
      this.r = r;
      this.links = links;
    }

    /**
     * A pager's link up to its marker, {@code <list URL>?[limit=<limit>&]marker=}, as JSON string
     * content: the same for every page of this list at this limit.
     */
    byte[] href(String path, String limit) {
      String key = limit == null ? path : path + "?" + limit;
      byte[] href = r.hrefs().get(key);
      if (href == null) {
        String url = links.page(path, limit == null ? Map.of() : Map.of("limit", limit), "-");
        href = ComputeImageView.inner(url.substring(0, url.length() - 1));
        if (r.hrefs().size() < 64) {
          r.hrefs().put(key, href);
        }
      }
      return href;
    }

    /** The chunk holding {@code position} if it is rendered already, else null. */
    Chunk rendered(int position) {
      return r.chunks().get(position / SIZE);
    }

    /** The chunk holding {@code position}, or null when an item is one only its image renders. */
    Chunk at(int position) {
      int index = position / SIZE;
      Chunk chunk = r.chunks().get(index);
      if (chunk != null) {
        return chunk;
      }
      int first = index * SIZE;
      chunk = ComputeImageView.summaryItems(
          r.run(), first, Math.min(r.run().size(), first + SIZE), links);
      if (chunk == null) {
        return null;
      }
      if (bytes.addAndGet(chunk.bytes().length) > BUDGET) {
        rendered.clear(); // this page still uses its chunk
        bytes.set(chunk.bytes().length);
      }
      r.chunks().set(index, chunk);
      return chunk;
    }
  }

  private synchronized void forget(Object v) {
    if (version != v) {
      rendered.clear();
      bytes.set(0);
      version = v;
    }
  }
}
