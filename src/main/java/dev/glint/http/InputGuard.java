package dev.glint.http;

import dev.glint.error.ApiException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Refuses a NUL character anywhere in a request's path, query or JSON body with a 400, before any
 * handler sees it. PostgreSQL cannot store NUL in text (a 500 before), SQLite can; refusing it
 * up front gives both stores the same answer, and no client has a use for it.
 */
public final class InputGuard {
  private InputGuard() {}

  public static void rejectNul(Context ctx) {
    Map<String, List<String>> query;
    try {
      query = ctx.queryParamMap();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Malformed query string.");
    }
    if (ctx.path().indexOf('\0') >= 0 || hasNul(query)) {
      throw ApiException.badRequest("Invalid input: the request contains a NUL character.");
    }
  }

  /**
   * The same for a JSON body, for listeners whose handlers read it through {@code ctx.body()}
   * (cached, so reading it here costs nothing more); the compute API reads its body itself and
   * calls {@link #jsonHasNul(byte[])}.
   */
  public static void rejectNulInBody(Context ctx) {
    String type = ctx.header("Content-Type");
    String method = ctx.method().name();
    boolean writes = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    // Image data (PUT …/file) is binary and streamed: never read here.
    if (writes && type != null && type.contains("json") && !ctx.path().endsWith("/file")) {
      if (jsonHasNul(ctx.body())) {
        throw ApiException.badRequest("Invalid input: the request body contains a NUL character.");
      }
    }
  }

  /** Whether a parsed query holds a NUL in a name or value (what {@link #rejectNul} refuses). */
  public static boolean hasNul(Map<String, List<String>> params) {
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      if (e.getKey().indexOf('\0') >= 0) {
        return true;
      }
      for (String v : e.getValue()) {
        if (v.indexOf('\0') >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether JSON text holds a NUL: raw, or as the escape {@code \u0000} (an escaped backslash
   * followed by {@code u0000} is text, not a NUL).
   */
  public static boolean jsonHasNul(byte[] json) {
    return jsonHasNul(new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }

  static boolean jsonHasNul(String json) {
    if (json.indexOf('\0') >= 0) {
      return true;
    }
    for (int i = json.indexOf('\\'); i >= 0 && i < json.length(); ) {
      char next = i + 1 < json.length() ? json.charAt(i + 1) : ' ';
      if (next == 'u' && json.regionMatches(true, i + 2, "0000", 0, 4)) {
        return true;
      }
      // Skip the escaped character, so "\\u0000" (backslash, then text) does not count.
      i = json.indexOf('\\', i + 2);
    }
    return false;
  }
}
