package dev.glint.identity;

import java.util.List;
import java.util.Optional;

/**
 * Storage of credentials, implemented by {@code store}. Blobs arrive and leave encrypted: the
 * store never sees one in the clear. Each call is its own transaction.
 */
public interface CredentialRepository {
  /**
   * One stored credential.
   *
   * @param projectId null when the credential has none
   * @param encryptedBlob the blob as a Fernet token of the credential keys
   * @param keyHash sha1 of the key that encrypted it
   * @param extra a JSON object of the fields beyond Keystone's columns
   */
  record Stored(
      String id,
      String userId,
      String projectId,
      String type,
      String encryptedBlob,
      String keyHash,
      String extra) {}

  /** Inserts; false when the id is taken. */
  boolean create(Stored credential);

  Optional<Stored> find(String id);

  /** All credentials, oldest first; narrowed by user and type when those are not null. */
  List<Stored> list(String userId, String type);

  void update(Stored credential);

  /** False when it did not exist. */
  boolean delete(String id);
}
