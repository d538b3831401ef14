package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OAuth1 consumers (OS-OAUTH1) as Keystone Zed's {@code api/os_oauth1.py} and {@code oauth1/}:
 * admins create them (the secret is shown once), list, show, update the description and delete
 * them; deleting one deletes its request and access tokens and revokes the tokens issued through
 * them ({@link OAuthTokenService} does the rest of OS-OAUTH1). Thread-safe.
 */
public final class ConsumerService {
  /** A consumer as shown; {@code secret} only right after creation, else null. */
  public record Shown(ConsumerRepository.Consumer consumer, String secret) {}

  private static final List<String> COLUMNS = List.of("id", "description", "secret", "links");

  private final ConsumerRepository store;
  private final CredentialService sealer;
  private final Authorization authorization;
  private final OAuthTokenService oauth;

  ConsumerService(
      ConsumerRepository store, CredentialService sealer, Authorization authorization,
      OAuthTokenService oauth) {
    this.store = store;
    this.sealer = sealer;
    this.authorization = authorization;
    this.oauth = oauth;
  }

  private void require(Caller caller, String action) {
    authorization.enforce(
        caller, "identity:" + action, Map.of(), KeystoneErrors::forbiddenAction);
  }

  public Shown create(Caller caller, JsonNode body) {
    require(caller, "create_consumer");
    ObjectNode ref = member(body);
    String secret = UUID.randomUUID().toString().replace("-", "");
    CredentialService.Sealed sealed = sealer.seal(secret);
    ConsumerRepository.Consumer consumer =
        new ConsumerRepository.Consumer(
            UUID.randomUUID().toString().replace("-", ""),
            text(ref.get("description")),
            sealed.token(),
            sealed.keyHash(),
            extra(Json.MAPPER.createObjectNode(), ref));
    store.create(consumer);
    return new Shown(consumer, secret);
  }

  public List<ConsumerRepository.Consumer> list(Caller caller) {
    require(caller, "list_consumers");
    return store.list();
  }

  public ConsumerRepository.Consumer get(Caller caller, String id) {
    require(caller, "get_consumer");
    return store.find(id).orElseThrow(ConsumerService::notFound);
  }

  public ConsumerRepository.Consumer update(Caller caller, String id, JsonNode body) {
    require(caller, "update_consumer");
    ObjectNode ref = member(body);
    if (ref.has("secret")) {
      throw KeystoneErrors.schema(
          Json.pythonRepr(ref) + " should not be valid under {'required': ['secret']}");
    }
    if (ref.isEmpty()) {
      throw KeystoneErrors.schema("{} does not have enough properties");
    }
    JsonNode given = ref.get("id");
    if (given != null && !given.isNull() && !given.asText().equals(id)) {
      throw ApiException.badRequest("Cannot change ID");
    }
    ConsumerRepository.Consumer old = store.find(id).orElseThrow(ConsumerService::notFound);
    ConsumerRepository.Consumer updated =
        new ConsumerRepository.Consumer(
            id,
            ref.has("description") ? text(ref.get("description")) : old.description(),
            old.secretEncrypted(),
            old.keyHash(),
            extra((ObjectNode) CredentialService.parse(old.extra()), ref));
    store.update(updated);
    return updated;
  }

  public void delete(Caller caller, String id) {
    require(caller, "delete_consumer");
    store.inTransaction(() -> {
      oauth.revokeConsumer(id);
      if (!store.delete(id)) {
        throw notFound();
      }
      return null;
    });
  }

  private static ObjectNode member(JsonNode body) {
    JsonNode member = body.has("consumer") ? body.get("consumer") : Json.MAPPER.createObjectNode();
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    ObjectNode ref = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      ref.set(e.getKey().replace(':', '_').replace('-', '_'), e.getValue());
    }
    JsonNode description = ref.get("description");
    if (description != null && !description.isNull() && !description.isTextual()) {
      throw KeystoneErrors.schema(
          "Invalid input for field 'description': " + AuthRequest.repr(description)
              + " is not of type 'string', 'null'");
    }
    return ref;
  }

  private static String extra(ObjectNode old, ObjectNode ref) {
    ObjectNode changes = ref.deepCopy();
    changes.remove(COLUMNS);
    old.setAll(changes);
    return old.toString();
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static ApiException notFound() {
    return ApiException.notFound("Consumer not found");
  }
}
