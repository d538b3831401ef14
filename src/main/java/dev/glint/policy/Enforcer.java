package dev.glint.policy;

import dev.glint.error.ApiException;
import dev.glint.http.Principal;
import io.javalin.http.Handler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The policy applied to callers: checks by rule name, and a before-filter per image or compute
 * listener that checks the rule {@link PolicyDefaults} names for each images call. A denial is the
 * exception the API's own {@code denied} function makes (a 403 in its words). Thread-safe.
 */
public final class Enforcer {
  private final Policy policy;

  public Enforcer(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /**
   * Whether {@code creds} pass {@code rule} for {@code target} (keys as the rule names them); the
   * caller's project is the target's {@code project_id} unless the target gives one.
   */
  public boolean allowed(String rule, Credentials creds, Map<String, String> target) {
    Map<String, String> t = new HashMap<>(target);
    if (creds.projectId() != null) {
      t.putIfAbsent("project_id", creds.projectId());
    }
    return policy.allowed(rule, creds, t);
  }

  /** Throws {@code denied.apply(rule)} unless {@code creds} pass the rule. */
  public void enforce(
      String rule,
      Credentials creds,
      Map<String, String> target,
      Function<String, ? extends ApiException> denied) {
    if (!allowed(rule, creds, target)) {
      throw denied.apply(rule);
    }
  }

  /** What the image and compute APIs know of a caller. */
  public static Credentials credentials(Principal p) {
    return new Credentials(p.userId(), p.projectId(), null, null, p.roles());
  }

  /**
   * A before-filter (after the auth filter) enforcing the rule that guards each images call of
   * {@code api}; other paths (version documents, unknown routes) pass untouched. Its target is the
   * caller's project: which images a project may touch is the catalog's ownership and visibility
   * rules, checked in the service, as Glance checks ownership beside its policy.
   */
  public Handler filter(PolicyDefaults.Api api, Function<String, ? extends ApiException> denied) {
    RouteRules rules = RouteRules.of(api);
    return ctx -> {
      String rule = rules.ruleFor(ctx.method().name(), ctx.path()).orElse(null);
      if (rule != null) {
        enforce(rule, credentials(Principal.of(ctx)), Map.of(), denied);
      }
    };
  }

  /** What {@link #filter} checks, as a question: whether the filter would let the request by. */
  public interface RouteCheck {
    boolean allows(String method, String path, Principal caller);
  }

  /** The check {@link #filter} makes for {@code api}, without a request (a listener's hot lane). */
  public RouteCheck routeCheck(PolicyDefaults.Api api) {
    RouteRules rules = RouteRules.of(api);
    return (method, path, caller) -> {
      String rule = rules.ruleFor(method, path).orElse(null);
      return rule == null || allowed(rule, credentials(caller), Map.of());
    };
  }
}
