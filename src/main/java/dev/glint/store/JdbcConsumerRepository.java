package dev.glint.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.glint.http.Json;
import dev.glint.identity.ConsumerRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ConsumerRepository} over JDBC, the same SQL for SQLite and PostgreSQL. */
public final class JdbcConsumerRepository implements ConsumerRepository {
  private static final String SELECT =
      "SELECT id, description, secret_encrypted, key_hash, extra FROM oauth1_consumers";

  private static final String REQUEST_TOKEN =
      "SELECT id, consumer_id, project_id, secret_encrypted, key_hash, authorizing_user_id,"
          + " role_ids, verifier_hash, expires_at FROM oauth1_request_tokens";
  private static final String ACCESS_TOKEN =
      "SELECT id, consumer_id, authorizing_user_id, project_id, role_ids, secret_encrypted,"
          + " key_hash, expires_at FROM oauth1_access_tokens";

  private final Database db;

  public JdbcConsumerRepository(Database db) {
    this.db = db;
  }

  @Override
  public <R> R inTransaction(java.util.function.Supplier<R> work) {
    return db.write(h -> work.get());
  }

  @Override
  public void create(Consumer c) {
    db.write(
        h ->
            h.createUpdate(
                    "INSERT INTO oauth1_consumers (id, description, secret_encrypted, key_hash,"
                        + " extra, created_at) VALUES (:id, :description, :secret, :hash, :extra,"
                        + " :created)")
                .bind("id", c.id())
                .bind("description", c.description())
                .bind("secret", c.secretEncrypted())
                .bind("hash", c.keyHash())
                .bind("extra", c.extra())
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<Consumer> find(String id) {
    return db.read(
        h -> h.createQuery(SELECT + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> consumer(rs)).findOne());
  }

  @Override
  public List<Consumer> list() {
    return db.read(
        h -> h.createQuery(SELECT + " ORDER BY created_at, id").map((rs, ctx) -> consumer(rs))
            .list());
  }

  @Override
  public void update(Consumer c) {
    db.write(
        h ->
            h.createUpdate(
                    "UPDATE oauth1_consumers SET description = :description, extra = :extra"
                        + " WHERE id = :id")
                .bind("id", c.id())
                .bind("description", c.description())
                .bind("extra", c.extra())
                .execute());
  }

  @Override
  public boolean delete(String id) {
    return db.write(
            h -> {
              for (String table : List.of("oauth1_request_tokens", "oauth1_access_tokens")) {
                h.createUpdate("DELETE FROM " + table + " WHERE consumer_id = :id")
                    .bind("id", id)
                    .execute();
              }
              return h.createUpdate("DELETE FROM oauth1_consumers WHERE id = :id")
                  .bind("id", id)
                  .execute();
            })
        > 0;
  }

  @Override
  public void createRequestToken(RequestToken t) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO oauth1_request_tokens
                        (id, consumer_id, project_id, secret_encrypted, key_hash, expires_at,
                         created_at)
                    VALUES (:id, :consumer, :project, :secret, :hash, :expires, :created)""")
                .bind("id", t.id())
                .bind("consumer", t.consumerId())
                .bind("project", t.projectId())
                .bind("secret", t.secretEncrypted())
                .bind("hash", t.keyHash())
                .bind("expires", millis(t.expiresAt()))
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<RequestToken> findRequestToken(String id) {
    return db.read(
        h -> h.createQuery(REQUEST_TOKEN + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> requestToken(rs)).findOne());
  }

  @Override
  public boolean authorizeRequestToken(
      String id, String userId, List<String> roleIds, String verifierHash) {
    // Only an unauthorized token: a second PUT cannot swap the roles or the verifier.
    return db.write(
            h ->
                h.createUpdate(
                        """
                        UPDATE oauth1_request_tokens
                        SET authorizing_user_id = :user, role_ids = :roles,
                            verifier_hash = :verifier
                        WHERE id = :id AND authorizing_user_id IS NULL""")
                    .bind("id", id)
                    .bind("user", userId)
                    .bind("roles", json(roleIds))
                    .bind("verifier", verifierHash)
                    .execute())
        > 0;
  }

  @Override
  public boolean deleteRequestToken(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM oauth1_request_tokens WHERE id = :id")
                .bind("id", id).execute())
        > 0;
  }

  @Override
  public void createAccessToken(AccessToken t) {
    db.write(
        h ->
            h.createUpdate(
                    """
                    INSERT INTO oauth1_access_tokens
                        (id, consumer_id, authorizing_user_id, project_id, role_ids,
                         secret_encrypted, key_hash, expires_at, created_at)
                    VALUES (:id, :consumer, :user, :project, :roles, :secret, :hash, :expires,
                            :created)""")
                .bind("id", t.id())
                .bind("consumer", t.consumerId())
                .bind("user", t.authorizingUserId())
                .bind("project", t.projectId())
                .bind("roles", json(t.roleIds()))
                .bind("secret", t.secretEncrypted())
                .bind("hash", t.keyHash())
                .bind("expires", millis(t.expiresAt()))
                .bind("created", Instant.now().toEpochMilli())
                .execute());
  }

  @Override
  public Optional<AccessToken> findAccessToken(String id) {
    return db.read(
        h -> h.createQuery(ACCESS_TOKEN + " WHERE id = :id").bind("id", id)
            .map((rs, ctx) -> accessToken(rs)).findOne());
  }

  @Override
  public List<AccessToken> accessTokensOfUser(String userId) {
    return db.read(
        h -> h.createQuery(ACCESS_TOKEN + " WHERE authorizing_user_id = :user"
                + " ORDER BY created_at, id")
            .bind("user", userId)
            .map((rs, ctx) -> accessToken(rs)).list());
  }

  @Override
  public List<AccessToken> accessTokensOfConsumer(String consumerId) {
    return db.read(
        h -> h.createQuery(ACCESS_TOKEN + " WHERE consumer_id = :consumer ORDER BY created_at, id")
            .bind("consumer", consumerId)
            .map((rs, ctx) -> accessToken(rs)).list());
  }

  @Override
  public boolean deleteAccessToken(String id) {
    return db.write(
            h -> h.createUpdate("DELETE FROM oauth1_access_tokens WHERE id = :id")
                .bind("id", id).execute())
        > 0;
  }

  private static RequestToken requestToken(ResultSet rs) throws SQLException {
    String roles = rs.getString(7);
    return new RequestToken(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), roles == null ? null : roleIds(rs.getString(1), roles), rs.getString(8),
        instant(rs, 9));
  }

  private static AccessToken accessToken(ResultSet rs) throws SQLException {
    return new AccessToken(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        roleIds(rs.getString(1), rs.getString(5)), rs.getString(6), rs.getString(7),
        instant(rs, 8));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Long millis(Instant at) {
    return at == null ? null : at.toEpochMilli();
  }

  private static String json(List<String> roleIds) {
    try {
      return Json.MAPPER.writeValueAsString(roleIds);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> roleIds(String tokenId, String json) throws SQLException {
    try {
      return Json.MAPPER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new SQLException("role_ids of OAuth1 token " + tokenId + " do not parse", e);
    }
  }

  private static Consumer consumer(ResultSet rs) throws SQLException {
    return new Consumer(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }
}
