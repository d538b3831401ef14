package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.macasaet.fernet.StringValidator;
import com.macasaet.fernet.Token;
import com.macasaet.fernet.TokenExpiredException;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import dev.glint.http.Principal;
import dev.glint.http.TokenValidator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Issues and validates Fernet tokens. Everything a request needs about its caller (user, project,
 * role names, expiry) travels encrypted inside the token, so validation reads no store. Thread-safe.
 */
public final class TokenService implements TokenValidator, AutoCloseable {
  private static final int PAYLOAD_VERSION = 1;
  static final String UNRECOGNIZED = "Could not recognize Fernet token";
  static final String FAILED = "Failed to validate token";
  /**
   * Longest token looked at: the payload carries names and every role, so a user with many roles
   * gets a long token; this only stops absurd input before decryption (headers are capped anyway).
   */
  static final int MAX_TOKEN_CHARS = 16_384;
  /** Keystone's {@code [token] allow_expired_window} default. */
  static final Duration ALLOW_EXPIRED_WINDOW = Duration.ofSeconds(172_800);

  private final FernetKeys keys;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random = new SecureRandom();
  private final StringValidator validator;
  private final StringValidator expiredValidator;
  private final Revocations revocations;
  /**
   * Tokens already decrypted: a client repeating its token (every client does) costs a map lookup
   * instead of an HMAC, an AES decryption and a JSON parse. A payload never changes, so entries
   * need no invalidation; the map is simply emptied when it grows past {@link #DECRYPTED_MAX}.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Caller> decrypted =
      new java.util.concurrent.ConcurrentHashMap<>();

  static final int DECRYPTED_MAX = 4096;

  /** The key set the cache was filled under: a rotation that drops a key empties it. */
  private volatile long cachedUnder;

  // Counted for the metrics endpoint (dev.glint.ops); plain adders keep identity free of it.
  private final java.util.concurrent.atomic.LongAdder validations =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder cacheHits =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder rejections =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * Counts since start: tokens validated, of which answered from the decrypted-token cache, and of
   * which rejected (malformed, forged, expired or revoked).
   */
  public record Stats(long validations, long cacheHits, long rejections) {}

  public Stats stats() {
    return new Stats(validations.sum(), cacheHits.sum(), rejections.sum());
  }

  /** How many Fernet keys are loaded (the primary included); a working service has at least 1. */
  public int keyCount() {
    return keys.all().size();
  }

  public TokenService(FernetKeys keys, Clock clock, Duration ttl) {
    this(keys, clock, ttl, Revocations.NONE);
  }

  /** @param revocations consulted on every validation; must not read the store */
  public TokenService(FernetKeys keys, Clock clock, Duration ttl, Revocations revocations) {
    this.keys = keys;
    this.clock = clock;
    this.ttl = ttl;
    this.revocations = revocations;
    this.validator = validator(clock, ttl.plusMinutes(5));
    this.expiredValidator = validator(clock, ttl.plus(ALLOW_EXPIRED_WINDOW).plusMinutes(5));
  }

  /** Expiry is checked against the payload's own expires_at; this only bounds a token's age. */
  private static StringValidator validator(Clock clock, Duration maxAge) {
    return new StringValidator() {
      @Override
      public TemporalAmount getTimeToLive() {
        return maxAge;
      }

      @Override
      public Clock getClock() {
        return clock;
      }
    };
  }

  /** A new token id and the caller it stands for. */
  public record Issued(String id, Caller caller) {}

