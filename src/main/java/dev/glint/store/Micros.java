package dev.glint.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants are stored as microseconds since the epoch, the precision both dialects keep exactly. */
public final class Micros {
  private Micros() {}

  public static long of(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  public static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  public static Instant toInstantOrNull(Long micros) {
    return micros == null ? null : toInstant(micros);
  }

  /** The current instant truncated to what the store keeps. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
