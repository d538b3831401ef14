package dev.glint.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of trusts (OS-TRUST), implemented by {@code store}. Each call is its own transaction. */
public interface TrustRepository {
  /**
   * One trust.
   *
   * @param expiresAt null when it never expires
   * @param remainingUses null when unlimited
   * @param roleIds the delegated roles
   * @param extra a JSON object of the fields beyond Keystone's columns
   */
  record Trust(
      String id,
      String trustorUserId,
      String trusteeUserId,
      String projectId,
      boolean impersonation,
      Instant expiresAt,
      Integer remainingUses,
      String redelegatedTrustId,
      Integer redelegationCount,
      List<String> roleIds,
      String extra) {
    public Trust {
      roleIds = List.copyOf(roleIds);
    }
  }

  void create(Trust trust);

  /** A trust not deleted. */
  Optional<Trust> find(String id);

  /** Trusts not deleted, oldest first, narrowed by trustor or trustee when not null. */
  List<Trust> list(String trustorUserId, String trusteeUserId);

  /**
   * Spends one use of a live trust (one conditional update, so concurrent logins never spend more
   * uses than there are); a trust with unlimited uses is left alone. False when the trust is
   * deleted or has no use left.
   */
  boolean consumeUse(String id);

  /** Marks the trust deleted; false when there was none. */
  boolean delete(String id);
}
