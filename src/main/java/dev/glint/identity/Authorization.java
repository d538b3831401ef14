package dev.glint.identity;

import dev.glint.error.ApiException;
import dev.glint.policy.Credentials;
import dev.glint.policy.Enforcer;
import java.util.Map;
import java.util.function.Function;

/** The policy, checked for identity callers (Keystone's {@code identity:*} rules). Thread-safe. */
public final class Authorization {
  private final Enforcer enforcer;

  public Authorization(Enforcer enforcer) {
    this.enforcer = enforcer;
  }

  static Credentials credentials(Caller caller) {
    return new Credentials(
        caller.userId(),
        caller.projectId(),
        caller.projectDomainId(),
        // oslo.context's domain_id: the scope of a domain-scoped token, else the user's domain.
        caller.domainId() != null ? caller.domainId() : caller.userDomainId(),
        caller.roles());
  }

  /** Throws {@code denied.apply(rule)} unless the caller passes the rule for {@code target}. */
  void enforce(
      Caller caller,
      String rule,
      Map<String, String> target,
      Function<String, ? extends ApiException> denied) {
    enforcer.enforce(rule, credentials(caller), target, denied);
  }
}
