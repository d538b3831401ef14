package dev.glint.http;

import io.javalin.http.servlet.JavalinServletContextKt;
import java.util.List;
import java.util.Map;

/**
 * A read that {@link HotLane} may answer without the Javalin pipeline (DESIGN.md, "the stack's own
 * ceiling"): given a GET request, either the complete answer, built from memory without blocking,
 * or null, and the request goes through the full pipeline, which gives the same answer or the
 * error. An implementation returns null for anything unusual (a token not yet validated, a header
 * that changes the answer, a parameter in error, a list the in-memory index cannot serve), so the
 * pipeline stays the one place that words every error.
 */
@FunctionalInterface
public interface HotRoute {

  /** The answer to a GET request, or null to hand it on. Must not block or throw. */
  Answer answer(Request request);

  /**
   * What an implementation reads of a request.
   *
   * @param path the raw (still percent-encoded) path, as Javalin's {@code ctx.path()}
   * @param query the raw query string, or null
   */
  record Request(String path, String query, Headers headers) {}

  /** The request's header fields, case-insensitive. */
  interface Headers {
    /** The first value of the field, or null. */
    String get(String name);

    /** Every value of the field, in order (one per field line). */
    List<String> values(String name);

    /**
     * Whether the request carries what the pipeline's filters read besides the token, which a
     * route hands on: a body (its size and type), CORS ({@code Origin}), a coding to compress in.
     */
    default boolean beyondAPlainRead() {
      String length = get("Content-Length");
      return get("Content-Type") != null
          || get("Transfer-Encoding") != null
          || (length != null && !length.strip().equals("0"))
          || get("Origin") != null
          || get("Accept-Encoding") != null;
    }
  }

  /**
   * The raw query as Javalin's {@code ctx.queryParamMap()} reads it, or null where the pipeline
   * refuses it ({@code InputGuard.rejectNul}: malformed, or a NUL in a name or value).
   */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> query;
    try {
      query =
          JavalinServletContextKt.splitKeyValueStringAndGroupByKey(
              raw == null ? "" : raw, "UTF-8");
    } catch (IllegalArgumentException e) {
      return null;
    }
    return InputGuard.hasNul(query) ? null : query;
  }

  /**
   * A 200 answer.
   *
   * @param route the route template the full pipeline would match (the metrics' label)
   * @param caller whose request it was (the access log's user and project)
   * @param contentType the Content-Type field
   * @param headers further fields, name then value, sent after the request ids: a list the route
   *     sends again and again (encoded once per distinct list)
   * @param perRequest then fields whose values change from request to request
   * @param body the body, in parts sent one after the other, with their total as Content-Length:
   *     a page sliced out of rendered pieces is sent without being copied into one array first
   */
  record Answer(
      String route,
      Principal caller,
      String contentType,
      List<String> headers,
      List<String> perRequest,
      java.nio.ByteBuffer[] body) {
    public Answer(
        String route,
        Principal caller,
        String contentType,
        List<String> headers,
        List<String> perRequest,
        byte[] body) {
      this(route, caller, contentType, headers, perRequest,
          new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(body)});
    }
  }
}
