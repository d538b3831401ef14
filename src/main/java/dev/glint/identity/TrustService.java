package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Trusts (OS-TRUST) as Keystone Zed's {@code api/trusts.py} and {@code trust/core.py}: a trustor
 * delegates some of its roles on a project to a trustee, optionally with impersonation, an
 * expiry, a use count or a redelegation depth. Thread-safe.
 */
public final class TrustService {
  /** Keystone's {@code [trust] max_redelegation_count} default. */
  static final int MAX_REDELEGATION_COUNT = 3;

  private static final Pattern ID_STRING = Pattern.compile("^[a-zA-Z0-9-]+$");
  private static final List<String> COLUMNS =
      List.of(
          "id", "trustor_user_id", "trustee_user_id", "project_id", "impersonation",
          "expires_at", "remaining_uses", "redelegated_trust_id", "redelegation_count",
          "allow_redelegation", "roles", "deleted_at", "links", "roles_links");

  private final TrustRepository store;
  private final IdentityRepository identity;
  private final IdentityService service;
  private final Authorization authorization;
  private final Clock clock;
  private final RevocationList revocations;
  private final java.time.Duration tokenLifetime;

  TrustService(
      TrustRepository store,
      IdentityRepository identity,
      IdentityService service,
      Authorization authorization,
      Clock clock,
      RevocationList revocations,
      java.time.Duration tokenLifetime) {
    this.store = store;
    this.identity = identity;
    this.service = service;
    this.authorization = authorization;
    this.clock = clock;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
  }

