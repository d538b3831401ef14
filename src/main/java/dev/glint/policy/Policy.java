package dev.glint.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: {@link PolicyDefaults}' rules, each replaceable by an operator's {@code
 * policy.yaml} (oslo.policy's format: rule name → expression, YAML or JSON). Rules are parsed once;
 * checks read no store. Immutable and thread-safe.
 */
public final class Policy {
  private static final Logger LOG = LoggerFactory.getLogger(Policy.class);

  private final Map<String, Rule> rules;
  private final Map<String, String> expressions;

  private Policy(Map<String, String> expressions) {
    this.expressions = Map.copyOf(expressions);
    Map<String, Rule> parsed = new LinkedHashMap<>();
    expressions.forEach((name, text) -> parsed.put(name, Rule.parse(text)));
    this.rules = Map.copyOf(parsed);
  }

  /** The defaults alone. */
  public static Policy defaults() {
    return new Policy(PolicyDefaults.expressions());
  }

  /**
   * The defaults, with the rules {@code file} names replacing them (and any extra rules it
   * defines for {@code rule:} references). A bad expression fails start-up, naming the rule; a
   * name Glint does not use is logged, since policy files copied from a cloud carry many.
   */
  public static Policy load(Path file) {
    Map<String, String> merged = new LinkedHashMap<>(PolicyDefaults.expressions());
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read policy file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return new Policy(merged);
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          "policy file " + file + " must map rule names to rule expressions");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "policy file " + file + ": rule " + e.getKey() + " must be a string expression");
      }
      try {
        Rule.parse(e.getValue().textValue());
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(
            "policy file " + file + ": rule " + e.getKey() + ": " + bad.getMessage(), bad);
      }
      if (!merged.containsKey(e.getKey())) {
        LOG.info("policy file {}: rule {} is not one Glint checks (usable via rule:{})",
            file, e.getKey(), e.getKey());
      }
      merged.put(e.getKey(), e.getValue().textValue());
    }
    return new Policy(merged);
  }

  /** Whether {@code creds} may take {@code action} on {@code target}; an unknown rule: never. */
  public boolean allowed(String action, Credentials creds, Map<String, String> target) {
    return test(action, creds, target);
  }

  boolean test(String name, Credentials creds, Map<String, String> target) {
    Rule rule = rules.get(name);
    return rule != null && rule.test(creds, target, this);
  }

  /**
   * oslo.context's {@code is_admin}: the {@code context_is_admin} rule passes. Evaluated without
   * target; a {@code context_is_admin} that itself asks {@code is_admin} is false, not a loop.
   */
  boolean isAdmin(Credentials creds) {
    Rule rule = rules.get(PolicyDefaults.CONTEXT_IS_ADMIN);
    if (rule == null || IN_ADMIN_CHECK.get()) {
      return false;
    }
    IN_ADMIN_CHECK.set(true);
    try {
      return rule.test(creds, Map.of(), this);
    } finally {
      IN_ADMIN_CHECK.set(false);
    }
  }

  private static final ThreadLocal<Boolean> IN_ADMIN_CHECK = ThreadLocal.withInitial(() -> false);

  /** The expression in force for a rule (after the operator's file), or null. */
  public String expression(String name) {
    return expressions.get(name);
  }

  /** Every rule name in force, defaults first. */
  public List<String> names() {
    return List.copyOf(expressions.keySet());
  }
}
