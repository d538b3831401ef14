package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keystone's application credentials: create, list, show and delete under {@code
 * /v3/users/{user_id}/application_credentials}, and the {@code application_credential} auth method.
 * A credential is bound to the project and a subset of the roles of the token that made it; its
 * secret is stored as a bcrypt hash and shown once. It stops working when it expires, when its
 * user or project is deleted, or when the user loses a role it holds; the tokens issued through it
 * end then too (revocation events), on every node and every listener. Thread-safe.
 */
public final class ApplicationCredentialService {
  static final String METHOD = "application_credential";

  private final ApplicationCredentialRepository credentials;
  private final IdentityRepository repository;
  private final Authorization authorization;
  private final Clock clock;
  private final IdentityService identity;
  private final RevocationList revocations;
  private final java.time.Duration tokenLifetime;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param revocations where a deleted credential's event goes, so that the tokens issued through
   *     it end on every node
   * @param tokenLifetime the longest a token lives, which bounds how long that event matters
   */
  ApplicationCredentialService(
      ApplicationCredentialRepository credentials,
      IdentityRepository repository,
      Authorization authorization,
      Clock clock,
      IdentityService identity,
      RevocationList revocations,
      java.time.Duration tokenLifetime) {
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
    this.credentials = credentials;
    this.repository = repository;
    this.authorization = authorization;
    this.clock = clock;
    this.identity = identity;
  }

  /** A credential just made, with its secret (shown this once) and its roles. */
  public record Created(
      ApplicationCredential credential, String secret, List<Role> roles, List<AccessRule> rules) {}

  /** {@code POST /v3/users/{user_id}/application_credentials}, Keystone's checks in its order. */
  public Created create(Caller caller, String userId, JsonNode body) {
    require(caller, "create_application_credential", userId);
    JsonNode data = body.get("application_credential");
    if (data == null || !data.isObject()) {
      throw KeystoneErrors.schema("'application_credential' is a required property");
    }
    String name = AdminFields.requiredName(data, 255);
    String description = AdminFields.nullableString(data, "description", null);
    String secret = AdminFields.nullableString(data, "secret", null);
    String expires = AdminFields.nullableString(data, "expires_at", null);
    boolean unrestricted = Boolean.TRUE.equals(AdminFields.bool(data, "unrestricted", false));
    List<JsonNode> askedRules = accessRuleRequests(data.get("access_rules"));
    notDelegated(caller);
    requireUnrestricted(caller);
    if (!caller.userId().equals(userId)) {
      throw KeystoneErrors.forbiddenAction(
          "Cannot create an application credential for another user");
    }
    if (caller.projectId() == null) {
      throw invalid("a project-scoped token is required to create one");
    }
    List<Role> roles = roles(caller, data.get("roles"));
    Instant expiresAt = expires == null ? null : expiry(expires);
    if (secret == null || secret.isEmpty()) {
      byte[] bytes = new byte[64];
      random.nextBytes(bytes);
      secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    ApplicationCredential credential =
        new ApplicationCredential(
            IdentityService.newId(),
            name,
            description,
            userId,
            caller.projectId(),
            expiresAt,
            unrestricted,
            roles.stream().map(Role::id).toList());
    String hash = Passwords.hash(secret);
    // One unit of work: the credential, its new access rules and their links.
    List<AccessRule> rules =
        repository.inTransaction(
            () -> {
              if (!credentials.create(credential, hash)) {
                throw ApiException.conflict(
                    "Conflict occurred attempting to store application_credential - Duplicate"
                        + " name, " + name + ".");
              }
              List<AccessRule> linked = accessRules(userId, askedRules);
              credentials.linkAccessRules(
                  credential.id(), linked.stream().map(AccessRule::id).toList());
              return linked;
            });
    return new Created(credential, secret, roles, rules);
  }

  /** Keystone's {@code access_rules} schema: objects of path, method, service or id only. */
  private static List<JsonNode> accessRuleRequests(JsonNode rules) {
    if (rules == null || rules.isNull()) {
      return List.of();
    }
    if (!rules.isArray()) {
      throw KeystoneErrors.schema("Invalid input for field 'access_rules': "
          + AuthRequest.repr(rules) + " is not of type 'array'");
    }
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      String field = "Invalid input for field 'access_rules/" + i;
      if (!r.isObject()) {
        throw KeystoneErrors.schema(field + "': " + AuthRequest.repr(r) + " is not of type 'object'");
      }
      for (var e : r.properties()) {
        String key = e.getKey();
        JsonNode v = e.getValue();
        if (!List.of("path", "method", "service", "id").contains(key)) {
          throw KeystoneErrors.schema(field + "': Additional properties are not allowed ('" + key
              + "' was unexpected)");
        }
        if (!v.isTextual()) {
          throw KeystoneErrors.schema(field + "/" + key + "': " + AuthRequest.repr(v)
              + " is not of type 'string'");
        }
        String t = v.textValue();
        boolean ok = switch (key) {
          case "path" -> t.length() <= 225 && t.startsWith("/");
          case "method" -> t.matches("^(POST|GET|HEAD|PATCH|PUT|DELETE)$");
          default -> !t.isEmpty() && t.length() <= 64;
        };
        if (!ok) {
          throw KeystoneErrors.schema(field + "/" + key + "': " + AuthRequest.repr(v)
              + " is not valid under the given schema");
        }
      }
      out.add(r);
    }
    return out;
  }

