package dev.glint.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Domain-specific configuration as Keystone Zed's {@code resource/core.py DomainConfigManager}:
 * per domain, options of the {@code identity} and {@code ldap} groups that Keystone allows there,
 * created, read, updated and deleted whole, by group or by option; the defaults read. Glint
 * stores them but does not act on them (it has no LDAP backend). The sensitive option (ldap
 * {@code password}) is stored encrypted and never shown. Admin only. Thread-safe.
 */
public final class DomainConfigService {
  /** Keystone's {@code whitelisted_options}. */
  static final Map<String, List<String>> ALLOWED = Map.of(
      "identity", List.of("driver", "list_limit"),
      "ldap", List.of(
          "url", "user", "suffix", "query_scope", "page_size", "alias_dereferencing",
          "debug_level", "chase_referrals", "user_tree_dn", "user_filter", "user_objectclass",
          "user_id_attribute", "user_name_attribute", "user_mail_attribute",
          "user_description_attribute", "user_pass_attribute", "user_enabled_attribute",
          "user_enabled_invert", "user_enabled_mask", "user_enabled_default",
          "user_attribute_ignore", "user_default_project_id_attribute", "user_enabled_emulation",
          "user_enabled_emulation_dn", "user_enabled_emulation_use_group_config",
          "user_additional_attribute_mapping", "group_tree_dn", "group_filter",
          "group_objectclass", "group_id_attribute", "group_name_attribute",
          "group_members_are_ids", "group_member_attribute", "group_desc_attribute",
          "group_attribute_ignore", "group_additional_attribute_mapping", "tls_cacertfile",
          "tls_cacertdir", "use_tls", "tls_req_cert", "use_pool", "pool_size", "pool_retry_max",
          "pool_retry_delay", "pool_connection_timeout", "pool_connection_lifetime",
          "use_auth_pool", "auth_pool_size", "auth_pool_connection_lifetime"));

  /** Keystone's {@code sensitive_options}: accepted, stored, never shown. */
  static final Map<String, List<String>> SENSITIVE =
      Map.of("identity", List.of(), "ldap", List.of("password"));

  /** The groups in the order Keystone shows them. */
  private static final List<String> GROUPS = List.of("identity", "ldap");

  /** Keystone Zed's defaults of the allowed options ({@code keystone/conf/identity.py, ldap.py}). */
  private static final ObjectNode DEFAULTS = defaults();

  private final DomainConfigRepository store;
  private final IdentityRepository identity;
  private final CredentialService sealer;
  private final Authorization authorization;

  DomainConfigService(DomainConfigRepository store, IdentityRepository identity,
      CredentialService sealer, Authorization authorization) {
    this.store = store;
    this.identity = identity;
    this.sealer = sealer;
    this.authorization = authorization;
  }

  /** A configuration as shown, and whether {@code PUT} created it (201) or replaced one (200). */
  public record Created(ObjectNode config, boolean created) {}

  /** {@code PUT /v3/domains/{id}/config}: replaces the whole configuration. */
  public Created create(Caller caller, String domainId, JsonNode body) {
    require(caller, "create_domain_config");
    domain(domainId);
    JsonNode config = config(body);
    checkConfig(config);
    return store.inTransaction(() -> {
      boolean existed = !store.options(domainId).isEmpty();
      store.delete(domainId, null, null);
      putAll(domainId, config);
      return new Created(shown(domainId, null, null), !existed);
    });
  }

  /** {@code GET /v3/domains/{id}/config[/{group}[/{option}]]}. */
  public ObjectNode get(Caller caller, String domainId, String group, String option) {
    require(caller, "get_domain_config");
    domain(domainId);
    if (group != null) {
      checkGroupAndOption(group, option);
    }
    ObjectNode shown = shown(domainId, group, option);
    if (shown.isEmpty()) {
      throw notFound(domainId, group, option);
    }
    return shown;
  }

