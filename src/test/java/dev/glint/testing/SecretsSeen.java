package dev.glint.testing;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every token, password and secret the tests handed to or got from a Glint through {@link
 * TestServer}: passwords and secrets in JSON request bodies, {@code X-Subject-Token} headers,
 * token ids and secrets in JSON responses. {@link LogLeakCheck} searches the captured logs for
 * them. Thread-safe.
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

  public static Set<String> snapshot() {
    return Set.copyOf(SEEN);
  }
}
