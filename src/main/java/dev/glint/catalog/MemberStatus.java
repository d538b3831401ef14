package dev.glint.catalog;

import java.util.Locale;
import java.util.Optional;

/** Where a project stands on an image shared with it. */
public enum MemberStatus {
  PENDING,
  ACCEPTED,
  REJECTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MemberStatus> fromWire(String value) {
    for (MemberStatus s : values()) {
      if (s.wire().equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
