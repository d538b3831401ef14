package dev.glint.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of OAuth1 consumers and their request and access tokens, implemented by {@code store};
 * secrets arrive encrypted, verifiers hashed.
 */
public interface ConsumerRepository {
  /** One consumer; {@code extra} is a JSON object of the fields beyond Keystone's columns. */
  record Consumer(
      String id, String description, String secretEncrypted, String keyHash, String extra) {}

  /**
   * A request token; until authorized, {@code authorizingUserId}, {@code roleIds} and {@code
   * verifierHash} are null. {@code expiresAt} null: never expires.
   */
  record RequestToken(
      String id, String consumerId, String projectId, String secretEncrypted, String keyHash,
      String authorizingUserId, List<String> roleIds, String verifierHash, Instant expiresAt) {}

  /** An access token: the user who authorized it, the project and roles it delegates. */
  record AccessToken(
      String id, String consumerId, String authorizingUserId, String projectId,
      List<String> roleIds, String secretEncrypted, String keyHash, Instant expiresAt) {}

  /** Runs {@code work} as one unit of work; the calls inside join it. */
  <R> R inTransaction(java.util.function.Supplier<R> work);

  void create(Consumer consumer);

  Optional<Consumer> find(String id);

  /** All consumers, oldest first. */
  List<Consumer> list();

  void update(Consumer consumer);

  /** Deletes the consumer and its request and access tokens; false when it did not exist. */
  boolean delete(String id);

  void createRequestToken(RequestToken token);

  Optional<RequestToken> findRequestToken(String id);

  /** Records the authorization; false when the token is gone or was already authorized. */
  boolean authorizeRequestToken(
      String id, String userId, List<String> roleIds, String verifierHash);

  /** False when it did not exist (it was exchanged already, say). */
  boolean deleteRequestToken(String id);

  void createAccessToken(AccessToken token);

  Optional<AccessToken> findAccessToken(String id);

  /** The access tokens a user authorized, oldest first. */
  List<AccessToken> accessTokensOfUser(String userId);

  /** The access tokens issued to a consumer. */
  List<AccessToken> accessTokensOfConsumer(String consumerId);

  /** False when it did not exist. */
  boolean deleteAccessToken(String id);
}
