package dev.glint.http;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import io.javalin.http.Context;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-project request rate limits, off unless configured: a token bucket per project holding a
 * minute's worth of requests, refilled continuously. Over it, a 413 {@code overLimit} with
 * Retry-After, as Nova's legacy rate limits answered. Requests without a project (open paths,
 * unscoped tokens) are not counted; the auth filter must run first.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double capacity;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** @param perMinute requests a project may make per minute (and in one burst) */
  public RateLimiter(int perMinute) {
    this.capacity = perMinute;
    this.perSecond = perMinute / 60.0;
  }

  public void check(Context ctx) {
    Principal p = ctx.attribute(Principal.ATTRIBUTE);
    if (p == null || p.projectId() == null) {
      return;
    }
    long waitSeconds =
        buckets.computeIfAbsent(p.projectId(), k -> new Bucket(capacity)).take(System.nanoTime());
    if (waitSeconds > 0) {
      ctx.header("Retry-After", Long.toString(waitSeconds));
      throw new ApiException(ErrorCode.OVER_LIMIT, "This request was rate-limited.");
    }
  }

  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens) {
      this.tokens = tokens;
      this.last = System.nanoTime();
    }

    /** Takes one token; returns 0, or the whole seconds until one is there. */
    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
  }
}
