package dev.glint.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.macasaet.fernet.Key;
import com.macasaet.fernet.StringValidator;
import com.macasaet.fernet.Token;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Credentials ({@code /v3/credentials}) and EC2 credentials ({@code /v3/users/{id}/credentials/
 * OS-EC2}), as Keystone Zed's {@code api/credentials.py}, {@code api/users.py} and {@code
 * credential/core.py}. Blobs are encrypted at rest with the credential key repository (Keystone's
 * {@code [credential] key_repository}), separate from the token keys. Thread-safe.
 */
public final class CredentialService {
  /** A credential as the API shows it, blob in the clear. */
  public record Credential(
      String id, String userId, String projectId, String type, String blob, String extra) {}

  /** An EC2 credential as {@code OS-EC2} shows it. */
  public record Ec2(String userId, String tenantId, String access, String secret, String trustId) {}

  private static final String EC2 = "ec2";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CredentialRepository store;
  private final IdentityRepository identity;
  private final Authorization authorization;
  private final FernetKeys keys;
  private final StringValidator validator;

  CredentialService(
      CredentialRepository store,
      IdentityRepository identity,
      Authorization authorization,
      FernetKeys keys,
      Clock clock) {
    this.store = store;
    this.identity = identity;
    this.authorization = authorization;
    this.keys = keys;
    // A credential never expires: only its key's removal from the repository ends it.
    this.validator =
        new StringValidator() {
          @Override
          public TemporalAmount getTimeToLive() {
            return Duration.ofDays(365L * 100);
          }

          @Override
          public Clock getClock() {
            return clock;
          }
        };
  }

