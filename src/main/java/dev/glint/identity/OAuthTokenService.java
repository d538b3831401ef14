package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import dev.glint.identity.ConsumerRepository.AccessToken;
import dev.glint.identity.ConsumerRepository.RequestToken;
import dev.glint.identity.OAuthSignature.Param;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OAuth1 delegation (OS-OAUTH1) as Keystone Zed's {@code api/os_oauth1.py}, {@code oauth1/} and
 * {@code auth/plugins/oauth1.py}: a consumer asks for a request token for a project (signed with
 * its key and secret), a user with roles there authorizes it with some of them and gets a
 * verifier, the consumer exchanges token and verifier for an access token, and requests signed
 * with the access token get project-scoped tokens carrying the authorized roles. Signatures are
 * checked as oauthlib's endpoints check them (RFC 5849). Secrets are stored encrypted with the
 * credential keys, verifiers only as hashes. Thread-safe.
 */
public final class OAuthTokenService {
  /** Keystone's {@code [oauth1] request_token_duration} and {@code access_token_duration}. */
  static final Duration REQUEST_TOKEN_DURATION = Duration.ofSeconds(28_800);

  static final Duration ACCESS_TOKEN_DURATION = Duration.ofSeconds(86_400);
  /** oauthlib's {@code timestamp_lifetime}: how far a signed timestamp may be from now. */
  static final long TIMESTAMP_LIFETIME = 600;

  private static final String VERIFIER_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final DateTimeFormatter ISOTIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * A request as the OAuth endpoints need it: the method, the URLs it may have been signed for
   * (the configured public one first), its {@code Authorization} header and query parameters.
   */
  public record Signed(String method, List<String> urls, String authorization,
      List<Param> query) {}

  /** A new request or access token: what the form-encoded answer shows. */
  public record Issued(String key, String secret, Instant expiresAt) {
    /** {@code oauth_token=…&oauth_token_secret=…&oauth_expires_at=…}, as Keystone writes it. */
    public String form() {
      return "oauth_token=" + key + "&oauth_token_secret=" + secret
          + (expiresAt == null ? "" : "&oauth_expires_at=" + isotime(expiresAt));
    }
  }

  private final ConsumerRepository store;
  private final CredentialService sealer;
  private final IdentityRepository identity;
  private final IdentityService service;
  private final Authorization authorization;
  private final RevocationList revocations;
  private final Duration tokenTtl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  OAuthTokenService(
      ConsumerRepository store,
      CredentialService sealer,
      IdentityRepository identity,
      IdentityService service,
      Authorization authorization,
      RevocationList revocations,
      Duration tokenTtl,
      Clock clock) {
    this.store = store;
    this.sealer = sealer;
    this.identity = identity;
    this.service = service;
    this.authorization = authorization;
    this.revocations = revocations;
    this.tokenTtl = tokenTtl;
    this.clock = clock;
  }

  static String isotime(Instant at) {
    return ISOTIME.format(at);
  }

  // ------------------------------------------------------------------ request tokens

  /** {@code POST /v3/OS-OAUTH1/request_token}, signed with the consumer's key and secret. */
  public Issued requestToken(Signed request, String requestedProjectId) {
    Map<String, String> oauth = oauthHeader(request);
    String consumerId = oauth.get("oauth_consumer_key");
    if (consumerId == null || consumerId.isEmpty()) {
      throw KeystoneErrors.expecting("oauth_consumer_key", "request");
    }
    if (requestedProjectId == null || requestedProjectId.isEmpty()) {
      throw KeystoneErrors.expecting("Requested-Project-Id", "request");
    }
    identity.project(requestedProjectId)
        .orElseThrow(() -> ApiException.notFound(
            "Could not find project: " + requestedProjectId + "."));
    ConsumerRepository.Consumer consumer = consumer(consumerId);
    List<Param> params = params(request);
    checkMandatory(params, oauth);
    if (oauth.get("oauth_callback") == null || oauth.get("oauth_callback").isEmpty()) {
      throw oauthError("invalid_request", "Missing callback URI.");
    }
    if (!OAuthSignature.verify(request.method(), request.urls(), params,
        sealer.unseal(consumer.secretEncrypted()), null)) {
      throw KeystoneErrors.unauthorized("Invalid signature");
    }
    String id = hexId();
    String secret = hexId();
    Instant expires = clock.instant().plus(REQUEST_TOKEN_DURATION);
    CredentialService.Sealed sealed = sealer.seal(secret);
    store.createRequestToken(new RequestToken(
        id, consumerId, requestedProjectId, sealed.token(), sealed.keyHash(), null, null, null,
        expires));
    return new Issued(id, secret, expires);
  }

