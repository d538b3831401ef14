package dev.glint.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked tokens, by audit id, held in memory so that validation never reads the store.
 *
 * <p>Multi-node: a revocation is written to the shared {@code revoked_tokens} table and added here
 * at once; every node polls the table every {@link #POLL} for rows recorded since its last poll
 * (minus {@link #OVERLAP}, which absorbs clock skew between nodes and transactions committed late),
 * so another node rejects the token within about a poll interval. Polling was chosen over a
 * lookup on miss because nearly every validation is a miss. Entries whose tokens have expired are
 * dropped from memory and, now and then, from the table. A failed poll keeps the current set and
 * is retried at the next tick. Thread-safe.
 */
public final class RevocationList implements Revocations, AutoCloseable {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration OVERLAP = Duration.ofSeconds(60);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

  private final IdentityRepository repository;
  private final Clock clock;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private volatile Instant polledAt = Instant.EPOCH;
  private volatile Instant purgedAt = Instant.EPOCH;

  private RevocationList(IdentityRepository repository, Clock clock, boolean poll) {
    this.repository = repository;
    this.clock = clock;
    if (poll) {
      this.poller =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "glint-revocations");
                t.setDaemon(true);
                return t;
              });
      poller.scheduleWithFixedDelay(
          this::pollQuietly, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      this.poller = null;
    }
  }

  /** Loads the current revocations and starts polling for new ones. */
  public static RevocationList start(IdentityRepository repository, Clock clock) {
    RevocationList list = new RevocationList(repository, clock, true);
    list.pollQuietly();
    return list;
  }

  @Override
  public boolean isRevoked(String auditId) {
    return revoked.containsKey(auditId);
  }

  /** Revokes a token on this node at once and, through the table, on every node. */
  void revoke(String auditId, Instant expiresAt) {
    repository.revoke(auditId, expiresAt, clock.instant());
    revoked.put(auditId, expiresAt);
  }

  /** Reads revocations recorded since the last poll (with overlap); drops expired ones. */
  void poll() {
    Instant now = clock.instant();
    Instant since = polledAt.equals(Instant.EPOCH) ? Instant.EPOCH : polledAt.minus(OVERLAP);
    revoked.putAll(repository.revokedSince(since, now));
    polledAt = now;
    revoked.values().removeIf(expires -> !expires.isAfter(now));
    if (Duration.between(purgedAt, now).compareTo(PURGE_EVERY) >= 0) {
      repository.purgeRevocations(now);
      purgedAt = now;
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("cannot refresh revoked tokens (will retry): {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
