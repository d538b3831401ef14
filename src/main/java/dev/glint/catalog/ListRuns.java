package dev.glint.catalog;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link ListRun}s of the current index snapshot, by caller scope and query (without marker and
 * limit). A run asked for and missing is built on one background thread while the asker pages the
 * usual way; lists that are paged (clients walking markers) get one, first pages never ask.
 *
 * <p>Bounded three ways: runs exist only for the snapshot the index answers from (a newer one
 * drops them all, so no run keeps an old snapshot alive); they hold at most {@link #BUDGET_INTS}
 * ints together (past it, all are dropped and the lists asked for next are built again); and
 * building takes at most a tenth of one core: after a build of t, the next waits 9t. Under a
 * stream of writes, every write makes a new snapshot, and paged lists mostly walk.
 */
final class ListRuns implements AutoCloseable {
  /** 32 MB: the admin's run over a million images takes 12. */
  static final long BUDGET_INTS = 8L << 20;

  private record Key(ImageRepository.Scope scope, ListQuery query) {}

  private final ConcurrentHashMap<Key, ListRun> runs = new ConcurrentHashMap<>();
  private final ExecutorService builder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "glint-list-runs");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean building = new AtomicBoolean();
  private volatile IndexSnapshot seen;
  private volatile long quietUntil = System.nanoTime();
  private long ints;

  /**
   * The run of this list read from {@code snapshot}, or null, after asking for it to be built.
   *
   * @param query with no changes-since (whose deleted rows depend on the clock)
   */
  ListRun get(IndexSnapshot snapshot, Supplier<IndexSnapshot> current,
      ImageRepository.Scope scope, ListQuery query) {
    IndexSnapshot last = seen;
    if (last != snapshot) {
      if (last != null && snapshot.generation < last.generation) {
        return null; // a reader still on an older snapshot than another has seen
      }
      forget(snapshot);
    }
    Key key = new Key(scope, pageless(query));
    ListRun run = runs.get(key);
    if (run != null && run.snapshot == snapshot) {
      return run;
    }
    if (System.nanoTime() - quietUntil >= 0 && building.compareAndSet(false, true)) {
      try {
        builder.execute(() -> build(key, current));
      } catch (RejectedExecutionException closed) {
        building.set(false);
      }
    }
    return null;
  }

  private synchronized void forget(IndexSnapshot snapshot) {
    if (seen != snapshot) {
      runs.clear();
      ints = 0;
      seen = snapshot;
    }
  }

  private void build(Key key, Supplier<IndexSnapshot> current) {
    long start = System.nanoTime();
    try {
      IndexSnapshot snapshot = current.get();
      if (snapshot == null) {
        return;
      }
      int[] rows = IndexQuery.all(snapshot, key.scope(), key.query(), snapshot.all.length);
      if (rows == null) {
        return;
      }
      ListRun run = new ListRun(snapshot, rows);
      synchronized (this) {
        if (seen != snapshot) {
          return; // the index moved on while this was read: the next ask builds again
        }
        if (ints + run.ints() > BUDGET_INTS) {
          runs.clear();
          ints = 0;
        }
        ints += run.ints();
        ListRun old = runs.put(key, run);
        if (old != null) {
          ints -= old.ints();
        }
      }
    } finally {
      long took = System.nanoTime() - start;
      quietUntil = System.nanoTime() + 9 * took;
      building.set(false);
    }
  }

  private static ListQuery pageless(ListQuery q) {
    return new ListQuery(
        q.conditions(), q.properties(), q.tags(), q.visibility(), q.memberStatus(), q.osHidden(),
        q.rows(), q.changesSince(), q.sort(), null, q.markerRule(), 0, q.full(), q.previous());
  }

  @Override
  public void close() {
    builder.shutdownNow();
  }
}
