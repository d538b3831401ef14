package dev.glint.catalog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog generation as this node last saw it: a number the store advances in the same
 * transaction as every committed change to images, members, tags or properties. Reading it is a
 * volatile read. The store moves it forward after each local commit (before the write is
 * acknowledged) and when it hears of other nodes' commits (PostgreSQL {@code NOTIFY}, or its
 * one-second poll). Listeners hear each new value at least once (a local commit may be heard twice: from the committer and from the watcher), in increasing order per caller thread;
 * a jump (several commits seen at once) is reported as one call with the newest value.
 */
public final class CatalogGeneration {
  /**
   * The response header both image APIs carry it in, so an operator can compare nodes (a node
   * that lags others sharing the store shows a smaller number).
   */
  public static final String HEADER = "X-Glint-Catalog-Generation";

  private static final Logger LOG = LoggerFactory.getLogger(CatalogGeneration.class);

  private final AtomicLong value;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  public CatalogGeneration(long initial) {
    this.value = new AtomicLong(initial);
  }

  /** The newest generation this node knows of. */
  public long current() {
    return value.get();
  }

  /**
   * Calls {@code listener} with every newer generation from now on (on the thread that learnt of
   * it: a committing request, or the store's watcher). It must be quick and must not throw.
   */
  public void addListener(LongConsumer listener) {
    listeners.add(listener);
  }

  public void removeListener(LongConsumer listener) {
    listeners.remove(listener);
  }

  /**
   * Records that the store has reached {@code generation}; older or equal values are ignored, so
   * the number seen here never goes back. Called by the store only.
   */
  public void advanceTo(long generation) {
    long before = value.getAndAccumulate(generation, Math::max);
    if (generation <= before) {
      return;
    }
    tell(generation);
  }

  /**
   * Records this node's own commit of {@code generation}, from the committing thread before the
   * write is acknowledged. Unlike {@link #advanceTo}, listeners hear it even when the store's
   * watcher reported it first (PostgreSQL notifies the committer too): a listener that must have
   * caught up before the acknowledgement (the in-memory list) gets to wait for that here.
   */
  public void committed(long generation) {
    value.getAndAccumulate(generation, Math::max);
    tell(generation);
  }

  private void tell(long generation) {
    for (LongConsumer l : listeners) {
      try {
        l.accept(generation);
      } catch (RuntimeException e) {
        LOG.warn("catalog generation listener failed at {}: {}", generation, e.toString());
      }
    }
  }
}
