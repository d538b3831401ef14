package dev.glint.identity;

import dev.glint.http.ApiException;
import dev.glint.policy.Credentials;
import dev.glint.policy.Policy;
import dev.glint.policy.PolicyDefaults;
import dev.glint.policy.RouteRules;
import io.javalin.http.Handler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The policy, applied to callers: a before-filter per image or compute listener that checks the
 * rule {@link PolicyDefaults} names for the call, and checks by name for the services. A denial is
 * a 403 in the API's own words. Thread-safe.
 */
public final class Authorization {
  private final Policy policy;

  public Authorization(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  public static Credentials credentials(Caller caller) {
    return new Credentials(
        caller.userId(),
        caller.projectId(),
        caller.projectDomainId(),
        caller.userDomainId(),
        caller.roles());
  }

  /** Whether the caller passes the rule for {@code target} (target keys as the rule names them). */
  public boolean allowed(Caller caller, String rule, Map<String, String> target) {
    Map<String, String> t = new HashMap<>(target);
    if (caller.projectId() != null) {
      t.putIfAbsent("project_id", caller.projectId());
    }
    return policy.allowed(rule, credentials(caller), t);
  }

  /** Throws {@code denied.apply(rule)} unless the caller passes the rule. */
  public void enforce(
      Caller caller, String rule, Map<String, String> target,
      Function<String, ? extends ApiException> denied) {
    if (!allowed(caller, rule, target)) {
      throw denied.apply(rule);
    }
  }

  /**
   * A before-filter (after the auth filter) that enforces the rule guarding each images call of
   * {@code api}; other paths (version documents, unknown routes) pass untouched.
   */
  public Handler filter(PolicyDefaults.Api api, Function<String, ? extends ApiException> denied) {
    RouteRules rules = RouteRules.of(api);
    return ctx -> {
      String rule = rules.ruleFor(ctx.method().name(), ctx.path()).orElse(null);
      Caller caller = ctx.attribute(Caller.ATTRIBUTE);
      if (rule == null || caller == null) {
        return;
      }
      // The target is the caller's project: which images that project may touch is the
      // catalog's ownership and visibility rules, checked in the service.
      enforce(caller, rule, Map.of(), denied);
    };
  }

  /** Glance's {@code PolicyNotAuthorized} text. */
  public static ApiException glanceDenied(String rule) {
    return ApiException.forbidden("You are not authorized to complete " + rule + " action.");
  }

  /** Nova's {@code PolicyNotAuthorized} text. */
  public static ApiException novaDenied(String rule) {
    return ApiException.forbidden("Policy doesn't allow " + rule + " to be performed.");
  }
}