  /**
   * {@code PUT /v3/OS-OAUTH1/authorize/{request_token_id}}: the caller, holding every named role
   * on the requested project, delegates them; answers the verifier.
   */
  public String authorize(Caller caller, String requestTokenId, JsonNode body) {
    authorization.enforce(
        caller, "identity:authorize_request_token", Map.of(), KeystoneErrors::forbiddenAction);
    JsonNode roles = body == null || !body.isObject() || !body.has("roles")
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
        : body.get("roles");
    checkRoleList(roles);
    if (delegated(caller)) {
      // "Cannot authorize a request token with a token issued via delegation."; hidden.
      throw KeystoneErrors.forbidden();
    }
    RequestToken token = requestTokenOrNotFound(requestTokenId);
    if (expired(token.expiresAt())) {
      throw KeystoneErrors.unauthorized("Request token is expired");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (JsonNode role : roles) {
      if (role.hasNonNull("id") && !role.get("id").asText().isEmpty()) {
        wanted.add(role.get("id").asText());
      } else {
        String name = role.path("name").asText();
        wanted.add(identity.roleByName(name)
            .orElseThrow(() -> ApiException.notFound("Could not find role: " + name + "."))
            .id());
      }
    }
    Set<String> held = new HashSet<>();
    service.effectiveRoles(caller.userId(), token.projectId()).forEach(r -> held.add(r.id()));
    if (!held.containsAll(wanted)) {
      throw KeystoneErrors.unauthorized("authorizing user does not have role required");
    }
    String verifier = verifier();
    if (!store.authorizeRequestToken(
        requestTokenId, caller.userId(), List.copyOf(wanted), sha256(verifier))) {
      // Authorized by someone else in the meantime, or exchanged: it cannot be authorized again.
      throw KeystoneErrors.unauthorized("Request token was already authorized");
    }
    return verifier;
  }

  /** Keystone's {@code request_token_authorize} schema: a list of {id} or {name} objects. */
  private static void checkRoleList(JsonNode roles) {
    if (!roles.isArray()) {
      throw KeystoneErrors.schema(AuthRequest.repr(roles) + " is not of type 'array'");
    }
    for (int i = 0; i < roles.size(); i++) {
      JsonNode role = roles.get(i);
      String field = "Invalid input for field '" + i + "': ";
      if (!role.isObject()) {
        throw KeystoneErrors.schema(field + AuthRequest.repr(role) + " is not of type 'object'");
      }
      for (Map.Entry<String, JsonNode> e : role.properties()) {
        if (!e.getKey().equals("id") && !e.getKey().equals("name")) {
          throw KeystoneErrors.schema(field + "Additional properties are not allowed ('"
              + e.getKey() + "' was unexpected)");
        }
        if (!e.getValue().isTextual()) {
          throw KeystoneErrors.schema("Invalid input for field '" + i + "/" + e.getKey() + "': "
              + AuthRequest.repr(e.getValue()) + " is not of type 'string'");
        }
      }
      if (role.isEmpty()) {
        throw KeystoneErrors.schema(field + "{} does not have enough properties");
      }
      if (role.size() > 1) {
        throw KeystoneErrors.schema(field + AuthRequest.repr(role) + " has too many properties");
      }
    }
  }

  // ------------------------------------------------------------------ access tokens

  /** {@code POST /v3/OS-OAUTH1/access_token}, signed with the request token and its verifier. */
  public Issued accessToken(Signed request) {
    Map<String, String> oauth = oauthHeader(request);
    String consumerId = oauth.get("oauth_consumer_key");
    String requestTokenId = oauth.get("oauth_token");
    String verifier = oauth.get("oauth_verifier");
    if (consumerId == null || consumerId.isEmpty()) {
      throw KeystoneErrors.expecting("oauth_consumer_key", "request");
    }
    if (requestTokenId == null || requestTokenId.isEmpty()) {
      throw KeystoneErrors.expecting("oauth_token", "request");
    }
    if (verifier == null || verifier.isEmpty()) {
      throw KeystoneErrors.expecting("oauth_verifier", "request");
    }
    RequestToken token = requestTokenOrNotFound(requestTokenId);
    if (expired(token.expiresAt())) {
      throw KeystoneErrors.unauthorized("Request token is expired");
    }
    List<Param> params = params(request);
    checkMandatory(params, oauth);
    if (!hexToken(requestTokenId)) {
      throw oauthError("invalid_request", "Invalid resource owner key format.");
    }
    if (verifier.length() != 8 || !verifier.chars().allMatch(c -> VERIFIER_CHARS.indexOf(c) >= 0)) {
      throw oauthError("invalid_request", "Invalid verifier format.");
    }
    ConsumerRepository.Consumer consumer = store.find(consumerId)
        .orElseThrow(() -> KeystoneErrors.unauthorized("Provided consumer does not exist."));
    if (!token.consumerId().equals(consumerId)) {
      throw KeystoneErrors.unauthorized(
          "Provided consumer key does not match stored consumer key.");
    }
    if (token.verifierHash() == null
        || !MessageDigest.isEqual(
            token.verifierHash().getBytes(StandardCharsets.US_ASCII),
            sha256(verifier).getBytes(StandardCharsets.US_ASCII))) {
      throw KeystoneErrors.unauthorized("Provided verifier does not match stored verifier");
    }
    if (!OAuthSignature.verify(request.method(), request.urls(), params,
        sealer.unseal(consumer.secretEncrypted()), sealer.unseal(token.secretEncrypted()))) {
      throw KeystoneErrors.unauthorized("Invalid signature.");
    }
    if (token.authorizingUserId() == null) {
      throw KeystoneErrors.unauthorized("Request Token does not have an authorizing user id.");
    }
    String id = hexId();
    String secret = hexId();
    Instant expires = clock.instant().plus(ACCESS_TOKEN_DURATION);
    CredentialService.Sealed sealed = sealer.seal(secret);
    AccessToken access = new AccessToken(
        id, consumerId, token.authorizingUserId(), token.projectId(), token.roleIds(),
        sealed.token(), sealed.keyHash(), expires);
    // One unit of work: the request token is spent exactly once.
    store.inTransaction(() -> {
      if (!store.deleteRequestToken(requestTokenId)) {
        throw ApiException.notFound("Request token not found");
      }
      store.createAccessToken(access);
      return null;
    });
    return new Issued(id, secret, expires);
  }

  /**
   * The {@code oauth1} auth method: a request signed with a live access token stands for the
   * user who authorized it, scoped to its project.
   */
  AccessToken authenticate(Signed request) {
    if (request == null) {
      throw KeystoneErrors.unauthorized("no signed request");
    }
    Map<String, String> oauth = oauthHeader(request);
    String accessTokenId = oauth.get("oauth_token");
    if (accessTokenId == null || accessTokenId.isEmpty()) {
      throw KeystoneErrors.expecting("oauth_token", "request");
    }
    AccessToken token = store.findAccessToken(accessTokenId)
        .orElseThrow(() -> ApiException.notFound("Access token not found"));
    if (expired(token.expiresAt())) {
      throw KeystoneErrors.unauthorized("Access token is expired");
    }
    List<Param> params = params(request);
    boolean valid;
    try {
      checkMandatory(params, oauth);
      ConsumerRepository.Consumer consumer = store.find(oauth.get("oauth_consumer_key"))
          .filter(c -> c.id().equals(token.consumerId()))
          .orElseThrow(() -> KeystoneErrors.unauthorized("consumer"));
      valid = OAuthSignature.verify(request.method(), request.urls(), params,
          sealer.unseal(consumer.secretEncrypted()), sealer.unseal(token.secretEncrypted()));
    } catch (ApiException e) {
      // oauthlib's protected-resource check answers only valid or not.
      valid = false;
    }
    if (!valid) {
      throw KeystoneErrors.unauthorized("Could not validate the access token");
    }
    return token;
  }

  /** The access token a token was issued through, if it still exists and has not expired. */
  java.util.Optional<AccessToken> live(String accessTokenId) {
    return store.findAccessToken(accessTokenId).filter(t -> !expired(t.expiresAt()));
  }

  /** {@code GET /v3/users/{user_id}/OS-OAUTH1/access_tokens}. */
  public List<AccessToken> list(Caller caller, String userId) {
    require(caller, "list_access_tokens", userId);
    if (delegated(caller)) {
      throw KeystoneErrors.forbidden();
    }
    return store.accessTokensOfUser(userId);
  }

  /** {@code GET /v3/users/{user_id}/OS-OAUTH1/access_tokens/{id}}. */
  public AccessToken get(Caller caller, String userId, String accessTokenId) {
    require(caller, "get_access_token", userId);
    return owned(userId, accessTokenId);
  }

  /** {@code DELETE …/access_tokens/{id}}: the tokens issued through it stop validating. */
  public void delete(Caller caller, String userId, String accessTokenId) {
    require(caller, "delete_access_token", userId);
    store.inTransaction(() -> {
      AccessToken token = store.findAccessToken(accessTokenId)
          .orElseThrow(() -> ApiException.notFound("Access token not found"));
      if (!token.authorizingUserId().equals(userId)) {
        throw KeystoneErrors.unauthorized("User IDs do not match");
      }
      store.deleteAccessToken(accessTokenId);
      revocations.revokeAccessToken(accessTokenId, tokenTtl);
      return null;
    });
  }

  /** {@code GET …/access_tokens/{id}/roles}: the roles it delegates that still exist. */
  public List<Role> roles(Caller caller, String userId, String accessTokenId) {
    require(caller, "list_access_token_roles", userId);
    AccessToken token = owned(userId, accessTokenId);
    List<Role> out = new ArrayList<>();
    for (String id : token.roleIds()) {
      identity.role(id).ifPresent(out::add);
    }
    return out;
  }

  /** {@code GET …/access_tokens/{id}/roles/{role_id}}. */
  public Role role(Caller caller, String userId, String accessTokenId, String roleId) {
    require(caller, "get_access_token_role", userId);
    AccessToken token = store.findAccessToken(accessTokenId)
        .orElseThrow(() -> ApiException.notFound("Access token not found"));
    if (!token.authorizingUserId().equals(userId)) {
      throw KeystoneErrors.unauthorized("User IDs do not match");
    }
    if (!token.roleIds().contains(roleId)) {
      throw ApiException.notFound("Could not find role: " + roleId + ".");
    }
    return identity.role(roleId)
        .orElseThrow(() -> ApiException.notFound("Could not find role: " + roleId + "."));
  }

  /** Revokes the tokens issued through each of a consumer's access tokens (it is being deleted). */
  void revokeConsumer(String consumerId) {
    for (AccessToken t : store.accessTokensOfConsumer(consumerId)) {
      revocations.revokeAccessToken(t.id(), tokenTtl);
    }
  }

  // ------------------------------------------------------------------ helpers

  private void require(Caller caller, String action, String userId) {
    authorization.enforce(
        caller, "identity:" + action, Map.of("target.user.id", userId),
        KeystoneErrors::forbiddenAction);
  }

  /** Keystone's {@code is_delegated_auth}: a token from a trust, OAuth1 or an app credential. */
  static boolean delegated(Caller caller) {
    return caller.trust() != null
        || caller.oauthAccessTokenId() != null
        || caller.applicationCredentialId() != null;
  }

  /** An access token the user authorized; another user's is a 404, as Keystone's. */
  private AccessToken owned(String userId, String accessTokenId) {
    AccessToken token = store.findAccessToken(accessTokenId)
        .orElseThrow(() -> ApiException.notFound("Access token not found"));
    if (!token.authorizingUserId().equals(userId)) {
      throw ApiException.notFound("Access token not found");
    }
    return token;
  }

  private ConsumerRepository.Consumer consumer(String id) {
    return store.find(id).orElseThrow(() -> ApiException.notFound("Consumer not found"));
  }

  private RequestToken requestTokenOrNotFound(String id) {
    return store.findRequestToken(id)
        .orElseThrow(() -> ApiException.notFound("Request token not found"));
  }

  private boolean expired(Instant expiresAt) {
    return expiresAt != null && clock.instant().isAfter(expiresAt);
  }

  /**
   * The {@code Authorization: OAuth} parameters by name; Keystone's {@code get_oauth_headers}
   * refuses a request without them (a 500 there; a 400 here, as it is the client's doing).
   */
  private static Map<String, String> oauthHeader(Signed request) {
    List<Param> header;
    try {
      header = OAuthSignature.header(request.authorization());
    } catch (IllegalArgumentException e) {
      throw oauthError("invalid_request", "Malformed authorization header.");
    }
    if (header == null) {
      throw KeystoneErrors.expecting("Authorization header with OAuth parameters", "request");
    }
    Map<String, String> named = new LinkedHashMap<>();
    for (Param p : header) {
      if (named.put(p.name(), p.value()) != null) {
        throw oauthError("invalid_request", "Duplicate OAuth1 entries.");
      }
    }
    return named;
  }

  /** Every parameter the signature covers: the header's and the query string's. */
  private static List<Param> params(Signed request) {
    List<Param> all = new ArrayList<>(OAuthSignature.header(request.authorization()));
    all.addAll(request.query());
    return all;
  }

  /** oauthlib's {@code _check_mandatory_parameters}, with Keystone's token format checks. */
  private void checkMandatory(List<Param> params, Map<String, String> oauth) {
    for (String p : List.of("oauth_signature", "oauth_consumer_key", "oauth_nonce",
        "oauth_signature_method", "oauth_timestamp")) {
      if (oauth.get(p) == null || oauth.get(p).isEmpty()) {
        throw oauthError("invalid_request", "Missing mandatory OAuth parameters.");
      }
    }
    String method = oauth.get("oauth_signature_method");
    if (!OAuthSignature.supported(method)) {
      throw oauthError("invalid_signature_method",
          "Invalid signature, " + method + " not in ['HMAC-SHA1', 'HMAC-SHA256'].");
    }
    String version = oauth.get("oauth_version");
    if (version != null && !version.equals("1.0")) {
      throw oauthError("invalid_request", "Invalid OAuth version.");
    }
    String timestamp = oauth.get("oauth_timestamp");
    if (timestamp.length() != 10) {
      throw oauthError("invalid_request", "Invalid timestamp size");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      throw oauthError("invalid_request", "Timestamp must be an integer.");
    }
    if (Math.abs(clock.instant().getEpochSecond() - ts) > TIMESTAMP_LIFETIME) {
      throw oauthError("invalid_request",
          "Timestamp given is invalid, differ from allowed by over " + TIMESTAMP_LIFETIME
              + " seconds.");
    }
    if (!hexToken(oauth.get("oauth_consumer_key"))) {
      throw oauthError("invalid_request", "Invalid client key format.");
    }
    if (!oauth.get("oauth_nonce").chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw oauthError("invalid_request", "Invalid nonce format.");
    }
  }

  /** Keystone's validator: keys and tokens are 32 hex digits (uuid4().hex). */
  private static boolean hexToken(String s) {
    return s != null && s.length() == 32 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** Keystone's {@code validate_oauth_params}: an oauthlib error becomes a ValidationError. */
  private static ApiException oauthError(String error, String description) {
    return ApiException.badRequest("Validation failed with errors: " + error
        + ", detail message is: " + description + ".");
  }

  private static String hexId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private String verifier() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      out.append(VERIFIER_CHARS.charAt(random.nextInt(VERIFIER_CHARS.length())));
    }
    return out.toString();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
