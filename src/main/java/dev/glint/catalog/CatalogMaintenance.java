package dev.glint.catalog;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's background work on the catalog, on one daemon thread: renewing its uploads' leases and
 * taking over expired ones (every third of the lease), and, when configured, the daily purge.
 * A failure (the store down) is logged and the next round tries again.
 */
public final class CatalogMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogMaintenance.class);
  /** A recovery can move thousands of uploads (a restored catalog): one bounded line says so. */
  static final int LOGGED_IDS = 10;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "glint-maintenance");
            t.setDaemon(true);
            return t;
          });

  private CatalogMaintenance() {}

  /**
   * Starts the work: leases always; the purge of images deleted more than {@code retention} ago
   * once a day when {@code purgeDaily}, the first run within an hour of start (at a random minute,
   * so nodes started together do not purge together).
   */
  public static CatalogMaintenance start(
      CatalogService catalog, Clock clock, Duration retention, boolean purgeDaily, int batch) {
    CatalogMaintenance m = new CatalogMaintenance();
    UploadLeases leases = catalog.uploadLeases();
    long every = Math.max(100, leases.ttl().toMillis() / 3);
    m.timer.scheduleWithFixedDelay(
        () -> m.quietly("upload lease renewal", () -> tick(leases, catalog.imports())),
        every, every, TimeUnit.MILLISECONDS);
    if (purgeDaily) {
      long first = ThreadLocalRandom.current().nextLong(60, 3_600);
      m.timer.scheduleAtFixedRate(
          () ->
              m.quietly(
                  "daily purge",
                  () -> catalog.purge().run(clock.instant().minus(retention), batch)),
          first, TimeUnit.DAYS.toSeconds(1), TimeUnit.SECONDS);
    }
    return m;
  }

  private static void tick(UploadLeases leases, ImportService imports) {
    leases.renew();
    List<String> failed = imports.recoverExpired();
    if (!failed.isEmpty()) {
      LOG.warn(
          "{} import(s) lost their node (lease expired); failed, back to queued: {}",
          failed.size(), failed);
    }
    List<String> recovered = leases.recoverExpired();
    if (!recovered.isEmpty()) {
      LOG.warn(
          "{} upload(s) lost their node (lease expired); back to queued: {}",
          recovered.size(), sample(recovered));
    }
  }

  /** Ids for a log line: all of a few, else the first {@link #LOGGED_IDS} and how many more. */
  static String sample(List<String> ids) {
    if (ids.size() <= LOGGED_IDS) {
      return ids.toString();
    }
    return ids.subList(0, LOGGED_IDS).toString().replaceFirst("]$", "")
        + ", … " + (ids.size() - LOGGED_IDS) + " more]";
  }

  private void quietly(String what, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed, will retry: {}", what, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
