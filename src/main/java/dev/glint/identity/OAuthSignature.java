package dev.glint.identity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 5849 (OAuth 1.0) signatures as oauthlib, which Keystone uses, computes them: the {@code
 * Authorization: OAuth ...} header parsed (section 3.5.1), the signature base string (3.4.1) and
 * HMAC-SHA1 (3.4.2) or HMAC-SHA256. Pure functions; no library in the offline repository does this.
 */
final class OAuthSignature {
  private OAuthSignature() {}

  /** One request parameter, decoded. */
  record Param(String name, String value) {}

  /**
   * The parameters of an {@code Authorization: OAuth ...} header, decoded, in order ({@code
   * realm} dropped, as 3.4.1.3.1 says); null when the header is absent or not an OAuth one.
   */
  static List<Param> header(String authorization) {
    if (authorization == null) {
      return null;
    }
    String h = authorization.strip();
    if (h.length() < 6 || !h.substring(0, 6).equalsIgnoreCase("OAuth ")) {
      return null;
    }
    List<Param> out = new ArrayList<>();
    for (String part : splitOnCommas(h.substring(6))) {
      part = part.strip();
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("malformed OAuth header");
      }
      String name = decode(part.substring(0, eq).strip());
      String value = part.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (!name.equals("realm")) {
        out.add(new Param(name, decode(value)));
      }
    }
    return out;
  }

  /** Splits on commas outside double quotes (a quoted value may hold an encoded comma only). */
  private static List<String> splitOnCommas(String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : s.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** Section 3.6: UTF-8, then every byte but the unreserved characters as %XX (upper case). */
  static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding (a {@code +} stays a plus, as in a header); bad escapes are an error. */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%') {
        if (i + 2 >= raw.length) {
          throw new IllegalArgumentException("bad percent-encoding");
        }
        int hi = Character.digit(raw[i + 1], 16);
        int lo = Character.digit(raw[i + 2], 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-encoding");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(raw[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Section 3.4.1.2: scheme and host in lower case, the default port dropped, no query or fragment.
   */
  static String baseUri(String url) {
    URI u = URI.create(url);
    if (u.getScheme() == null || u.getHost() == null) {
      throw new IllegalArgumentException("not an absolute URL with a host");
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost().toLowerCase(Locale.ROOT);
    int port = u.getPort();
    boolean defaultPort =
        port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }

  /**
   * Section 3.4.1: {@code METHOD&base-uri&normalized-parameters}, the parameters being every one
   * given but {@code oauth_signature}, encoded, sorted by name then value, joined.
   */
  static String baseString(String method, String url, List<Param> params) {
    List<String[]> encoded = new ArrayList<>();
    for (Param p : params) {
      if (!p.name().equals("oauth_signature")) {
        encoded.add(new String[] {encode(p.name()), encode(p.value())});
      }
    }
    encoded.sort(Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1]));
    List<String> pairs = new ArrayList<>();
    for (String[] kv : encoded) {
      pairs.add(kv[0] + "=" + kv[1]);
    }
    return encode(method.toUpperCase(Locale.ROOT)) + "&" + encode(baseUri(url)) + "&"
        + encode(String.join("&", pairs));
  }

  /** Section 3.4.2: the HMAC of the base string keyed by the two encoded secrets, in Base64. */
  static String sign(String signatureMethod, String baseString, String clientSecret,
      String tokenSecret) {
    String algorithm =
        switch (signatureMethod) {
          case "HMAC-SHA1" -> "HmacSHA1";
          case "HMAC-SHA256" -> "HmacSHA256";
          default -> throw new IllegalArgumentException("unsupported " + signatureMethod);
        };
    String key = encode(clientSecret == null ? "" : clientSecret) + "&"
        + encode(tokenSecret == null ? "" : tokenSecret);
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(baseString.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean supported(String signatureMethod) {
    return "HMAC-SHA1".equals(signatureMethod) || "HMAC-SHA256".equals(signatureMethod);
  }

  /**
   * Whether {@code params} (header and query parameters) carry a valid signature for one of the
   * {@code urls} the request may have been signed for; compared in constant time.
   */
  static boolean verify(String method, List<String> urls, List<Param> params, String clientSecret,
      String tokenSecret) {
    Map<String, String> named = new LinkedHashMap<>();
    params.forEach(p -> named.putIfAbsent(p.name(), p.value()));
    String given = named.get("oauth_signature");
    String signatureMethod = named.get("oauth_signature_method");
    if (given == null || !supported(signatureMethod)) {
      return false;
    }
    boolean ok = false;
    for (String url : urls) {
      String base;
      try {
        base = baseString(method, url, params);
      } catch (IllegalArgumentException e) {
        // A Host header that makes no URL: the request cannot have been signed for it.
        continue;
      }
      String expected = sign(signatureMethod, base, clientSecret, tokenSecret);
      ok |= MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }
}
