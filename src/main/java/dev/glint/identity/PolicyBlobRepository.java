package dev.glint.identity;

import java.util.List;
import java.util.Optional;

/** Storage of the policy API's blobs ({@code /v3/policies}), implemented by {@code store}. */
public interface PolicyBlobRepository {
  /** One stored policy; {@code extra} is a JSON object of the fields beyond the columns. */
  record PolicyBlob(String id, String type, String blob, String extra) {}

  void create(PolicyBlob policy);

  Optional<PolicyBlob> find(String id);

  /** All policies, oldest first. */
  List<PolicyBlob> list();

  void update(PolicyBlob policy);

  /** False when it did not exist. */
  boolean delete(String id);
}