  /**
   * {@code PATCH /v3/domains/{id}/config[/{group}[/{option}]]}: sets the given options; a group
   * or option named in the path must be the only one given and must be set already.
   */
  public ObjectNode update(
      Caller caller, String domainId, String group, String option, JsonNode body) {
    require(caller, "update_domain_config");
    domain(domainId);
    JsonNode given = config(body);
    JsonNode config = given;
    if (group != null && option != null) {
      // The body holds just the option and its value.
      ObjectNode wrapped = Json.MAPPER.createObjectNode();
      wrapped.set(group, given);
      config = wrapped;
    }
    checkConfig(config);
    if (group != null) {
      checkGroupAndOption(group, option);
    }
    JsonNode update = config;
    return store.inTransaction(() -> {
      if (group != null) {
        if (update.size() != 1 || (option != null && update.path(group).size() != 1)) {
          throw invalid(option != null
              ? "Trying to update option " + option + " in group " + group + ", so that, and"
                  + " only that, option must be specified  in the config"
              : "Trying to update group " + group + ", so that, and only that, group must be"
                  + " specified in the config");
        }
        if (!update.has(group)) {
          throw invalid("request to update group " + group + ", but config provided contains"
              + " group " + update.fieldNames().next() + " instead");
        }
        if (option != null && !update.get(group).has(option)) {
          throw invalid("Trying to update option " + option + " in group " + group + ", but"
              + " config provided contains option " + update.get(group).fieldNames().next()
              + " instead");
        }
        boolean present = store.options(domainId).stream()
            .anyMatch(o -> o.group().equals(group)
                && (option == null || o.option().equals(option)));
        if (!present) {
          throw notFound(domainId, group, option);
        }
      }
      putAll(domainId, update);
      return shown(domainId, null, null);
    });
  }

  /** {@code DELETE /v3/domains/{id}/config[/{group}[/{option}]]}. */
  public void delete(Caller caller, String domainId, String group, String option) {
    require(caller, "delete_domain_config");
    domain(domainId);
    if (group != null) {
      checkGroupAndOption(group, option);
    }
    store.inTransaction(() -> {
      if (group != null) {
        List<DomainConfigRepository.Option> current = store.options(domainId);
        if (current.stream().noneMatch(o -> o.group().equals(group))) {
          throw notFound(domainId, group, null);
        }
        if (option != null && current.stream()
            .noneMatch(o -> o.group().equals(group) && o.option().equals(option))) {
          throw notFound(domainId, group, option);
        }
      }
      store.delete(domainId, group, option);
      return null;
    });
  }