  private void require(Caller caller, String action, TrustRepository.Trust trust) {
    Map<String, String> target = new LinkedHashMap<>();
    if (trust != null) {
      target.put("target.trust.trustor_user_id", trust.trustorUserId());
      target.put("target.trust.trustee_user_id", trust.trusteeUserId());
    }
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  private void require(Caller caller, String action, String key, String value) {
    Map<String, String> target = new LinkedHashMap<>();
    if (value != null) {
      target.put("target.trust." + key, value);
    }
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  /**
   * Keystone's {@code _check_delegated_token}: a token from an application credential or an OAuth1
   * access token manages no trust (a trust-scoped token may, but creates only by redelegating its
   * own trust: see {@link #create}).
   */
  private static void notDelegated(Caller caller) {
    if (caller.applicationCredentialId() != null || caller.oauthAccessTokenId() != null) {
      throw KeystoneErrors.forbiddenAction("Delegated tokens cannot manage trusts");
    }
  }

  /** A live trust: not deleted, not expired, with uses left ({@code TrustNotFound} otherwise). */
  TrustRepository.Trust live(String id) {
    return store.find(id)
        .filter(t -> t.expiresAt() == null || !clock.instant().isAfter(t.expiresAt()))
        .filter(t -> t.remainingUses() == null || t.remainingUses() > 0)
        .orElseThrow(() -> ApiException.notFound("Could not find trust: " + id + "."));
  }

  public TrustRepository.Trust create(Caller caller, JsonNode body) {
    JsonNode member = body.has("trust") ? body.get("trust") : Json.MAPPER.createObjectNode();
    require(
        caller, "create_trust", "trustor_user_id",
        member.isObject() && member.path("trustor_user_id").isTextual()
            ? member.get("trustor_user_id").textValue() : null);
    ObjectNode ref = validate(member);
    notDelegated(caller);
    // A trust-scoped token may only redelegate its own trust (Keystone's _find_redelegated_trust).
    TrustRepository.Trust parent = caller.trust() == null ? null : live(caller.trust().id());
    String projectId = text(ref.get("project_id"));
    JsonNode roles = ref.get("roles");
    if (projectId != null && !projectId.isEmpty() && (roles == null || roles.isEmpty())) {
      throw KeystoneErrors.forbiddenAction("At least one role should be specified");
    }
    String trustor = ref.get("trustor_user_id").textValue();
    if (!trustor.equals(caller.userId())) {
      throw KeystoneErrors.forbiddenAction("The authenticated user should match the trustor");
    }
    String trustee = ref.get("trustee_user_id").textValue();
    identity.user(trustee)
        .orElseThrow(() -> ApiException.notFound("Could not find user: " + trustee + "."));
    List<String> roleIds = new ArrayList<>();
    if (roles != null) {
      for (JsonNode r : roles) {
        if (r.has("id")) {
          roleIds.add(r.get("id").textValue());
        } else {
          String name = r.get("name").textValue();
          roleIds.add(
              identity.roleByName(name)
                  .orElseThrow(() -> ApiException.notFound("Could not find role: " + name + "."))
                  .id());
        }
      }
    }
    if (projectId != null && !projectId.isEmpty()) {
      identity.project(projectId)
          .orElseThrow(() -> ApiException.notFound("Could not find project: " + projectId + "."));
      Set<String> held = new java.util.HashSet<>();
      // Redelegated, the roles are the original trustor's (the first of the chain).
      String holder = parent == null ? trustor : pedigree(parent).getLast().trustorUserId();
      service.effectiveRoles(holder, projectId).forEach(r -> held.add(r.id()));
      for (String roleId : roleIds) {
        if (!held.contains(roleId)) {
          throw ApiException.notFound("Could not find role: " + roleId + ".");
        }
      }
    } else if (!roleIds.isEmpty()) {
      throw ApiException.notFound("Could not find role: " + roleIds.get(0) + ".");
    }
    Instant expiresAt = expiry(ref.get("expires_at"));
    Integer requested = ref.hasNonNull("redelegation_count")
        ? ref.get("redelegation_count").intValue() : null;
    boolean redelegatable =
        ref.path("allow_redelegation").asBoolean(false) && !Integer.valueOf(0).equals(requested);
    Integer remainingUses = ref.hasNonNull("remaining_uses")
        ? ref.get("remaining_uses").intValue() : null;
    int count;
    if (!redelegatable) {
      count = 0;
    } else {
      if (requested != null && requested > MAX_REDELEGATION_COUNT) {
        throw ApiException.forbidden(
            "Requested redelegation depth of " + requested + " is greater than allowed "
                + MAX_REDELEGATION_COUNT);
      }
      if (remainingUses != null) {
        throw ApiException.badRequest(
            "remaining_uses must not be set if redelegation is allowed");
      }
      count = requested == null ? MAX_REDELEGATION_COUNT : requested;
    }
    boolean impersonation = ref.get("impersonation").booleanValue();
    String redelegatedFrom = null;
    if (parent != null) {
      // Keystone's create_trust and _validate_redelegation, against every trust of the chain.
      redelegatedFrom = parent.id();
      int remaining = (parent.redelegationCount() == null ? 0 : parent.redelegationCount()) - 1;
      if (redelegatable && requested != null && requested != 0 && requested != remaining) {
        throw KeystoneErrors.forbidden();
      }
      if (redelegatable) {
        count = remaining;
      }
      for (TrustRepository.Trust t : pedigree(parent)) {
        int depth = t.redelegationCount() == null ? 0 : t.redelegationCount();
        if (depth <= 0 || depth > MAX_REDELEGATION_COUNT || remainingUses != null) {
          throw KeystoneErrors.forbidden();
        }
        if (expiresAt == null) {
          expiresAt = t.expiresAt();
        } else if (t.expiresAt() != null && t.expiresAt().isBefore(expiresAt)) {
          throw KeystoneErrors.forbidden();
        }
        if (!t.roleIds().containsAll(roleIds) || (!t.impersonation() && impersonation)) {
          throw KeystoneErrors.forbidden();
        }
      }
      if (projectId == null || !projectId.equals(parent.projectId())) {
        throw KeystoneErrors.forbidden();
      }
    }
    ObjectNode extra = ref.deepCopy();
    extra.remove(COLUMNS);
    TrustRepository.Trust trust =
        new TrustRepository.Trust(
            UUID.randomUUID().toString().replace("-", ""),
            trustor,
            trustee,
            projectId == null || projectId.isEmpty() ? null : projectId,
            impersonation,
            expiresAt,
            remainingUses,
            redelegatedFrom,
            count,
            roleIds,
            extra.toString());
    store.create(trust);
    return trust;
  }

  /** {@code GET /v3/OS-TRUST/trusts}, all (admin) or by trustor or trustee. */
  public List<TrustRepository.Trust> list(Caller caller, Map<String, String> query) {
    String trustor = query.get("trustor_user_id");
    String trustee = query.get("trustee_user_id");
    if (trustor != null && !trustor.isEmpty()) {
      require(caller, "list_trusts_for_trustor", "trustor_user_id", trustor);
    } else if (trustee != null && !trustee.isEmpty()) {
      require(caller, "list_trusts_for_trustee", "trustee_user_id", trustee);
    } else {
      require(caller, "list_trusts", null);
    }
    notDelegated(caller);
    if (trustor != null && !trustor.isEmpty()) {
      return store.list(trustor, null);
    }
    if (trustee != null && !trustee.isEmpty()) {
      return store.list(null, trustee);
    }
    return query.isEmpty() ? store.list(null, null) : List.of();
  }

  public TrustRepository.Trust get(Caller caller, String id) {
    TrustRepository.Trust trust = live(id);
    require(caller, "get_trust", trust);
    notDelegated(caller);
    return trust;
  }

  public void delete(Caller caller, String id) {
    TrustRepository.Trust trust = store.find(id)
        .orElseThrow(() -> ApiException.notFound("Could not find trust: " + id + "."));
    require(caller, "delete_trust", trust);
    notDelegated(caller);
    // One unit of work: the trust, those redelegated from it (as Keystone deletes them), and the
    // revocation of every token scoped to any of them, which the image and compute APIs honour.
    identity.inTransaction(
        () -> {
          List<String> gone = new ArrayList<>(List.of(id));
          for (int i = 0; i < gone.size(); i++) {
            String from = gone.get(i);
            for (TrustRepository.Trust t : store.list(null, null)) {
              if (from.equals(t.redelegatedTrustId()) && !gone.contains(t.id())) {
                gone.add(t.id());
              }
            }
          }
          for (String t : gone) {
            store.delete(t);
            revocations.revokeTrust(t, tokenLifetime);
          }
          return null;
        });
  }

  /** The trust and those it was redelegated from, up to the first of the chain. */
  List<TrustRepository.Trust> pedigree(TrustRepository.Trust trust) {
    List<TrustRepository.Trust> chain = new ArrayList<>(List.of(trust));
    TrustRepository.Trust t = trust;
    while (t.redelegatedTrustId() != null && chain.size() <= MAX_REDELEGATION_COUNT + 1) {
      t = live(t.redelegatedTrustId());
      chain.add(t);
    }
    return chain;
  }

  /**
   * The roles a token scoped to the trust carries, as Keystone's token model computes them: the
   * trust's roles and those they imply, each still held by the (original) trustor on the project,
   * else 403; domain-specific roles are left out.
   */
  List<Role> tokenRoles(TrustRepository.Trust trust) {
    if (trust.projectId() == null) {
      return List.of();
    }
    String trustor = pedigree(trust).getLast().trustorUserId();
    Map<String, Role> current = new LinkedHashMap<>();
    service.effectiveRoles(trustor, trust.projectId()).forEach(r -> current.put(r.id(), r));
    List<Role> out = new ArrayList<>();
    for (Role r : service.withImplied(roles(trust))) {
      Role held = current.get(r.id());
      if (held == null) {
        throw KeystoneErrors.forbidden();
      }
      if (held.domainId() == null) {
        out.add(held);
      }
    }
    return out;
  }

  /** A trust not deleted, expired or not (for validating the tokens scoped to it). */
  Optional<TrustRepository.Trust> find(String id) {
    return store.find(id);
  }

  /** Spends one of the trust's uses for a token; false when none is left (or it is gone). */
  boolean consumeUse(String id) {
    return store.consumeUse(id);
  }

  /** The trust's roles that still exist, as Keystone's {@code _normalize_trust_roles}. */
  public List<Role> roles(TrustRepository.Trust trust) {
    List<Role> out = new ArrayList<>();
    for (String id : trust.roleIds()) {
      identity.role(id).ifPresent(out::add);
    }
    return out;
  }

  public List<Role> roles(Caller caller, String id) {
    TrustRepository.Trust trust = live(id);
    require(caller, "list_roles_for_trust", trust);
    notDelegated(caller);
    return roles(trust);
  }

  public Role role(Caller caller, String id, String roleId) {
    TrustRepository.Trust trust = live(id);
    require(caller, "get_role_for_trust", trust);
    notDelegated(caller);
    Optional<Role> role =
        trust.roleIds().contains(roleId) ? identity.role(roleId) : Optional.empty();
    return role.orElseThrow(() -> ApiException.notFound("Could not find role: " + roleId + "."));
  }

  // ---------------------------------------------------------------- request checks

  /** Keystone's {@code trust_create} schema. */
  private static ObjectNode validate(JsonNode member) {
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    ObjectNode ref = (ObjectNode) member;
    for (String field : List.of("trustor_user_id", "trustee_user_id")) {
      JsonNode v = ref.get(field);
      if (v != null && (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 64)) {
        throw invalid(field, AuthRequest.repr(v) + (v.isTextual()
            ? (v.textValue().isEmpty() ? " is too short" : " is too long")
            : " is not of type 'string'"));
      }
    }
    JsonNode impersonation = ref.get("impersonation");
    if (impersonation != null && !impersonation.isBoolean()) {
      throw invalid("impersonation", AuthRequest.repr(impersonation) + " is not of type 'boolean'");
    }
    JsonNode project = ref.get("project_id");
    if (project != null && !project.isNull()
        && (!project.isTextual() || !ID_STRING.matcher(project.textValue()).find()
            || project.textValue().length() > 64)) {
      throw invalid("project_id", AuthRequest.repr(project)
          + (project.isTextual() ? " does not match '^[a-zA-Z0-9-]+$'"
              : " is not of type 'string', 'null'"));
    }
    JsonNode uses = ref.get("remaining_uses");
    if (uses != null && !uses.isNull()) {
      if (!uses.isIntegralNumber()) {
        throw invalid("remaining_uses", AuthRequest.repr(uses) + " is not of type 'integer', 'null'");
      }
      if (uses.intValue() < 1) {
        throw invalid("remaining_uses", uses.intValue() + " is less than the minimum of 1");
      }
    }
    JsonNode expires = ref.get("expires_at");
    if (expires != null && !expires.isNull() && !expires.isTextual()) {
      throw invalid("expires_at", AuthRequest.repr(expires) + " is not of type 'null', 'string'");
    }
    JsonNode allow = ref.get("allow_redelegation");
    if (allow != null && !allow.isNull() && !allow.isBoolean()) {
      throw invalid("allow_redelegation",
          AuthRequest.repr(allow) + " is not of type 'boolean', 'null'");
    }
    JsonNode count = ref.get("redelegation_count");
    if (count != null && !count.isNull()) {
      if (!count.isIntegralNumber()) {
        throw invalid("redelegation_count",
            AuthRequest.repr(count) + " is not of type 'integer', 'null'");
      }
      if (count.intValue() < 0) {
        throw invalid("redelegation_count", count.intValue() + " is less than the minimum of 0");
      }
    }
    JsonNode roles = ref.get("roles");
    if (roles != null) {
      if (!roles.isArray()) {
        throw invalid("roles", AuthRequest.repr(roles) + " is not of type 'array'");
      }
      for (JsonNode r : roles) {
        boolean ok = r.isObject() && r.size() == 1
            && ((r.has("id") && r.get("id").isTextual()) || (r.has("name") && r.get("name").isTextual()));
        if (!ok) {
          throw invalid("roles", AuthRequest.repr(r) + " is not valid under the given schema");
        }
      }
    }
    for (String field : List.of("trustor_user_id", "trustee_user_id", "impersonation")) {
      if (!ref.has(field)) {
        throw KeystoneErrors.schema("'" + field + "' is a required property");
      }
    }
    return ref;
  }

  /** Keystone's {@code parse_expiration_date}: ISO 8601, a missing {@code Z} added, not past. */
  private Instant expiry(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.textValue();
    if (!text.endsWith("Z")) {
      text = text + "Z";
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "Timestamp not in expected format. " + KeystoneErrors.NOT_COMPLY);
    }
    if (at.isBefore(clock.instant())) {
      throw ApiException.badRequest(
          "The 'expires_at' must not be before now. " + KeystoneErrors.NOT_COMPLY);
    }
    return at;
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static ApiException invalid(String field, String message) {
    return KeystoneErrors.schema("Invalid input for field '" + field + "': " + message);
  }
}
