package dev.glint.compute;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compute API microversion, read as Nova reads it: {@code OpenStack-API-Version: compute X.Y}
 * (last compute entry wins), else {@code X-OpenStack-Nova-API-Version}, else 2.1; {@code latest}
 * is the maximum. Only the {@code /v2.1} root honours them; {@code /v2} is always 2.1.
 */
record Microversion(int major, int minor) implements Comparable<Microversion> {
  static final Microversion MIN = new Microversion(2, 1);
  static final Microversion MAX = new Microversion(2, 93);
  /** Nova removed the images proxy after 2.35 ... */
  static final Microversion IMAGES_MAX = new Microversion(2, 35);
  /** ... and the image metadata proxy after 2.38. */
  static final Microversion METADATA_MAX = new Microversion(2, 38);

  static final String ATTRIBUTE = "glint.microversion";
  /** Compiled once: String.split with a regex of more than one character compiles it per call. */
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private static final Pattern FORMAT = Pattern.compile("^([1-9]\\d*)\\.([1-9]\\d*|0)$");

  /**
   * Reads the request's version and, on success and on a 406, sets Nova's response headers. Bad
   * format → 400; outside [2.1, 2.93] → 406, as Nova.
   */
  static Microversion negotiate(Context ctx) {
    // "/v2.1/" matches both the "/v2.1" and "/v2.1/*" filters; answer once.
    Microversion done = ctx.attribute(ATTRIBUTE);
    if (done != null) {
      return done;
    }
    String requested = requested(name -> headerValues(ctx, name));
    if (requested == null) {
      return answer(ctx, MIN);
    }
    if (requested.equals("latest")) {
      return answer(ctx, MAX);
    }
    Matcher m = FORMAT.matcher(requested);
    if (!m.matches()) {
      throw ApiException.badRequest(
          "API Version String "
              + requested
              + " is of invalid format. Must be of format MajorNum.MinorNum.");
    }
    Microversion v;
    try {
      v = new Microversion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      v = new Microversion(Integer.MAX_VALUE, 0);
    }
    if (v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0) {
      headers(ctx, requested);
      throw new ApiException(
          ErrorCode.NOT_ACCEPTABLE,
          "Version "
              + requested
              + " is not supported by the API. Minimum is "
              + MIN
              + " and maximum is "
              + MAX
              + ".");
    }
    return answer(ctx, v);
  }

  private static Microversion answer(Context ctx, Microversion v) {
    headers(ctx, v.toString());
    ctx.attribute(ATTRIBUTE, v);
    return v;
  }

  private static void headers(Context ctx, String version) {
    ctx.header("OpenStack-API-Version", "compute " + version);
    ctx.header("X-OpenStack-Nova-API-Version", version);
    ctx.res().addHeader("Vary", "OpenStack-API-Version");
    ctx.res().addHeader("Vary", "X-OpenStack-Nova-API-Version");
  }

  /**
   * The version a request asks for, read from its header fields as {@link #negotiate} reads
   * them; null when negotiate would refuse it (bad format, or outside [2.1, 2.93]).
   */
  static Microversion accepted(Function<String, List<String>> headers) {
    String requested = requested(headers);
    if (requested == null) {
      return MIN;
    }
    if (requested.equals("latest")) {
      return MAX;
    }
    Matcher m = FORMAT.matcher(requested);
    if (!m.matches() || m.group(1).length() > 9 || m.group(2).length() > 9) {
      return null;
    }
    Microversion v = new Microversion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    return v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0 ? null : v;
  }

  /** The response fields {@link #negotiate} sets for an accepted version, name then value. */
  static List<String> responseHeaders(Microversion v) {
    return v.major == 2 && v.minor < RESPONSE_HEADERS.size()
        ? RESPONSE_HEADERS.get(v.minor)
        : fields(v);
  }

  /** The fields for 2.0 … 2.93, made once (the hot lane sends them by the thousand). */
  private static final List<List<String>> RESPONSE_HEADERS =
      java.util.stream.IntStream.rangeClosed(0, 93)
          .mapToObj(minor -> fields(new Microversion(2, minor)))
          .toList();

  private static List<String> fields(Microversion v) {
    String version = v.toString();
    return List.of(
        "OpenStack-API-Version", "compute " + version,
        "X-OpenStack-Nova-API-Version", version,
        "Vary", "OpenStack-API-Version",
        "Vary", "X-OpenStack-Nova-API-Version");
  }

  private static String requested(Function<String, List<String>> headerValues) {
    String found = null;
    for (String header : headerValues.apply("OpenStack-API-Version")) {
      for (String entry : header.split(",")) {
        String[] parts = WHITESPACE.split(entry.trim(), 2);
        if (parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("compute")) {
          found = parts[1].trim();
        }
      }
    }
    if (found != null) {
      return found;
    }
    for (String header : headerValues.apply("X-OpenStack-Nova-API-Version")) {
      for (String value : header.split(",")) {
        found = value.trim();
      }
    }
    return found;
  }

  private static List<String> headerValues(Context ctx, String name) {
    return java.util.Collections.list(ctx.req().getHeaders(name));
  }

  /** The version negotiated for this request; 2.1 on the legacy {@code /v2} root. */
  static Microversion of(Context ctx) {
    Microversion v = ctx.attribute(ATTRIBUTE);
    return v == null ? MIN : v;
  }

  @Override
  public int compareTo(Microversion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
