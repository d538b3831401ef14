package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.config.IdentitySettings;
import dev.glint.error.ErrorCode;
import dev.glint.error.RetryAfterException;
import dev.glint.http.Json;
import dev.glint.http.Principal;
import dev.glint.http.TokenValidator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External Keystone mode: validates each token with another Keystone, as keystonemiddleware's
 * {@code auth_token} does. Glint logs in as a service user (password, project-scoped), then asks
 * {@code GET /v3/auth/tokens} with {@code X-Auth-Token: <service token>} and {@code
 * X-Subject-Token: <user token>}. Answers are cached by the token's SHA-256 (never the token
 * itself): a valid token for the cache TTL (300 s by default, never past its expiry), so a
 * revocation is noticed within the TTL; a refused one for at most {@link #NEGATIVE_TTL}. The cache
 * is bounded. When that Keystone cannot be reached or answers 5xx, the request gets 503 with
 * {@code Retry-After}, never 401 or 500. Thread-safe.
 */
public final class ExternalTokens implements TokenValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalTokens.class);
  static final Duration NEGATIVE_TTL = Duration.ofSeconds(10);
  static final int MAX_ENTRIES = 10_000;
  static final long RETRY_AFTER_SECONDS = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A cached answer: the principal, or null for a refused token, until {@code until}. */
  private record Entry(Principal principal, Instant until) {}

  private record ServiceToken(String id, Instant refreshAt) {}

  private final IdentitySettings.External keystone;
  private final Clock clock;
  private final HttpClient http;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private volatile ServiceToken service;

  public ExternalTokens(IdentitySettings.External keystone, Clock clock) {
    this.keystone = keystone;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public Optional<Principal> principal(String token) {
    if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    String key = sha256(token);
    Instant now = clock.instant();
    Entry cached = cache.get(key);
    if (cached != null && now.isBefore(cached.until())) {
      return Optional.ofNullable(cached.principal());
    }
    Entry fresh = validate(token, now);
    if (cache.size() >= MAX_ENTRIES) {
      cache.values().removeIf(e -> !now.isBefore(e.until()));
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
    }
    cache.put(key, fresh);
    return Optional.ofNullable(fresh.principal());
  }

  /** A token that Keystone accepted within the cache TTL, from the cache only (no call). */
  @Override
  public Principal cachedPrincipal(String token) {
    if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_CHARS) {
      return null;
    }
    Entry cached = cache.get(sha256(token));
    return cached != null && clock.instant().isBefore(cached.until()) ? cached.principal() : null;
  }

  private Entry validate(String token, Instant now) {
    for (int attempt = 0; ; attempt++) {
      String serviceToken = serviceToken(now);
      HttpResponse<String> r = validation(serviceToken, token, false);
      int status = r.statusCode();
      if (status == 200) {
        JsonNode t = tokenBody(r.body());
        if (t.path("application_credential").has("access_rules")) {
          // keystonemiddleware refuses such a token on a service its catalog lacks: ask again
          // for the catalog (only these tokens need it).
          HttpResponse<String> full = validation(serviceToken, token, true);
          if (full.statusCode() != 200) {
            return new Entry(null, now.plus(min(NEGATIVE_TTL, keystone.cacheTtl())));
          }
          t = tokenBody(full.body());
        }
        return accepted(t, now);
      }
      if (status == 401 && attempt == 0) {
        // Our service token expired or was revoked: log in again, once.
        service = null;
        continue;
      }
      if (status == 404 || status == 401) {
        return new Entry(null, now.plus(min(NEGATIVE_TTL, keystone.cacheTtl())));
      }
      if (status == 403) {
        LOG.warn(
            "Keystone at {} refuses to validate tokens for service user {} (403): give it the"
                + " admin or service role", keystone.url(), keystone.username());
      }
      throw unavailable("answered " + status);
    }
  }

  /**
   * {@code GET /v3/auth/tokens} for the user's token, declaring (as keystonemiddleware does) that
   * Glint enforces access rules: without that header Keystone refuses a token that has some.
   */
  private HttpResponse<String> validation(String serviceToken, String token, boolean catalog) {
    return send(
        HttpRequest.newBuilder(
                URI.create(keystone.url() + "/v3/auth/tokens" + (catalog ? "" : "?nocatalog")))
            .timeout(TIMEOUT)
            .header("X-Auth-Token", serviceToken)
            .header("X-Subject-Token", token)
            .header(IdentityService.ACCESS_RULES_HEADER, "1")
            .header("Accept", "application/json")
            .GET()
            .build());
  }

  private JsonNode tokenBody(String body) {
    try {
      return Json.MAPPER.readTree(body).path("token");
    } catch (IOException e) {
      throw unavailable("sent an unreadable token body");
    }
  }

  private Entry accepted(JsonNode t, Instant now) {
    List<String> roles = new ArrayList<>();
    t.path("roles").forEach(r -> roles.add(r.path("name").asText()));
    String project = t.path("project").path("id").asText(null);
    Principal principal =
        new Principal(t.path("user").path("id").asText(), project, roles, access(t));
    Instant until = now.plus(keystone.cacheTtl());
    String expires = t.path("expires_at").asText(null);
    if (expires != null) {
      try {
        Instant expiresAt = Instant.parse(expires.endsWith("Z") ? expires : expires + "Z");
        if (expiresAt.isBefore(until)) {
          until = expiresAt;
        }
      } catch (java.time.format.DateTimeParseException ignored) {
        // keep the TTL
      }
    }
    return new Entry(principal, until);
  }

  /**
   * keystonemiddleware's {@code validate_allowed_request}: a token whose {@code
   * application_credential} lists {@code access_rules} may make only the requests one of them
   * allows, and only on a service type its catalog has; any other token, every request.
   */
  static Principal.Access access(JsonNode token) {
    JsonNode listed = token.path("application_credential").path("access_rules");
    if (listed.isMissingNode() || listed.isNull()) {
      return Principal.Access.ANY;
    }
    List<AccessRule> rules = new ArrayList<>();
    listed.forEach(
        r -> rules.add(new AccessRule(r.path("id").asText(), r.path("service").asText(),
            r.path("method").asText(), r.path("path").asText())));
    java.util.Set<String> types = new java.util.HashSet<>();
    token.path("catalog").forEach(s -> types.add(s.path("type").asText()));
    return (service, method, path) ->
        types.contains(service) && rules.stream().anyMatch(r -> r.allows(service, method, path));
  }

  /**
   * The base URLs that Keystone's catalog gives for the public {@code identity}, {@code image}
   * and {@code compute} endpoints of {@code region}, by service type, as Glint's own links need
   * them: without the version path a compute endpoint carries ({@code /v2.1/%(tenant_id)s}) or an
   * identity one ({@code /v3}). A type the catalog lacks, or gives no http(s) URL for, is left out.
   *
   * @throws dev.glint.error.RetryAfterException when that Keystone cannot be reached or refuses
   */
  public Map<String, String> publicUrls(String region) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(keystone.url() + "/v3/auth/catalog"))
                .timeout(TIMEOUT)
                .header("X-Auth-Token", serviceToken(clock.instant()))
                .header("Accept", "application/json")
                .GET()
                .build());
    if (r.statusCode() != 200) {
      throw unavailable("answered " + r.statusCode() + " for its catalog");
    }
    JsonNode catalog;
    try {
      catalog = Json.MAPPER.readTree(r.body()).path("catalog");
    } catch (IOException e) {
      throw unavailable("sent an unreadable catalog");
    }
    Map<String, String> out = new java.util.HashMap<>();
    for (JsonNode service : catalog) {
      String type = service.path("type").asText();
      if (!List.of("identity", "image", "compute").contains(type) || out.containsKey(type)) {
        continue;
      }
      for (JsonNode endpoint : service.path("endpoints")) {
        String url = endpoint.path("url").asText("");
        boolean inRegion =
            region.equals(endpoint.path("region_id").asText(null))
                || region.equals(endpoint.path("region").asText(null));
        if (endpoint.path("interface").asText().equals("public")
            && inRegion
            && (url.startsWith("http://") || url.startsWith("https://"))) {
          out.put(type, base(url));
          break;
        }
      }
    }
    return out;
  }

  /**
   * {@code glance-download}'s lookup in external mode: the URL of the {@code image} service's
   * {@code iface} endpoint in {@code region} (ignoring case) in the catalog Keystone gives {@code
   * token} (its {@code GET /v3/auth/tokens}, as keystonemiddleware hands Glance the token's
   * catalog); empty when that catalog has none or Keystone no longer accepts the token.
   *
   * @throws IOException when Keystone cannot be reached or answers an error
   */
  public java.util.Optional<String> imageEndpoint(String token, String region, String iface)
      throws IOException {
    HttpResponse<String> r;
    try {
      r =
          send(
              HttpRequest.newBuilder(URI.create(keystone.url() + "/v3/auth/tokens"))
                  .timeout(TIMEOUT)
                  .header("X-Auth-Token", serviceToken(clock.instant()))
                  .header("X-Subject-Token", token)
                  .header("Accept", "application/json")
                  .GET()
                  .build());
    } catch (RetryAfterException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (r.statusCode() == 404 || r.statusCode() == 401) {
      return java.util.Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw new IOException("Keystone answered " + r.statusCode() + " for the token's catalog");
    }
    JsonNode catalog = Json.MAPPER.readTree(r.body()).path("token").path("catalog");
    for (JsonNode service : catalog) {
      if (!service.path("type").asText().equals("image")) {
        continue;
      }
      for (JsonNode endpoint : service.path("endpoints")) {
        String in = endpoint.path("region_id").asText(endpoint.path("region").asText(""));
        if (in.equalsIgnoreCase(region) && endpoint.path("interface").asText().equals(iface)) {
          return java.util.Optional.of(endpoint.path("url").asText());
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** An endpoint URL without its version path ({@code /v2.1/…}, {@code /v2/…}, {@code /v3}). */
  static String base(String url) {
    String out = url.replaceFirst("(?i)/v(2(\\.[01])?|3)(/.*)?$", "");
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }

  /** The service token, logging in when there is none or it is about to expire. */
  private String serviceToken(Instant now) {
    ServiceToken current = service;
    if (current != null && now.isBefore(current.refreshAt())) {
      return current.id();
    }
    synchronized (this) {
      current = service;
      if (current != null && now.isBefore(current.refreshAt())) {
        return current.id();
      }
      ObjectNode body = Json.MAPPER.createObjectNode();
      ObjectNode identity = body.putObject("auth").putObject("identity");
      identity.putArray("methods").add("password");
      ObjectNode user = identity.putObject("password").putObject("user");
      user.put("name", keystone.username()).put("password", keystone.password());
      user.putObject("domain").put("name", keystone.userDomain());
      ObjectNode project = body.with("auth").putObject("scope").putObject("project");
      project.put("name", keystone.project());
      project.putObject("domain").put("name", keystone.projectDomain());
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(keystone.url() + "/v3/auth/tokens?nocatalog"))
                  .timeout(TIMEOUT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build());
      if (r.statusCode() != 201 || r.headers().firstValue("X-Subject-Token").isEmpty()) {
        LOG.warn(
            "cannot log in to Keystone at {} as service user {}: {}",
            keystone.url(), keystone.username(), r.statusCode());
        throw unavailable("refused the service credentials (" + r.statusCode() + ")");
      }
      Instant refreshAt = now.plus(Duration.ofMinutes(10));
      try {
        String expires = Json.MAPPER.readTree(r.body()).path("token").path("expires_at").asText();
        refreshAt = Instant.parse(expires.endsWith("Z") ? expires : expires + "Z")
            .minus(Duration.ofMinutes(1));
      } catch (IOException | java.time.format.DateTimeParseException ignored) {
        // refresh in 10 minutes
      }
      service = new ServiceToken(r.headers().firstValue("X-Subject-Token").get(), refreshAt);
      return service.id();
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Keystone at {} unreachable: {}", keystone.url(), e.toString());
      throw unavailable("is unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("did not answer");
    }
  }

  private RetryAfterException unavailable(String why) {
    return new RetryAfterException(
        ErrorCode.UNAVAILABLE,
        "The identity service " + why + "; tokens cannot be validated now. Please retry shortly.",
        RETRY_AFTER_SECONDS);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
