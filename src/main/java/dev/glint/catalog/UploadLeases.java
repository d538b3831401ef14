package dev.glint.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases of this node's uploads (issue 10). An upload takes a lease when its image moves to
 * {@code saving}; while the data arrives this node renews it ({@link #renew}, every third of the
 * lease); any node puts back to {@code queued} a {@code saving} image whose lease ran out ({@link
 * #recoverExpired}), since the node streaming it has died. The image only becomes {@code active}
 * under the lease it was started with, so an upload taken over cannot overwrite a newer state.
 * Thread-safe.
 */
public final class UploadLeases {
  private final ImageRepository images;
  private final Clock clock;
  private final Duration ttl;
  /** Image id → lease of the uploads this node is streaming now. */
  private final Map<String, String> held = new ConcurrentHashMap<>();

  UploadLeases(ImageRepository images, Clock clock, Duration ttl) {
    this.images = images;
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  /** Moves {@code id} from queued to saving under a new lease; null if it was not queued. */
  String begin(String id) {
    String lease = UUID.randomUUID().toString();
    Instant now = clock.instant();
    if (!images.startUpload(id, lease, now.plus(ttl), now)) {
      return null;
    }
    held.put(id, lease);
    return lease;
  }

  /** This node now runs the import of {@code id} under {@code lease}: renew it. */
  void hold(String id, String lease) {
    held.put(id, lease);
  }

  /** When a lease taken now runs out. */
  Instant until() {
    return clock.instant().plus(ttl);
  }

  /** The upload under {@code lease} is over (whatever its outcome): stop renewing it. */
  void end(String id, String lease) {
    held.remove(id, lease);
  }

  /** Extends the leases of the uploads this node is streaming; returns how many. */
  public int renew() {
    return images.renewUploadLeases(List.copyOf(held.values()), clock.instant().plus(ttl));
  }

  /** Puts back to queued the saving images whose lease ran out; returns their ids. */
  public List<String> recoverExpired() {
    Instant now = clock.instant();
    return images.requeueExpiredUploads(now, now.minus(ttl));
  }
}
