package dev.glint.catalog;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code glint purge}, as {@code glance-manage db purge}: removes images soft-deleted before a
 * cut-off with their properties, tags and members, a bounded batch per transaction, then their
 * data in every store; then data no live image owns (an upload whose image was deleted meanwhile,
 * a delete whose data removal failed, a crash between the two).
 */
public final class CatalogPurge {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogPurge.class);

  private final ImageRepository images;
  private final List<BlobStore> stores;

  CatalogPurge(ImageRepository images, List<BlobStore> stores) {
    this.images = images;
    this.stores = stores;
  }

  /**
   * What one run removed: rows per table, blobs of purged images, and orphan blobs.
   *
   * @param batches transactions that removed rows
   * @param failures blobs that could not be removed (they are tried again on the next run)
   */
  public record Report(
      long images,
      long properties,
      long tags,
      long members,
      long blobs,
      long orphanBlobs,
      long batches,
      long failures) {
    @Override
    public String toString() {
      return images + " images, " + properties + " properties, " + tags + " tags, " + members
          + " members (" + batches + " batches); " + blobs + " blobs of purged images, "
          + orphanBlobs + " orphan blobs" + (failures > 0 ? "; " + failures + " failures" : "");
    }
  }

  /**
   * Purges images deleted before {@code deletedBefore}, at most {@code batchSize} per transaction.
   */
  public Report run(Instant deletedBefore, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    long rows = 0, props = 0, tags = 0, members = 0, blobs = 0, orphans = 0, batches = 0;
    long[] failures = {0};
    while (true) {
      ImageRepository.Purged p = images.purgeDeleted(deletedBefore, batchSize);
      if (p.imageIds().isEmpty()) {
        break;
      }
      batches++;
      rows += p.imageIds().size();
      props += p.properties();
      tags += p.tags();
      members += p.members();
      // After the commit: rows whose removal rolled back keep their data.
      for (BlobStore store : stores) {
        for (String id : p.imageIds()) {
          blobs += delete(store, id, failures) ? 1 : 0;
        }
      }
      if (p.imageIds().size() < batchSize) {
        break;
      }
    }
    for (BlobStore store : stores) {
      orphans += sweep(store, batchSize, failures);
    }
    Report report = new Report(rows, props, tags, members, blobs, orphans, batches, failures[0]);
    LOG.info("purge of images deleted before {}: {}", deletedBefore, report);
    return report;
  }

  /** Removes the blobs of {@code store} that no live image owns, checking keys a batch at a time. */
  private long sweep(BlobStore store, int batchSize, long[] failures) {
    long removed = 0;
    try (Stream<String> keys = store.keys()) {
      Iterator<String> it = keys.iterator();
      List<String> batch = new ArrayList<>(batchSize);
      while (it.hasNext() || !batch.isEmpty()) {
        if (it.hasNext()) {
          batch.add(it.next());
        }
        if (batch.size() == batchSize || (!it.hasNext() && !batch.isEmpty())) {
          // A key checked here as ownerless stays so: images are created before their data, and
          // a deleted image never gets data back.
          Set<String> orphans = images.withoutLiveImage(batch);
          for (String key : orphans) {
            if (delete(store, key, failures)) {
              removed++;
              LOG.info("purge removed orphan blob {} from the {} store", key, store.id());
            }
          }
          batch.clear();
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("purge could not list the {} store: {}", store.id(), e.toString());
      failures[0]++;
    }
    return removed;
  }

  private static boolean delete(BlobStore store, String key, long[] failures) {
    try {
      return store.delete(key);
    } catch (IOException | RuntimeException e) {
      LOG.warn("purge could not remove blob {} from the {} store: {}", key, store.id(), e.toString());
      failures[0]++;
      return false;
    }
  }
}