  private void require(Caller caller, String action, String ownerUserId) {
    Map<String, String> target = new LinkedHashMap<>();
    if (ownerUserId != null) {
      target.put("target.credential.user_id", ownerUserId);
      target.put("target.user.id", ownerUserId);
    }
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  private static boolean allowed(Authorization authorization, Caller caller, String owner) {
    try {
      authorization.enforce(
          caller, "identity:get_credential", Map.of("target.credential.user_id", owner),
          KeystoneErrors::forbiddenAction);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * Keystone's {@code _require_primary_auth} (and {@code _require_primary_auth_for_ec2}, LP#2159643):
   * a delegated token, whether trust-scoped, from an OAuth1 access token or from an application
   * credential, touches no credential at all. (Keystone's deprecated {@code
   * allow_insecure_admin_trust_cross_project_credentials_access} escape is not offered.)
   */
  private static void primaryAuth(Caller caller) {
    if (Delegation.delegated(caller)) {
      throw KeystoneErrors.forbiddenAction(
          "Delegated tokens cannot access credentials directly");
    }
  }

  // ---------------------------------------------------------------- /v3/credentials

  public Credential create(Caller caller, JsonNode body) {
    JsonNode member = body.has("credential") ? body.get("credential") : Json.MAPPER.createObjectNode();
    String owner = member.isObject() && member.path("user_id").isTextual()
        ? member.get("user_id").textValue() : null;
    require(caller, "create_credential", owner);
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    ObjectNode ref = normalized(member);
    for (String field : List.of("blob", "project_id", "type", "user_id")) {
      JsonNode v = ref.get(field);
      if (v != null && !v.isTextual()) {
        throw KeystoneErrors.schema(
            "Invalid input for field '" + field + "': " + AuthRequest.repr(v)
                + " is not of type 'string'");
      }
    }
    String type = ref.path("type").asText(null);
    boolean ec2 = EC2.equals(type);
    List<String> required =
        ec2 ? List.of("blob", "type", "user_id", "project_id") : List.of("blob", "type", "user_id");
    if (!required.stream().allMatch(ref::has)) {
      throw KeystoneErrors.schema(
          Json.pythonRepr(member) + " is not valid under any of the given schemas");
    }
    primaryAuth(caller);
    String id;
    if (type.equalsIgnoreCase(EC2)) {
      id = sha256(ec2Blob(ref.get("blob").textValue()).get("access").asText());
    } else {
      id = UUID.randomUUID().toString().replace("-", "");
    }
    Credential credential =
        new Credential(
            id,
            ref.get("user_id").textValue(),
            ref.path("project_id").asText(null),
            type,
            ref.get("blob").textValue(),
            extra(ref));
    if (!store.create(encrypt(credential))) {
      throw ApiException.conflict(
          "Conflict occurred attempting to store credential - Duplicate entry found with ID "
              + id + ".");
    }
    return credential;
  }

  /** {@code GET /v3/credentials}: those the caller may see, filtered by user_id and type. */
  public List<Credential> list(Caller caller, Map<String, String> filters) {
    require(caller, "list_credentials", caller.userId());
    List<Credential> out = new ArrayList<>();
    for (CredentialRepository.Stored s : store.list(filters.get("user_id"), filters.get("type"))) {
      // As Keystone: a credential the caller may not see, or any for a delegated token, is
      // left out silently.
      if (allowed(authorization, caller, s.userId()) && !Delegation.delegated(caller)) {
        out.add(decrypt(s));
      }
    }
    return out;
  }

  public Credential get(Caller caller, String id) {
    CredentialRepository.Stored stored = store.find(id).orElse(null);
    require(caller, "get_credential", stored == null ? null : stored.userId());
    if (stored == null) {
      throw notFound(id);
    }
    primaryAuth(caller);
    return decrypt(stored);
  }

  /**
   * {@code PATCH /v3/credentials/{id}}: blob, project_id, type and user_id as upstream Zed allows,
   * with the policy checked again on the result, so that an owner cannot hand a credential to
   * someone else; an EC2 blob keeps its access key and scope.
   */
  public Credential update(Caller caller, String id, JsonNode body) {
    CredentialRepository.Stored stored = store.find(id).orElse(null);
    require(caller, "update_credential", stored == null ? null : stored.userId());
    JsonNode member = body.has("credential") ? body.get("credential") : Json.MAPPER.createObjectNode();
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    ObjectNode ref = normalized(member);
    for (String field : List.of("blob", "project_id", "type", "user_id")) {
      JsonNode v = ref.get(field);
      if (v != null && !v.isTextual()) {
        throw KeystoneErrors.schema(
            "Invalid input for field '" + field + "': " + AuthRequest.repr(v)
                + " is not of type 'string'");
      }
    }
    if (ref.isEmpty()) {
      throw KeystoneErrors.schema("{} does not have enough properties");
    }
    if (stored == null) {
      throw notFound(id);
    }
    primaryAuth(caller);
    Credential current = decrypt(stored);
    String type = ref.has("type") ? ref.get("type").textValue() : current.type();
    String blob = ref.has("blob") ? ref.get("blob").textValue() : current.blob();
    if (current.type().equalsIgnoreCase(EC2)) {
      JsonNode newBlob = ec2Blob(blob);
      JsonNode oldBlob = ec2Blob(current.blob());
      for (String key : List.of("trust_id", "app_cred_id", "access_token_id", "access_id")) {
        if (!oldBlob.path(key).equals(newBlob.path(key))) {
          throw ApiException.badRequest(key + " can not be updated for credential");
        }
      }
    }
    JsonNode given = ref.get("id");
    if (given != null && !given.isNull() && !given.asText().equals(id)) {
      throw ApiException.badRequest("Cannot change ID");
    }
    if (type.equalsIgnoreCase(EC2) && !ref.has("project_id") && current.projectId() == null) {
      throw KeystoneErrors.expecting("project_id", "credential");
    }
    Credential updated =
        new Credential(
            id,
            ref.has("user_id") ? ref.get("user_id").textValue() : current.userId(),
            ref.has("project_id") ? ref.get("project_id").textValue() : current.projectId(),
            type,
            blob,
            mergeExtra(current.extra(), ref));
    require(caller, "update_credential", updated.userId());
    store.update(encrypt(updated));
    return updated;
  }

  public void delete(Caller caller, String id) {
    CredentialRepository.Stored stored = store.find(id).orElse(null);
    require(caller, "delete_credential", stored == null ? null : stored.userId());
    if (stored == null) {
      throw notFound(id);
    }
    primaryAuth(caller);
    store.delete(id);
  }

  // ---------------------------------------------------------------- OS-EC2

  public Ec2 createEc2(Caller caller, String userId, JsonNode body) {
    require(caller, "ec2_create_credential", userId);
    user(userId);
    JsonNode tenant = body.get("tenant_id");
    String tenantId = tenant == null || tenant.isNull() ? null : tenant.asText();
    identity.project(tenantId == null ? "" : tenantId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "Could not find project: " + (tenantId == null ? "None" : tenantId) + "."));
    primaryAuth(caller);
    String access = UUID.randomUUID().toString().replace("-", "");
    String secret = UUID.randomUUID().toString().replace("-", "");
    Map<String, Object> blob = new LinkedHashMap<>();
    blob.put("access", access);
    blob.put("secret", secret);
    blob.put("trust_id", null);
    Credential credential =
        new Credential(sha256(access), userId, tenantId, EC2, json(blob), "{}");
    store.create(encrypt(credential));
    return ec2(credential);
  }

  public List<Ec2> listEc2(Caller caller, String userId) {
    require(caller, "ec2_list_credentials", userId);
    primaryAuth(caller);
    user(userId);
    List<Ec2> out = new ArrayList<>();
    for (CredentialRepository.Stored s : store.list(userId, EC2)) {
      out.add(ec2(decrypt(s)));
    }
    return out;
  }

  public Ec2 getEc2(Caller caller, String userId, String access) {
    Credential c = rawEc2(caller, "ec2_get_credential", userId, access);
    return ec2(c);
  }

  public void deleteEc2(Caller caller, String userId, String access) {
    Credential c = rawEc2(caller, "ec2_delete_credential", userId, access);
    store.delete(c.id());
  }

  private Credential rawEc2(Caller caller, String action, String userId, String access) {
    // Keystone's target is the credential's owner, and the path's user must match it.
    CredentialRepository.Stored stored = store.find(sha256(access)).orElse(null);
    String owner = stored == null ? userId : stored.userId();
    require(caller, action, owner);
    if (stored != null && !stored.userId().equals(userId)) {
      throw KeystoneErrors.forbiddenAction("identity:" + action);
    }
    user(userId);
    if (stored == null) {
      throw notFound(sha256(access));
    }
    if (!EC2.equals(stored.type())) {
      throw KeystoneErrors.unauthorized("EC2 access key not found.");
    }
    primaryAuth(caller);
    return decrypt(stored);
  }

  private static Ec2 ec2(Credential c) {
    JsonNode blob = parse(c.blob());
    return new Ec2(
        c.userId(),
        c.projectId(),
        text(blob.get("access")),
        text(blob.get("secret")),
        text(blob.get("trust_id")));
  }

  private void user(String userId) {
    identity.user(userId)
        .orElseThrow(() -> ApiException.notFound("Could not find user: " + userId + "."));
  }

  // ---------------------------------------------------------------- encryption

  /** A secret encrypted with the credential keys, and the hash of the key used. */
  record Sealed(String token, String keyHash) {}

  /** Encrypts another secret (an OAuth1 consumer's) with the credential keys. */
  Sealed seal(String secret) {
    Key primary = keys.primary();
    return new Sealed(Token.generate(RANDOM, primary, secret).serialise(), keyHash(primary));
  }

  String unseal(String token) {
    return Token.fromString(token).validateAndDecrypt(keys.all(), validator);
  }

  private CredentialRepository.Stored encrypt(Credential c) {
    Key primary = keys.primary();
    String token = Token.generate(RANDOM, primary, c.blob()).serialise();
    return new CredentialRepository.Stored(
        c.id(), c.userId(), c.projectId(), c.type(), token, keyHash(primary), c.extra());
  }

  private Credential decrypt(CredentialRepository.Stored s) {
    String blob = Token.fromString(s.encryptedBlob()).validateAndDecrypt(keys.all(), validator);
    return new Credential(s.id(), s.userId(), s.projectId(), s.type(), blob, s.extra());
  }

  private static String keyHash(Key key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1")
                  .digest(key.serialise().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Keystone's {@code _validate_blob_json} for EC2 blobs. */
  private static JsonNode ec2Blob(String blob) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(blob);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Invalid blob in credential");
    }
    if (node == null || !node.isObject() || node.isEmpty()) {
      throw KeystoneErrors.expecting("blob", "credential");
    }
    if (node.get("access") == null || node.get("access").isNull()) {
      throw KeystoneErrors.expecting("access", "credential");
    }
    return node;
  }

  private static ObjectNode normalized(JsonNode member) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      out.set(e.getKey().replace(':', '_').replace('-', '_'), e.getValue());
    }
    return out;
  }

  private static final List<String> COLUMNS =
      List.of("id", "user_id", "project_id", "type", "blob", "links");

  private static String extra(ObjectNode ref) {
    ObjectNode extra = ref.deepCopy();
    extra.remove(COLUMNS);
    return json(extra);
  }

  private static String mergeExtra(String old, ObjectNode ref) {
    ObjectNode merged = (ObjectNode) parse(old);
    ObjectNode changes = ref.deepCopy();
    changes.remove(COLUMNS);
    merged.setAll(changes);
    return json(merged);
  }

  static JsonNode parse(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("Could not find credential: " + id + ".");
  }
}
