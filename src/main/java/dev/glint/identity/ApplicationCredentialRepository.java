package dev.glint.identity;

import java.util.List;
import java.util.Optional;

/**
 * Storage of application credentials, implemented by {@code store}. Each call is its own
 * transaction; deleting a user, a project or a grant removes the credentials that depended on it
 * in that same transaction ({@link IdentityRepository}).
 */
public interface ApplicationCredentialRepository {
  /** Inserts; false when the user already has one with this name. */
  boolean create(ApplicationCredential credential, String secretHash);

  Optional<ApplicationCredential> find(String id);

  Optional<ApplicationCredential> findByName(String userId, String name);

  /** The user's credentials, ordered by name. */
  List<ApplicationCredential> list(String userId);

  /** The bcrypt hash of the secret, empty when there is no such credential. */
  Optional<String> secretHash(String id);

  /** False when it did not exist. */
  boolean delete(String id);

  /** The user's access rules, oldest first. */
  List<AccessRule> accessRules(String userId);

  /** The access rules a credential names, oldest first. */
  List<AccessRule> accessRulesOf(String credentialId);

  /** Stores a new access rule of the user. */
  void addAccessRule(String userId, AccessRule rule);

  /** Makes the credential name the rules. */
  void linkAccessRules(String credentialId, List<String> ruleIds);

  /** Whether a credential that still exists names the rule. */
  boolean accessRuleInUse(String ruleId);

  /** False when it did not exist. */
  boolean deleteAccessRule(String ruleId);
}