  /**
   * The rules asked for, as Keystone's {@code _get_access_rule_refs}: by id one of the user's own
   * (404 otherwise); an identical rule the user already has is reused; else a new one.
   */
  private List<AccessRule> accessRules(String userId, List<JsonNode> asked) {
    if (asked.isEmpty()) {
      return List.of();
    }
    List<AccessRule> existing = new ArrayList<>(credentials.accessRules(userId));
    List<AccessRule> out = new ArrayList<>();
    for (JsonNode r : asked) {
      AccessRule rule;
      if (r.has("id")) {
        String id = r.get("id").textValue();
        rule = existing.stream().filter(x -> x.id().equals(id)).findFirst()
            .orElseThrow(() -> ApiException.notFound("Could not find Access Rule: " + id + "."));
      } else {
        String service = AuthRequest.text(r, "service");
        String method = AuthRequest.text(r, "method");
        String path = AuthRequest.text(r, "path");
        if (service == null || method == null || path == null) {
          throw invalid("an access rule needs a service, a method and a path");
        }
        rule = existing.stream()
            .filter(x -> x.service().equals(service) && x.method().equals(method)
                && x.path().equals(path))
            .findFirst()
            .orElse(null);
        if (rule == null) {
          rule = new AccessRule(IdentityService.newId(), service, method, path);
          credentials.addAccessRule(userId, rule);
          existing.add(rule);
        }
      }
      if (!out.contains(rule)) {
        out.add(rule);
      }
    }
    return out;
  }

  /** The access rules a credential names (its tokens may make only those requests). */
  public List<AccessRule> accessRules(ApplicationCredential credential) {
    return credentials.accessRulesOf(credential.id());
  }

  /** {@code GET /v3/users/{user_id}/access_rules}, with Keystone's exact-match filters. */
  public List<AccessRule> listAccessRules(Caller caller, String userId, Map<String, String> query) {
    require(caller, "list_access_rules", userId);
    notDelegated(caller);
    return credentials.accessRules(userId).stream()
        .filter(r -> query.getOrDefault("service", r.service()).equals(r.service()))
        .filter(r -> query.getOrDefault("method", r.method()).equals(r.method()))
        .filter(r -> query.getOrDefault("path", r.path()).equals(r.path()))
        .toList();
  }

  public AccessRule getAccessRule(Caller caller, String userId, String id) {
    require(caller, "get_access_rule", userId);
    notDelegated(caller);
    return ownedRule(userId, id);
  }

  /** Deletes a rule no credential names any more (403 while one does). */
  public void deleteAccessRule(Caller caller, String userId, String id) {
    require(caller, "delete_access_rule", userId);
    notDelegated(caller);
    ownedRule(userId, id);
    repository.inTransaction(
        () -> {
          if (credentials.accessRuleInUse(id)) {
            throw ApiException.forbidden("Cannot delete access rule " + id
                + " because it is in use by an application credential.");
          }
          credentials.deleteAccessRule(id);
          return null;
        });
  }

