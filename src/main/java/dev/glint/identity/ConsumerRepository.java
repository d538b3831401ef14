package dev.glint.identity;

import java.util.List;
import java.util.Optional;

/** Storage of OAuth1 consumers, implemented by {@code store}; secrets arrive encrypted. */
public interface ConsumerRepository {
  /** One consumer; {@code extra} is a JSON object of the fields beyond Keystone's columns. */
  record Consumer(
      String id, String description, String secretEncrypted, String keyHash, String extra) {}

  void create(Consumer consumer);

  Optional<Consumer> find(String id);

  /** All consumers, oldest first. */
  List<Consumer> list();

  void update(Consumer consumer);

  /** False when it did not exist. */
  boolean delete(String id);
}
