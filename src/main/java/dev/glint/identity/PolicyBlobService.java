package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keystone's deprecated policy API ({@code api/policy.py}, {@code policy/core.py}): admins store,
 * list, show, update and delete opaque blobs with a type. Glint's own rules are {@code
 * policy.file}, never these. Thread-safe.
 */
public final class PolicyBlobService {
  private static final List<String> COLUMNS = List.of("id", "type", "blob", "links");

  private final PolicyBlobRepository store;
  private final Authorization authorization;

  PolicyBlobService(PolicyBlobRepository store, Authorization authorization) {
    this.store = store;
    this.authorization = authorization;
  }

  private void require(Caller caller, String action) {
    authorization.enforce(
        caller, "identity:" + action, Map.of(), KeystoneErrors::forbiddenAction);
  }

  public List<PolicyBlobRepository.PolicyBlob> list(Caller caller, Map<String, String> filters) {
    require(caller, "list_policies");
    String type = filters.get("type");
    return store.list().stream().filter(p -> type == null || type.equals(p.type())).toList();
  }

  public PolicyBlobRepository.PolicyBlob get(Caller caller, String id) {
    require(caller, "get_policy");
    return store.find(id).orElseThrow(() -> notFound(id));
  }

  public PolicyBlobRepository.PolicyBlob create(Caller caller, JsonNode body) {
    require(caller, "create_policy");
    ObjectNode ref = member(body);
    for (String field : List.of("blob", "type")) {
      if (!ref.has(field)) {
        throw KeystoneErrors.schema("'" + field + "' is a required property");
      }
    }
    PolicyBlobRepository.PolicyBlob policy =
        new PolicyBlobRepository.PolicyBlob(
            UUID.randomUUID().toString().replace("-", ""),
            ref.get("type").textValue(),
            ref.get("blob").textValue(),
            extra(Json.MAPPER.createObjectNode(), ref));
    store.create(policy);
    return policy;
  }

  public PolicyBlobRepository.PolicyBlob update(Caller caller, String id, JsonNode body) {
    require(caller, "update_policy");
    ObjectNode ref = member(body);
    if (ref.isEmpty()) {
      throw KeystoneErrors.schema("{} does not have enough properties");
    }
    if (ref.has("id") && !id.equals(ref.get("id").asText())) {
      throw ApiException.badRequest("Cannot change policy ID");
    }
    PolicyBlobRepository.PolicyBlob old = store.find(id).orElseThrow(() -> notFound(id));
    PolicyBlobRepository.PolicyBlob updated =
        new PolicyBlobRepository.PolicyBlob(
            id,
            ref.has("type") ? ref.get("type").textValue() : old.type(),
            ref.has("blob") ? ref.get("blob").textValue() : old.blob(),
            extra((ObjectNode) CredentialService.parse(old.extra()), ref));
    store.update(updated);
    return updated;
  }

  public void delete(Caller caller, String id) {
    require(caller, "delete_policy");
    if (!store.delete(id)) {
      throw notFound(id);
    }
  }

  /** The {@code policy} member ({@code .get('policy', {})}), with Keystone's field checks. */
  private static ObjectNode member(JsonNode body) {
    JsonNode member = body.has("policy") ? body.get("policy") : Json.MAPPER.createObjectNode();
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    ObjectNode ref = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      ref.set(e.getKey().replace(':', '_').replace('-', '_'), e.getValue());
    }
    for (String field : List.of("blob", "type")) {
      JsonNode v = ref.get(field);
      if (v != null && !v.isTextual()) {
        throw KeystoneErrors.schema(
            "Invalid input for field '" + field + "': " + AuthRequest.repr(v)
                + " is not of type 'string'");
      }
    }
    JsonNode type = ref.get("type");
    if (type != null && type.textValue().length() > 255) {
      throw KeystoneErrors.schema(
          "Invalid input for field 'type': " + AuthRequest.repr(type) + " is too long");
    }
    return ref;
  }

  private static String extra(ObjectNode old, ObjectNode ref) {
    ObjectNode changes = ref.deepCopy();
    changes.remove(COLUMNS);
    old.setAll(changes);
    return old.toString();
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("Could not find policy: " + id + ".");
  }
}
