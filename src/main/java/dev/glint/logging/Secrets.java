package dev.glint.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes tokens and secrets out of text bound for a log: Fernet tokens (Glint's and any
 * Keystone's), the token in {@code /v2.0/tokens/{id}}, token headers, and JSON password and
 * secret fields. Glint masks what it logs itself; logback's {@code %msg} and {@code %ex} go
 * through this again (see {@link MaskedMessageConverter}), which covers libraries that log
 * requests at debug level. Thread-safe.
 */
public final class Secrets {
  public static final String MASK = "***";

  /** A Fernet token: version byte 0x80 then a timestamp, base64url, so always "gAAAAA…". */
  private static final Pattern FERNET = Pattern.compile("gAAAAA[A-Za-z0-9_=-]{20,}");

  private static final Pattern V2_TOKEN_PATH =
      Pattern.compile("(/v2\\.0/tokens/)[^/\\s?#\"']+", Pattern.CASE_INSENSITIVE);

  private static final Pattern TOKEN_HEADER =
      Pattern.compile(
          "((?:x-auth-token|x-subject-token|x-service-token)\\s*[:=]\\s*)[^\\s,;\\]}]+",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(\"(?:password|original_password|secret|passwordCredentials)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"",
          Pattern.CASE_INSENSITIVE);

  private Secrets() {}

  /** The text with every token and secret it contains replaced by {@link #MASK}; null stays null. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = FERNET.matcher(text).replaceAll(MASK);
    out = V2_TOKEN_PATH.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    out = TOKEN_HEADER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    out = SECRET_FIELD.matcher(out).replaceAll("$1\"" + Matcher.quoteReplacement(MASK) + "\"");
    return out;
  }

  /** A request path fit for the access log: a token in it is masked. */
  public static String path(String path) {
    return path == null || !path.regionMatches(true, 0, "/v2.0/tokens/", 0, 13)
        ? path
        : "/v2.0/tokens/" + MASK;
  }
}
