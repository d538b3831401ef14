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
 * Revocation events held in memory so that validation never reads the store: single tokens by
 * audit id (a map lookup) and user or project events (few; scanned).
 *
 * <p>Multi-node: an event is written to the shared {@code revocation_events} table and applied
 * here at once; every node polls the table every {@link #POLL} for rows recorded since its last
 * poll minus {@link #OVERLAP} (which absorbs clock skew between nodes and transactions committed
 * late), so another node rejects the token within about a poll interval. Polling was chosen over
 * a lookup on miss because nearly every validation is a miss. An event is kept until no token it
 * matches can be asked about any more, {@code allow_expired} included (token lifetime plus 48 h),
 * so a revoked token never validates again. Expired events are dropped from
 * memory and, now and then, from the table. A failed poll keeps the current set and is retried at
 * the next tick. Thread-safe.
 */
public final class RevocationList implements Revocations, AutoCloseable {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration OVERLAP = Duration.ofSeconds(60);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

  private final IdentityRepository repository;
  private final Clock clock;
  private final Map<String, RevocationEvent> byAudit = new ConcurrentHashMap<>();
  private final Map<String, RevocationEvent> broad = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private volatile Instant polledAt = Instant.EPOCH;
  private volatile Instant purgedAt = Instant.EPOCH;

  private RevocationList(IdentityRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "glint-revocations");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::pollQuietly, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Loads the current revocations and starts polling for new ones. */
  public static RevocationList start(IdentityRepository repository, Clock clock) {
    RevocationList list = new RevocationList(repository, clock);
    list.pollQuietly();
    return list;
  }

  @Override
  public boolean isRevoked(Caller token) {
    RevocationEvent one = byAudit.get(token.auditId());
    if (one != null && one.matches(token)) {
      return true;
    }
    for (RevocationEvent e : broad.values()) {
      if (e.matches(token)) {
        return true;
      }
    }
    return false;
  }

  /** Revokes one token, on this node at once and, through the table, on every node. */
  void revokeToken(Caller token) {
    record(new RevocationEvent(IdentityService.newId(), token.auditId(), null, null,
        clock.instant(), kept(token.expiresAt())));
  }

  /**
   * How long an event must be kept for a token that expires at {@code expiresAt}: past its expiry
   * by the {@code allow_expired} window, during which such a token can still be asked about.
   */
  static Instant kept(Instant expiresAt) {
    return expiresAt.plus(TokenService.ALLOW_EXPIRED_WINDOW);
  }

  /**
   * Revokes every token issued until now for the user, or only those scoped to {@code projectId}
   * when it is not null; {@code lifetime} bounds how long such a token can live.
   */
  void revokeUser(String userId, String projectId, Duration lifetime) {
    Instant now = clock.instant();
    record(new RevocationEvent(IdentityService.newId(), null, userId, projectId, now, kept(now.plus(lifetime))));
  }

  /**
   * Revokes every token issued until now through the application credential (deleted, say);
   * {@code lifetime} bounds how long such a token can live.
   */
  void revokeApplicationCredential(String credentialId, Duration lifetime) {
    Instant now = clock.instant();
    record(new RevocationEvent(IdentityService.newId(), null, null, null, credentialId, now,
        kept(now.plus(lifetime))));
  }

  /**
   * Revokes every token issued until now through the OAuth1 access token (deleted, or its consumer
   * deleted); {@code lifetime} bounds how long such a token can live.
   */
  void revokeAccessToken(String accessTokenId, Duration lifetime) {
    Instant now = clock.instant();
    record(RevocationEvent.ofAccessToken(IdentityService.newId(), accessTokenId, now,
        kept(now.plus(lifetime))));
  }

  /** Revokes every token scoped to the trust (deleted, say) and issued until now. */
  void revokeTrust(String trustId, Duration lifetime) {
    Instant now = clock.instant();
    record(RevocationEvent.ofTrust(IdentityService.newId(), trustId, now,
        kept(now.plus(lifetime))));
  }

  /** Revokes every token scoped to the project and issued until now. */
  void revokeProject(String projectId, Duration lifetime) {
    Instant now = clock.instant();
    record(new RevocationEvent(IdentityService.newId(), null, null, projectId, now, kept(now.plus(lifetime))));
  }

  /**
   * Stores the event (inside the caller's unit of work, when there is one, so it commits with the
   * state change that caused it) and only then applies it here: if the store refuses it, nothing
   * changed; if the commit fails after, this node revokes a little early, which fails closed.
   */
  private void record(RevocationEvent event) {
    repository.addRevocation(event, clock.instant());
    apply(event);
  }

  private void apply(RevocationEvent e) {
    (e.auditId() != null ? byAudit : broad).put(e.auditId() != null ? e.auditId() : e.id(), e);
  }

  /** Reads events recorded since the last poll (with overlap); drops expired ones. */
  void poll() {
    Instant now = clock.instant();
    Instant since = polledAt.equals(Instant.EPOCH) ? Instant.EPOCH : polledAt.minus(OVERLAP);
    repository.revocationsSince(since, now).forEach(this::apply);
    polledAt = now;
    byAudit.values().removeIf(e -> !e.expiresAt().isAfter(now));
    broad.values().removeIf(e -> !e.expiresAt().isAfter(now));
    if (Duration.between(purgedAt, now).compareTo(PURGE_EVERY) >= 0) {
      repository.purgeRevocations(now);
      purgedAt = now;
    }
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("cannot refresh revocations (will retry): {}", e.toString());
    }
  }

  /** Stops polling and waits (briefly) for a poll in flight, so none runs on a closed store. */
  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
