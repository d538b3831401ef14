package dev.glint.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * First pages a hot lane rendered, kept while what they were read from stays the same object (the
 * in-memory index's snapshot, compared by identity): a repeat of the same request by the same kind
 * of caller is then a map lookup. Bounded: pages above {@link #PAGE_MAX} are not kept, and the map
 * is emptied when the pages kept would pass {@link #BUDGET} (the pages asked for next fill it
 * again) and when a page read from another version arrives, so that no page keeps an old snapshot
 * (and its arrays) reachable.
 */
public final class HotPages {
  static final int PAGE_MAX = 64 * 1024;
  static final long BUDGET = 16L << 20;

  private record Kept(Object version, byte[] body) {}

  private final ConcurrentHashMap<Object, Kept> pages = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  /** The version the kept pages were read from: a page of another one empties the map first. */
  private volatile Object current;

  /**
   * Whether a list's raw query may be kept: a first page (no {@code marker}) without {@code
   * changes-since}, whose deleted images depend on the clock.
   */
  public static boolean repeatable(String rawQuery) {
    return !rawQuery.contains("marker") && !rawQuery.contains("changes-since");
  }

  /** The page kept for {@code key} if it was read from {@code version}, else null. */
  public byte[] get(Object key, Object version) {
    Kept k = pages.get(key);
    return k != null && k.version() == version ? k.body() : null;
  }

  /**
   * Keeps {@code body} for {@code key}, read from {@code version}; the key must hold everything the
   * bytes depend on besides that version.
   */
  public void put(Object key, Object version, byte[] body) {
    if (body.length > PAGE_MAX) {
      return;
    }
    if (version != current) {
      forget(version); // pages of an older snapshot would keep it, and its arrays, alive
    }
    if (bytes.addAndGet(body.length) > BUDGET) {
      pages.clear();
      bytes.set(body.length);
    }
    Kept old = pages.put(key, new Kept(version, body));
    if (old != null) {
      bytes.addAndGet(-old.body().length);
    }
  }

  private synchronized void forget(Object version) {
    if (version != current) {
      pages.clear();
      bytes.set(0);
      current = version;
    }
  }
}