  /**
   * Issues a token with these claims. One from an application credential carries its id and
   * access rules, one through an OAuth1 access token that token's id (so that deleting either
   * revokes it), one re-scoped from another its audit chain and expiry.
   */
  public Issued issue(TokenClaims claims) {
    // Issued-at keeps milliseconds (payload "im") so that a revocation event at 12:00:00.400 spares
    // a token issued at 12:00:00.700, e.g. right after a password change; shown to seconds.
    Instant issued = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Instant now = issued.truncatedTo(ChronoUnit.SECONDS);
    Instant expires = claims.expiresAt() != null ? claims.expiresAt() : now.plus(ttl);
    byte[] audit = new byte[16];
    random.nextBytes(audit);
    String auditId = Base64.getUrlEncoder().withoutPadding().encodeToString(audit);
    Caller caller = claims.caller(auditId, issued, expires);
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("v", PAYLOAD_VERSION);
    p.put("u", claims.userId()).put("un", claims.userName()).put("ud", claims.userDomainId());
    if (claims.projectId() != null) {
      p.put("p", claims.projectId())
          .put("pn", claims.projectName())
          .put("pd", claims.projectDomainId());
    }
    if (claims.domainId() != null) {
      p.put("d", claims.domainId()).put("dn", claims.domainName());
    }
    if (claims.system()) {
      p.put("s", true);
    }
    ArrayNode r = p.putArray("r");
    claims.roles().forEach(r::add);
    ArrayNode m = p.putArray("m");
    claims.methods().forEach(m::add);
    p.put("a", auditId).put("i", now.getEpochSecond()).put("e", expires.getEpochSecond());
    p.put("im", issued.toEpochMilli());
    if (!caller.auditChainId().equals(auditId)) {
      p.put("ac", caller.auditChainId());
    }
    if (claims.applicationCredentialId() != null) {
      p.put("apc", claims.applicationCredentialId());
    }
    if (claims.oauthAccessTokenId() != null) {
      p.put("oat", claims.oauthAccessTokenId());
    }
    if (!claims.accessRules().isEmpty()) {
      ArrayNode ar = p.putArray("ar");
      for (AccessRule rule : claims.accessRules()) {
        ar.addArray().add(rule.id()).add(rule.service()).add(rule.method()).add(rule.path());
      }
    }
    Caller.TrustScope trust = claims.trust();
    if (trust != null) {
      p.put("t", trust.id()).put("tr", trust.trustorUserId()).put("te", trust.trusteeUserId());
      p.put("ti", trust.impersonation());
    }
    String id = Token.generate(random, keys.primary(), p.toString()).serialise();
    return new Issued(id, caller);
  }

  /** The caller a token stands for; empty when it is malformed, forged, expired or revoked. */
  public Optional<Caller> validate(String token) {
    try {
      return Optional.of(verify(token));
    } catch (ApiException e) {
      return Optional.empty();
    }
  }

  /** What the image and compute APIs' auth filter needs of a valid token. */
  @Override
  public Optional<Principal> principal(String token) {
    return validate(token).map(TokenService::principalOf);
  }

  /** Only a token already decrypted under the current keys: the rest is the same check. */
  @Override
  public Principal cachedPrincipal(String token) {
    if (token == null || keys.version() != cachedUnder || !decrypted.containsKey(token)) {
      return null;
    }
    return validate(token).map(TokenService::principalOf).orElse(null);
  }

  private static Principal principalOf(Caller c) {
    return new Principal(c.userId(), c.projectId(), c.roles(),
        c.accessRules().isEmpty() ? Principal.Access.ANY
            : (service, method, path) ->
                c.accessRules().stream().anyMatch(r -> r.allows(service, method, path)));
  }

  /**
   * The caller a token stands for, or a 404 with Keystone's reason, as the identity API reports a
   * bad subject token: {@code Could not recognize Fernet token} when it does not decrypt, {@code
   * Failed to validate token} when it expired or was revoked.
   */
  public Caller verify(String token) {
    return verify(token, false);
  }

  /**
   * As {@link #verify(String)}; with {@code allowExpired}, a token that expired less than
   * Keystone's {@code [token] allow_expired_window} (48 h) ago still verifies, as {@code GET
   * /v3/auth/tokens?allow_expired=1} asks (keystonemiddleware, for service-token requests).
   */
  public Caller verify(String token, boolean allowExpired) {
    validations.increment();
    try {
      return check(token, allowExpired);
    } catch (ApiException e) {
      rejections.increment();
      throw e;
    }
  }