  private AccessRule ownedRule(String userId, String id) {
    return credentials.accessRules(userId).stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> ApiException.notFound("Could not find Access Rule: " + id + "."));
  }

  /** {@code GET …/application_credentials}, optionally by exact {@code name}. */
  public List<ApplicationCredential> list(Caller caller, String userId, String name) {
    require(caller, "list_application_credentials", userId);
    notDelegated(caller);
    return credentials.list(userId).stream()
        .filter(c -> name == null || c.name().equals(name))
        .toList();
  }

  public ApplicationCredential get(Caller caller, String userId, String id) {
    require(caller, "get_application_credential", userId);
    notDelegated(caller);
    return owned(userId, id);
  }

  public void delete(Caller caller, String userId, String id) {
    require(caller, "delete_application_credential", userId);
    notDelegated(caller);
    requireUnrestricted(caller);
    owned(userId, id);
    // One unit of work: the credential goes with the event that ends its tokens, or neither does.
    repository.inTransaction(
        () -> {
          if (!credentials.delete(id)) {
            throw ApiException.notFound("Could not find Application Credential: " + id + ".");
          }
          revocations.revokeApplicationCredential(id, tokenLifetime);
          return null;
        });
  }

  /** The roles a credential grants, as role records (ones deleted since are left out). */
  public List<Role> roles(ApplicationCredential credential) {
    List<Role> out = new ArrayList<>();
    for (String id : credential.roleIds()) {
      repository.role(id).ifPresent(out::add);
    }
    return out;
  }

  /** The credential a token came from, if it still exists. */
  Optional<ApplicationCredential> find(String id) {
    return id == null ? Optional.empty() : credentials.find(id);
  }

  /**
   * The {@code application_credential} auth method: by id, or by name and user, and the secret.
   * Unknown, expired or wrong: 401, after one bcrypt verification in every case.
   */
  ApplicationCredential authenticate(JsonNode payload) {
    String id = AuthRequest.text(payload, "id");
    String name = AuthRequest.text(payload, "name");
    String secret = AuthRequest.text(payload, "secret");
    if ((id == null || id.isEmpty()) && (name == null || name.isEmpty())) {
      throw KeystoneErrors.expecting("id or name", "application credential");
    }
    Optional<ApplicationCredential> found;
    if (id != null && !id.isEmpty()) {
      // The credential's owner, whatever user the request names (Keystone LP#2148477).
      found = credentials.find(id);
    } else {
      JsonNode user = payload.get("user");
      if (user == null || !user.isObject()) {
        throw KeystoneErrors.expecting("user", "application credential");
      }
      found = identity.lookupUser(user).flatMap(u -> credentials.findByName(u.id(), name));
    }
    String hash = found.flatMap(c -> credentials.secretHash(c.id())).orElse(null);
    if (!Passwords.matches(secret, hash)) {
      throw KeystoneErrors.unauthorized("Invalid application credential");
    }
    ApplicationCredential credential = found.get();
    if (credential.expired(clock.instant())) {
      throw KeystoneErrors.unauthorized("Application credential has expired");
    }
    return credential;
  }

  private ApplicationCredential owned(String userId, String id) {
    return credentials
        .find(id)
        .filter(c -> c.userId().equals(userId))
        .orElseThrow(
            () -> ApiException.notFound("Could not find Application Credential: " + id + "."));
  }

  private void require(Caller caller, String action, String userId) {
    authorization.enforce(
        caller, "identity:" + action, Map.of("target.user.id", userId),
        KeystoneErrors::forbiddenAction);
  }

  /**
   * Keystone's {@code _block_delegated_token_app_creds}: a trust-scoped token or one from an OAuth1
   * access token (or any delegated method) neither makes, reads nor deletes application credentials
   * or access rules: a credential made so would outlive the delegation and drop its audit chain.
   * Keystone raises a plain {@code Forbidden}, so the client sees only the generic text. Tokens from
   * application credentials are left to {@link #requireUnrestricted}.
   */
  private static void notDelegated(Caller caller) {
    if (caller.methods().contains(METHOD)) {
      return;
    }
    if (Delegation.delegated(caller)) {
      throw KeystoneErrors.forbidden();
    }
  }

  /** A token from a restricted credential may not manage credentials (Keystone). */
  private void requireUnrestricted(Caller caller) {
    if (caller.applicationCredentialId() == null) {
      return;
    }
    boolean unrestricted =
        credentials.find(caller.applicationCredentialId())
            .map(ApplicationCredential::unrestricted)
            .orElse(false);
    if (!unrestricted) {
      throw KeystoneErrors.forbiddenAction(
          "Using method 'application_credential' is not allowed for managing additional"
              + " application credentials");
    }
  }

  /** The roles asked for (by id or name), each one the token holds; none asked: all of them. */
  private List<Role> roles(Caller caller, JsonNode asked) {
    Map<String, Role> held = new LinkedHashMap<>();
    for (String name : caller.roles()) {
      repository.roleByName(name).ifPresent(r -> held.put(r.id(), r));
    }
    if (asked == null || asked.isNull() || asked.isEmpty()) {
      return List.copyOf(held.values());
    }
    if (!asked.isArray()) {
      throw KeystoneErrors.schema("'roles' must be an array");
    }
    // Keystone checks named roles against the user's assignments now, not the token's roles: a
    // role granted after the token was issued counts.
    if (caller.projectId() != null) {
      identity.effectiveRoles(caller.userId(), caller.projectId()).forEach(r -> held.putIfAbsent(r.id(), r));
    }
    List<Role> out = new ArrayList<>();
    for (JsonNode ref : asked) {
      String id = AuthRequest.text(ref, "id");
      String name = AuthRequest.text(ref, "name");
      Optional<Role> role =
          id != null
              ? Optional.ofNullable(held.get(id))
              : held.values().stream().filter(r -> r.name().equals(name)).findFirst();
      if (role.isEmpty()) {
        throw invalid("Cannot create an application credential with unassigned role");
      }
      if (!out.contains(role.get())) {
        out.add(role.get());
      }
    }
    return out;
  }

  private Instant expiry(String text) {
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        at = java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        throw ApiException.badRequest(
            "Timestamp not in expected format. The server could not comply with the request"
                + " since it is either malformed or otherwise incorrect. The client is assumed to"
                + " be in error.");
      }
    }
    // Kept to the microsecond, as Keystone's DateTimeInt column, and echoed so.
    at = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    if (!at.isAfter(clock.instant())) {
      throw ApiException.badRequest(
          "The 'expires_at' must not be before now. " + KeystoneErrors.NOT_COMPLY);
    }
    return at;
  }

  private static ApiException invalid(String detail) {
    return ApiException.badRequest("Invalid application credential: " + detail);
  }
}
