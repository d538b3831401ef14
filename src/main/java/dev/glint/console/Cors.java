package dev.glint.console;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for browsers, as a {@code before} filter that runs ahead of every other
 * filter of a listener (authentication, method checks). Only the listed origins get CORS headers;
 * any other origin gets none, so the browser keeps the answer from the page. A preflight from an
 * allowed origin is answered here (204); one from any other origin goes on to the API, which
 * refuses it in its own fault format. Tokens travel in {@code X-Auth-Token}, never in cookies, so
 * no {@code Access-Control-Allow-Credentials}.
 */
final class Cors {
  static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
  static final String ALLOW_HEADERS =
      "X-Auth-Token, X-Subject-Token, Content-Type, Accept, OpenStack-API-Version,"
          + " X-OpenStack-Nova-API-Version, X-OpenStack-Request-Id";
  /** What a page may read: the new token, request ids, microversions, and where things went. */
  static final String EXPOSE_HEADERS =
      "X-Subject-Token, X-OpenStack-Request-Id, X-Compute-Request-Id, OpenStack-API-Version,"
          + " X-OpenStack-Nova-API-Version, Location, Content-Length, Content-MD5, WWW-Authenticate,"
          + " OpenStack-image-import-methods, OpenStack-image-store-ids";
  static final String MAX_AGE_SECONDS = "600";

  private final Set<String> origins;

  Cors(Collection<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  /** The origins allowed by default: the console's own (when served) and the configured ones. */
  static Set<String> allowed(
      boolean console, String consolePublicUrl, Collection<String> configured) {
    Set<String> all = new LinkedHashSet<>();
    if (console) {
      all.add(originOf(consolePublicUrl));
    }
    all.addAll(configured);
    return all;
  }

  /**
   * The origin a browser sends for pages under {@code url}: scheme, host and a non-default port,
   * lower-cased.
   */
  static String originOf(String url) {
    URI uri = URI.create(url);
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String host = uri.getHost() == null ? uri.getAuthority() : uri.getHost();
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }

  Set<String> origins() {
    return origins;
  }

  void handle(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    // The answer differs by origin, so a cache must keep them apart.
    ctx.res().addHeader("Vary", "Origin");
    if (!origins.contains(origin.toLowerCase(Locale.ROOT))) {
      return;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    boolean preflight =
        ctx.method().name().equals("OPTIONS")
            && ctx.header("Access-Control-Request-Method") != null;
    if (preflight) {
      ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
      ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
      ctx.header("Access-Control-Max-Age", MAX_AGE_SECONDS);
      ctx.status(204);
      ctx.skipRemainingHandlers();
    } else {
      ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
  }
}
