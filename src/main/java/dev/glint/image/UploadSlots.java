package dev.glint.image;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import io.javalin.http.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps image uploads in progress, per node and per project (issue 10): each holds a connection, a
 * request slot and buffers for as long as its client takes, so one project must not take them
 * all. Over a cap, 413 with Retry-After: the request is fine, just not now.
 */
final class UploadSlots {
  static final String RETRY_AFTER = "10";
  private final int perNode;
  private final int perProject;
  private final AtomicInteger node = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> projects = new ConcurrentHashMap<>();

  UploadSlots(int perNode, int perProject) {
    this.perNode = perNode;
    this.perProject = perProject;
  }

  /** A held slot; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  Slot take(Context ctx, String project) {
    String key = project == null ? "" : project;
    AtomicInteger mine = projects.computeIfAbsent(key, k -> new AtomicInteger());
    if (node.incrementAndGet() > perNode) {
      node.decrementAndGet();
      throw refuse(ctx, "Too many image uploads in progress on this server; retry later.");
    }
    if (mine.incrementAndGet() > perProject) {
      mine.decrementAndGet();
      node.decrementAndGet();
      throw refuse(ctx, "Too many image uploads in progress for this project; retry later.");
    }
    return () -> {
      mine.decrementAndGet();
      node.decrementAndGet();
    };
  }

  private static ApiException refuse(Context ctx, String message) {
    ctx.header("Retry-After", RETRY_AFTER);
    return new ApiException(ErrorCode.OVER_LIMIT, message);
  }
}
