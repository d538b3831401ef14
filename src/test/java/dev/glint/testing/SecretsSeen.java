package dev.glint.testing;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every token, password and secret the tests handed to or got from a Glint: what {@link
 * TestServer}'s helpers send and receive (passwords and secrets in JSON request bodies, token
 * headers, token ids and secrets in JSON responses), and, seen from the server side by {@link
 * #fromExchange}, the same of every exchange of every {@code TestServer}, whatever client made it
 * (openstack4j, jclouds, the {@code openstack} CLI, raw sockets). {@link LogLeakCheck} and {@code
 * SuiteLogLeakTest} search the captured logs ({@link LogCapture}) for them. Thread-safe.
 */
public final class SecretsSeen {
  /** Shorter values (a test's "x") would match log text by accident; none of ours are that short. */
  static final int MIN_LENGTH = 8;

  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  private static final Pattern JSON_SECRET =
      Pattern.compile(
          "\"(?:password|original_password|secret)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  /** v2.0 {@code access.token.id} and any other {@code "token": {"id": …}}. */
  private static final Pattern TOKEN_ID =
      Pattern.compile("\"token\"\\s*:\\s*\\{[^{}]*?\"id\"\\s*:\\s*\"([^\"]+)\"");

  private SecretsSeen() {}

  public static void add(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      SEEN.add(secret);
    }
  }

  /** Passwords and secrets in a JSON text (a request or response body). */
  public static void fromJson(String json) {
    if (json == null) {
      return;
    }
    for (Pattern p : List.of(JSON_SECRET, TOKEN_ID)) {
      Matcher m = p.matcher(json);
      while (m.find()) {
        add(m.group(1));
      }
    }
  }

  static void fromResponse(HttpResponse<?> r) {
    r.headers().allValues("X-Subject-Token").forEach(SecretsSeen::add);
    if (r.body() instanceof String body) {
      fromJson(body);
    }
  }

  /**
   * What one finished exchange of a test server carried: token headers both ways, a token in a
   * {@code /v2.0/tokens/{id}} path and, on the identity listener (the only one that takes
   * passwords and hands out tokens and secrets), the JSON request and response bodies.
   */
  static void fromExchange(String listener, io.javalin.http.Context ctx) {
    for (String header : List.of("X-Auth-Token", "X-Subject-Token", "X-Service-Token")) {
      add(ctx.header(header));
      add(ctx.res().getHeader(header));
    }
    String path = ctx.path();
    int v2 = path.indexOf("/v2.0/tokens/");
    if (v2 >= 0) {
      add(path.substring(v2 + "/v2.0/tokens/".length()));
    }
    if (!listener.equals("identity")) {
      return;
    }
    String type = ctx.contentType();
    if (type != null && type.contains("json")) {
      fromJson(ctx.body()); // read once by the handler already, and kept by Javalin
    }
    if (!ctx.res().isCommitted()
        && ctx.resultInputStream() instanceof java.io.ByteArrayInputStream result) {
      byte[] body = result.readAllBytes();
      ctx.result(body); // put it back for the writer
      fromJson(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public static Set<String> snapshot() {
    return Set.copyOf(SEEN);
  }
}