  private Caller check(String token, boolean allowExpired) {
    if (token == null || token.isEmpty()) {
      throw ApiException.notFound("No token in the request");
    }
    long keysVersion = keys.version();
    if (keysVersion != cachedUnder) {
      decrypted.clear();
      cachedUnder = keysVersion;
    }
    Caller caller = decrypted.get(token);
    if (caller != null) {
      cacheHits.increment();
    } else {
      caller = decrypt(token, allowExpired);
      if (decrypted.size() >= DECRYPTED_MAX) {
        decrypted.clear();
      }
      decrypted.put(token, caller);
    }
    // Expiry and revocation are checked on every call, cached or not.
    Instant deadline =
        allowExpired ? caller.expiresAt().plus(ALLOW_EXPIRED_WINDOW) : caller.expiresAt();
    if (!clock.instant().isBefore(deadline)) {
      throw ApiException.notFound(FAILED);
    }
    if (revocations.isRevoked(caller)) {
      throw ApiException.notFound(FAILED);
    }
    return caller;
  }

  /** The caller a token's payload names: Fernet's HMAC check, AES decryption and JSON parsing. */
  private Caller decrypt(String token, boolean allowExpired) {
    JsonNode p;
    try {
      if (token.length() > MAX_TOKEN_CHARS) {
        throw new IllegalArgumentException("token too long");
      }
      String payload =
          Token.fromString(token)
              .validateAndDecrypt(keys.all(), allowExpired ? expiredValidator : validator);
      p = Json.MAPPER.readTree(payload);
    } catch (TokenExpiredException e) {
      throw ApiException.notFound(FAILED);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      // Any forged input lands here, whatever the Fernet library throws for it: a timestamp out
      // of range is a DateTimeException, a bad length an IllegalArgumentException. It is the
      // caller's mistake, not ours, so no stack trace is logged.
      throw ApiException.notFound(UNRECOGNIZED);
    }
    if (p.path("v").asInt() != PAYLOAD_VERSION) {
      throw ApiException.notFound(UNRECOGNIZED);
    }
    Instant expires = Instant.ofEpochSecond(p.path("e").asLong());
    TokenClaims claims =
        TokenClaims.user(
                p.path("u").asText(),
                p.path("un").asText(),
                p.path("ud").asText(),
                strings(p.path("r")),
                strings(p.path("m")))
            .withProject(text(p, "p"), text(p, "pn"), text(p, "pd"))
            .withDomain(text(p, "d"), text(p, "dn"))
            .withSystem(p.path("s").asBoolean(false))
            .withTrust(
                p.hasNonNull("t")
                    ? new Caller.TrustScope(
                        p.get("t").asText(), p.path("tr").asText(), p.path("te").asText(),
                        p.path("ti").asBoolean(false))
                    : null)
            .withAuditChain(text(p, "ac"))
            .withApplicationCredential(text(p, "apc"), accessRules(p.path("ar")))
            .withOAuthAccessToken(text(p, "oat"));
    Instant issuedAt =
        p.has("im")
            ? Instant.ofEpochMilli(p.get("im").asLong())
            : Instant.ofEpochSecond(p.path("i").asLong());
    // No "ac": the token starts its own chain (Caller takes its audit id for it).
    return claims.caller(p.path("a").asText(), issuedAt, expires);
  }

  private static String text(JsonNode payload, String field) {
    return payload.hasNonNull(field) ? payload.get(field).asText() : null;
  }

  /** Stops watching the key repository. */
  @Override
  public void close() {
    keys.close();
  }

  /** How long new tokens live. */
  public Duration ttl() {
    return ttl;
  }

  private static List<AccessRule> accessRules(JsonNode array) {
    List<AccessRule> out = new ArrayList<>();
    array.forEach(
        r -> out.add(new AccessRule(
            r.path(0).asText(), r.path(1).asText(), r.path(2).asText(), r.path(3).asText())));
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
