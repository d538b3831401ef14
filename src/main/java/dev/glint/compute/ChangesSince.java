package dev.glint.compute;

import dev.glint.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code changes-since} values in the ISO 8601 forms Nova accepts (the {@code iso8601}
 * library's): calendar date with optional time, {@code T} or space separator, extended or basic
 * format, fractional seconds, and a zone of {@code Z}, {@code ±hh:mm}, {@code ±hhmm} or {@code
 * ±hh}. No zone means UTC. A {@code +} sent unencoded arrives as a space; it is read as {@code +}.
 */
final class ChangesSince {
  private static final Pattern FORMAT =
      Pattern.compile(
          "(\\d{4})(?:-?(\\d{2})(?:-?(\\d{2})"
              + "(?:[T ](\\d{2})(?::?(\\d{2})(?::?(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
              + "(Z|[+\\- ]\\d{2}(?::?\\d{2})?)?)?)?)?");

  private ChangesSince() {}

  static Instant parse(String value) {
    Matcher m = FORMAT.matcher(value);
    if (!m.matches()) {
      throw invalid(value);
    }
    try {
      LocalDateTime local =
          LocalDateTime.of(
              Integer.parseInt(m.group(1)),
              number(m.group(2), 1),
              number(m.group(3), 1),
              number(m.group(4), 0),
              number(m.group(5), 0),
              number(m.group(6), 0),
              nanos(m.group(7)));
      return local.toInstant(offset(m.group(8)));
    } catch (DateTimeException e) {
      throw invalid(value);
    }
  }

  private static int number(String digits, int fallback) {
    return digits == null ? fallback : Integer.parseInt(digits);
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    return Integer.parseInt((fraction + "000000000").substring(0, 9));
  }

  private static ZoneOffset offset(String zone) {
    if (zone == null || zone.equals("Z")) {
      return ZoneOffset.UTC;
    }
    int sign = zone.charAt(0) == '-' ? -1 : 1;
    String digits = zone.substring(1).replace(":", "");
    int hours = Integer.parseInt(digits.substring(0, 2));
    int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }

  private static ApiException invalid(String value) {
    return ApiException.badRequest(
        "Invalid changes-since value '"
            + value
            + "': Bad \"updated_at\" query filter format. Use ISO 8601 DateTime notation.");
  }
}