  /** {@code GET /v3/domains/config/default}, {@code …/{group}/default}, {@code …/{option}/default}. */
  public ObjectNode defaults(Caller caller, String group, String option) {
    require(caller, "get_domain_config_default");
    if (group == null) {
      return DEFAULTS.deepCopy();
    }
    checkGroupAndOption(group, option);
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (option == null) {
      out.set(group, DEFAULTS.get(group).deepCopy());
      return out;
    }
    if (!DEFAULTS.get(group).has(option)) {
      // Keystone answers 500 here (UnexpectedError); it is the client's request that is wrong.
      throw invalid("Reading the default for option " + option + " in group " + group
          + " is not supported");
    }
    out.set(option, DEFAULTS.get(group).get(option).deepCopy());
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private void require(Caller caller, String action) {
    authorization.enforce(
        caller, "identity:" + action, Map.of(), KeystoneErrors::forbiddenAction);
  }

  private void domain(String domainId) {
    identity.domain(domainId)
        .orElseThrow(() -> ApiException.notFound("Could not find domain: " + domainId + "."));
  }

  private static JsonNode config(JsonNode body) {
    JsonNode config = body.get("config");
    return config == null || config.isNull() ? Json.MAPPER.createObjectNode() : config;
  }

  /** Keystone's {@code _assert_valid_config}. */
  private static void checkConfig(JsonNode config) {
    if (!config.isObject() || config.isEmpty()) {
      throw invalid("No options specified");
    }
    for (Map.Entry<String, JsonNode> g : config.properties()) {
      if (!g.getValue().isObject() || g.getValue().isEmpty()) {
        throw invalid("The value of group " + g.getKey() + " specified in the config should be a"
            + " dictionary of options");
      }
      for (String option : (Iterable<String>) g.getValue()::fieldNames) {
        checkGroupAndOption(g.getKey(), option);
      }
    }
  }

  /** Keystone's {@code _assert_valid_group_and_option}. */
  private static void checkGroupAndOption(String group, String option) {
    if (!ALLOWED.containsKey(group)) {
      throw invalid("Group " + group + " is not supported for domain specific configurations");
    }
    if (option != null && !ALLOWED.get(group).contains(option)
        && !SENSITIVE.get(group).contains(option)) {
      throw invalid("Option " + option + " in group " + group + " is not supported for domain"
          + " specific configurations");
    }
  }

  private void putAll(String domainId, JsonNode config) {
    for (Map.Entry<String, JsonNode> g : config.properties()) {
      for (Map.Entry<String, JsonNode> o : g.getValue().properties()) {
        boolean sensitive = SENSITIVE.get(g.getKey()).contains(o.getKey());
        String value = o.getValue().toString();
        store.put(domainId, new DomainConfigRepository.Option(
            g.getKey(), o.getKey(), sensitive ? sealer.seal(value).token() : value, sensitive));
      }
    }
  }

  /**
   * The configuration as Keystone shows it, sensitive options left out: {@code {group: {option:
   * value}}}, only one group's when {@code group} is given, {@code {option: value}} for an option.
   */
  private ObjectNode shown(String domainId, String group, String option) {
    Map<String, ObjectNode> groups = new LinkedHashMap<>();
    for (DomainConfigRepository.Option o : store.options(domainId)) {
      if (o.sensitive()
          || (group != null && !o.group().equals(group))
          || (option != null && !o.option().equals(option))) {
        continue;
      }
      groups.computeIfAbsent(o.group(), g -> Json.MAPPER.createObjectNode())
          .set(o.option(), parse(o.value()));
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    if (option != null) {
      ObjectNode g = groups.get(group);
      return g == null ? out : g;
    }
    List<String> order = new ArrayList<>(GROUPS);
    groups.keySet().stream().filter(g -> !order.contains(g)).forEach(order::add);
    for (String g : order) {
      if (groups.containsKey(g)) {
        out.set(g, groups.get(g));
      }
    }
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored domain config value does not parse", e);
    }
  }

  /** {@code InvalidDomainConfig}, a 403 whose reason Keystone shows. */
  private static ApiException invalid(String reason) {
    return ApiException.forbidden("Invalid domain specific configuration: " + reason + ".");
  }

  /** {@code DomainConfigNotFound}. */
  private static ApiException notFound(String domainId, String group, String option) {
    String what = option != null
        ? "option " + option + " in group " + group
        : group != null ? "group " + group : "any options";
    return ApiException.notFound(
        "Could not find " + what + " in domain configuration for domain " + domainId + ".");
  }

  private static ObjectNode defaults() {
    ObjectNode identity = Json.MAPPER.createObjectNode();
    identity.put("driver", "sql");
    identity.putNull("list_limit");
    ObjectNode ldap = Json.MAPPER.createObjectNode();
    ldap.put("url", "ldap://localhost");
    ldap.putNull("user");
    ldap.put("suffix", "cn=example,cn=com");
    ldap.put("query_scope", "one");
    ldap.put("page_size", 0);
    ldap.put("alias_dereferencing", "default");
    ldap.putNull("debug_level");
    ldap.putNull("chase_referrals");
    ldap.putNull("user_tree_dn");
    ldap.putNull("user_filter");
    ldap.put("user_objectclass", "inetOrgPerson");
    ldap.put("user_id_attribute", "cn");
    ldap.put("user_name_attribute", "sn");
    ldap.put("user_mail_attribute", "mail");
    ldap.put("user_description_attribute", "description");
    ldap.put("user_pass_attribute", "userPassword");
    ldap.put("user_enabled_attribute", "enabled");
    ldap.put("user_enabled_invert", false);
    ldap.put("user_enabled_mask", 0);
    ldap.put("user_enabled_default", "True");
    ldap.putArray("user_attribute_ignore").add("default_project_id");
    ldap.putNull("user_default_project_id_attribute");
    ldap.put("user_enabled_emulation", false);
    ldap.putNull("user_enabled_emulation_dn");
    ldap.put("user_enabled_emulation_use_group_config", false);
    ldap.putArray("user_additional_attribute_mapping");
    ldap.putNull("group_tree_dn");
    ldap.putNull("group_filter");
    ldap.put("group_objectclass", "groupOfNames");
    ldap.put("group_id_attribute", "cn");
    ldap.put("group_name_attribute", "ou");
    ldap.put("group_members_are_ids", false);
    ldap.put("group_member_attribute", "member");
    ldap.put("group_desc_attribute", "description");
    ldap.putArray("group_attribute_ignore");
    ldap.putArray("group_additional_attribute_mapping");
    ldap.putNull("tls_cacertfile");
    ldap.putNull("tls_cacertdir");
    ldap.put("use_tls", false);
    ldap.put("tls_req_cert", "demand");
    ldap.put("use_pool", true);
    ldap.put("pool_size", 10);
    ldap.put("pool_retry_max", 3);
    ldap.put("pool_retry_delay", 0.1);
    ldap.put("pool_connection_timeout", -1);
    ldap.put("pool_connection_lifetime", 600);
    ldap.put("use_auth_pool", true);
    ldap.put("auth_pool_size", 100);
    ldap.put("auth_pool_connection_lifetime", 60);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("identity", identity);
    out.set("ldap", ldap);
    return out;
  }
}
