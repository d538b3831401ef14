package dev.glint.console;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web console's static files (HTML, ES modules, CSS, from {@code console/} in the jar)
 * under {@code /console/} of the image listener. A {@code before} filter that runs ahead of the
 * image service's own filters, since the files need no token; everything the page does afterwards
 * is a call to the three public APIs, so there is no server-side session and no private route.
 */
final class ConsoleEndpoint {
  static final String PATH = "/console/";
  private static final String RESOURCE_ROOT = "console/";
  /** One directory level at most, plain names only: nothing a path could climb out with. */
  private static final Pattern NAME = Pattern.compile("([a-z0-9-]+/)?[a-z0-9-]+\\.[a-z]+");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  private final String csp;
  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  /**
   * @param apiUrls the public URLs of the identity, compute and image APIs: the only places the
   *     page may connect to besides its own origin
   */
  ConsoleEndpoint(Collection<String> apiUrls) {
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    for (String url : apiUrls) {
      connect.add(Cors.originOf(url));
    }
    this.csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src "
            + String.join(" ", connect)
            + "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  }

  String contentSecurityPolicy() {
    return csp;
  }

  void handle(Context ctx) {
    String path = ctx.path();
    if (!path.equals("/console") && !path.startsWith(PATH)) {
      return;
    }
    ctx.skipRemainingHandlers();
    securityHeaders(ctx);
    String method = ctx.method().name();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ctx.header("Allow", "GET, HEAD");
      text(ctx, 405, "405 Method Not Allowed: the console's files are read with GET.");
      return;
    }
    if (path.equals("/console")) {
      ctx.header("Location", PATH);
      text(ctx, 301, "Moved to " + PATH);
      return;
    }
    String name = path.substring(PATH.length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    Optional<byte[]> body =
        NAME.matcher(name).matches() ? files.computeIfAbsent(name, ConsoleEndpoint::load) : null;
    if (body == null || body.isEmpty()) {
      text(ctx, 404, "404 Not Found: the console has no file " + name + ".");
      return;
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    ctx.status(200);
    ctx.contentType(type == null ? "application/octet-stream" : type);
    // Always revalidate: a new Glint must not run against an old cached module.
    ctx.header("Cache-Control", "no-cache");
    // Jetty answers HEAD without the body and sets the length itself (it may compress).
    ctx.result(body.get());
  }

  private void securityHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static void text(Context ctx, int status, String message) {
    ctx.status(status);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(message.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<byte[]> load(String name) {
    try (InputStream in =
        ConsoleEndpoint.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
