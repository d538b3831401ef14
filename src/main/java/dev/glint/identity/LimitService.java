package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Unified limits as Keystone Zed's {@code api/registered_limits.py}, {@code api/limits.py} and
 * {@code limit/} with the {@code flat} enforcement model: registered (default) limits per
 * service, region and resource, and project or domain limits that override one. Thread-safe.
 */
public final class LimitService {
  static final String MODEL = "flat";
  static final String MODEL_DESCRIPTION =
      "Limit enforcement and validation does not take project hierarchy into consideration.";

  private static final Set<String> REGISTERED_FIELDS =
      Set.of("service_id", "region_id", "resource_name", "default_limit", "description");
  private static final Set<String> LIMIT_UPDATE_FIELDS = Set.of("resource_limit", "description");

  private final LimitRepository store;
  private final CatalogRepository catalog;
  private final IdentityRepository identity;
  private final Authorization authorization;

  LimitService(
      LimitRepository store,
      CatalogRepository catalog,
      IdentityRepository identity,
      Authorization authorization) {
    this.store = store;
    this.catalog = catalog;
    this.identity = identity;
    this.authorization = authorization;
  }

  private void require(Caller caller, String action, Map<String, String> target) {
    authorization.enforce(caller, "identity:" + action, target, KeystoneErrors::forbiddenAction);
  }

  private boolean isAdmin(Caller caller) {
    try {
      authorization.enforce(caller, "admin_required", Map.of(), KeystoneErrors::forbiddenAction);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- registered limits

  public List<LimitRepository.RegisteredLimit> registeredLimits(
      Caller caller, Map<String, String> filters) {
    require(caller, "list_registered_limits", Map.of());
    return store.registeredLimits().stream()
        .filter(r -> matches(filters, "service_id", r.serviceId()))
        .filter(r -> matches(filters, "region_id", r.regionId()))
        .filter(r -> matches(filters, "resource_name", r.resourceName()))
        .toList();
  }

  public LimitRepository.RegisteredLimit registeredLimit(Caller caller, String id) {
    require(caller, "get_registered_limit", Map.of());
    return store.registered(id).orElseThrow(() -> registeredNotFound(id));
  }

  public List<LimitRepository.RegisteredLimit> createRegistered(Caller caller, JsonNode body) {
    require(caller, "create_registered_limits", Map.of());
    JsonNode items = array(body, "registered_limits");
    List<LimitRepository.RegisteredLimit> out = new ArrayList<>();
    int i = 0;
    for (JsonNode item : items) {
      String path = Integer.toString(i++);
      onlyFields(item, REGISTERED_FIELDS, path);
      idString(item, "service_id", path);
      nullableString(item, "region_id", path);
      resourceName(item, path);
      limitValue(item, "default_limit", path);
      nullableString(item, "description", path);
      for (String required : List.of("service_id", "resource_name", "default_limit")) {
        if (!item.has(required)) {
          throw KeystoneErrors.schema(
              "Invalid input for field '" + path + "': '" + required + "' is a required property");
        }
      }
      out.add(
          new LimitRepository.RegisteredLimit(
              newId(),
              item.get("service_id").textValue(),
              text(item.get("region_id")),
              item.get("resource_name").textValue(),
              item.get("default_limit").intValue(),
              text(item.get("description"))));
    }
    return store.inTransaction(
        () -> {
          for (LimitRepository.RegisteredLimit r : out) {
            references(r.serviceId(), r.regionId(), "registered_limit");
            if (!store.createRegistered(r)) {
              throw duplicate("registered_limit");
            }
          }
          return out;
        });
  }

  public LimitRepository.RegisteredLimit updateRegistered(
      Caller caller, String id, JsonNode body) {
    require(caller, "update_registered_limit", Map.of());
    JsonNode ref = member(body, "registered_limit");
    onlyFields(ref, REGISTERED_FIELDS, null);
    idString(ref, "service_id", null);
    nullableString(ref, "region_id", null);
    resourceName(ref, null);
    limitValue(ref, "default_limit", null);
    nullableString(ref, "description", null);
    return store.inTransaction(
        () -> {
          LimitRepository.RegisteredLimit old =
              store.registered(id).orElseThrow(() -> registeredNotFound(id));
          if (referenced(old)) {
            throw inUse(id);
          }
          LimitRepository.RegisteredLimit updated =
              new LimitRepository.RegisteredLimit(
                  id,
                  ref.has("service_id") ? ref.get("service_id").textValue() : old.serviceId(),
                  ref.has("region_id") ? text(ref.get("region_id")) : old.regionId(),
                  ref.has("resource_name")
                      ? ref.get("resource_name").textValue() : old.resourceName(),
                  ref.has("default_limit")
                      ? ref.get("default_limit").intValue() : old.defaultLimit(),
                  ref.has("description") ? text(ref.get("description")) : old.description());
          references(updated.serviceId(), updated.regionId(), "registered_limit");
          if (!store.updateRegistered(updated)) {
            throw duplicate("registered_limit");
          }
          return updated;
        });
  }

  public void deleteRegistered(Caller caller, String id) {
    require(caller, "delete_registered_limit", Map.of());
    store.inTransaction(
        () -> {
          LimitRepository.RegisteredLimit old =
              store.registered(id).orElseThrow(() -> registeredNotFound(id));
          if (referenced(old)) {
            throw inUse(id);
          }
          store.deleteRegistered(id);
          return null;
        });
  }

  private boolean referenced(LimitRepository.RegisteredLimit r) {
    return store.limits().stream().anyMatch(l -> sameResource(l, r));
  }

  private static boolean sameResource(LimitRepository.Limit l, LimitRepository.RegisteredLimit r) {
    return l.serviceId().equals(r.serviceId())
        && Objects.equals(l.regionId(), r.regionId())
        && l.resourceName().equals(r.resourceName());
  }

  // ---------------------------------------------------------------- limits

  /** {@code GET /v3/limits}: admins see all; others their project's. */
  public List<LimitRepository.Limit> limits(Caller caller, Map<String, String> filters) {
    require(caller, "list_limits", Map.of());
    boolean all = isAdmin(caller);
    return store.limits().stream()
        .filter(l -> all || (caller.projectId() != null && caller.projectId().equals(l.projectId())))
        .filter(l -> matches(filters, "service_id", l.serviceId()))
        .filter(l -> matches(filters, "region_id", l.regionId()))
        .filter(l -> matches(filters, "resource_name", l.resourceName()))
        .filter(l -> matches(filters, "project_id", l.projectId()))
        .filter(l -> matches(filters, "domain_id", l.domainId()))
        .toList();
  }

  public LimitRepository.Limit limit(Caller caller, String id) {
    LimitRepository.Limit limit = store.limit(id).orElse(null);
    require(caller, "get_limit",
        limit == null || limit.projectId() == null
            ? Map.of() : Map.of("target.limit.project_id", limit.projectId()));
    if (limit == null) {
      throw limitNotFound(id);
    }
    return limit;
  }

  public List<LimitRepository.Limit> createLimits(Caller caller, JsonNode body) {
    require(caller, "create_limits", Map.of());
    JsonNode items = array(body, "limits");
    List<LimitRepository.Limit> out = new ArrayList<>();
    for (JsonNode item : items) {
      boolean project = item.isObject() && item.has("project_id");
      boolean domain = item.isObject() && item.has("domain_id");
      Set<String> fields =
          Set.of(project ? "project_id" : "domain_id", "service_id", "region_id",
              "resource_name", "resource_limit", "description");
      boolean valid =
          item.isObject()
              && project != domain
              && fieldsWithin(item, fields)
              && item.path(project ? "project_id" : "domain_id").isTextual()
              && item.path("service_id").isTextual()
              && (!item.has("region_id") || item.get("region_id").isTextual())
              && item.path("resource_name").isTextual()
              && !item.path("resource_name").textValue().isEmpty()
              && item.path("resource_limit").isIntegralNumber()
              && item.get("resource_limit").longValue() >= -1
              && item.get("resource_limit").longValue() <= Integer.MAX_VALUE
              && (!item.has("description") || item.get("description").isNull()
                  || item.get("description").isTextual());
      if (!valid) {
        throw KeystoneErrors.schema(
            "Invalid input for field '" + (out.size()) + "': " + Json.pythonRepr(item)
                + " is not valid under any of the given schemas");
      }
      out.add(
          new LimitRepository.Limit(
              newId(),
              project ? item.get("project_id").textValue() : null,
              domain ? item.get("domain_id").textValue() : null,
              item.get("service_id").textValue(),
              text(item.get("region_id")),
              item.get("resource_name").textValue(),
              item.get("resource_limit").intValue(),
              text(item.get("description"))));
    }
    return store.inTransaction(
        () -> {
          for (LimitRepository.Limit l : out) {
            references(l.serviceId(), l.regionId(), "limit");
            if (l.projectId() != null && identity.project(l.projectId()).isEmpty()) {
              throw KeystoneErrors.expecting("project_id", "limit");
            }
            if (l.domainId() != null && identity.domain(l.domainId()).isEmpty()) {
              throw KeystoneErrors.expecting("domain_id", "limit");
            }
            boolean registered =
                store.registeredLimits().stream().anyMatch(r -> sameResource(l, r));
            if (!registered) {
              // NoLimitReference is a Forbidden, whose text Keystone hides.
              throw KeystoneErrors.forbidden();
            }
            if (!store.createLimit(l)) {
              throw duplicate("limit");
            }
          }
          return out;
        });
  }

  public LimitRepository.Limit updateLimit(Caller caller, String id, JsonNode body) {
    require(caller, "update_limit", Map.of());
    JsonNode ref = member(body, "limit");
    onlyFields(ref, LIMIT_UPDATE_FIELDS, null);
    limitValue(ref, "resource_limit", null);
    nullableString(ref, "description", null);
    return store.inTransaction(
        () -> {
          LimitRepository.Limit old = store.limit(id).orElseThrow(() -> limitNotFound(id));
          LimitRepository.Limit updated =
              new LimitRepository.Limit(
                  id, old.projectId(), old.domainId(), old.serviceId(), old.regionId(),
                  old.resourceName(),
                  ref.has("resource_limit")
                      ? ref.get("resource_limit").intValue() : old.resourceLimit(),
                  ref.has("description") ? text(ref.get("description")) : old.description());
          store.updateLimit(updated);
          return updated;
        });
  }

  public void deleteLimit(Caller caller, String id) {
    require(caller, "delete_limit", Map.of());
    if (!store.deleteLimit(id)) {
      throw limitNotFound(id);
    }
  }

  public void model(Caller caller) {
    require(caller, "get_limit_model", Map.of());
  }

  // ---------------------------------------------------------------- checks

  /** Keystone's {@code _assert_resource_exist}: the service and region must exist (400). */
  private void references(String serviceId, String regionId, String target) {
    if (catalog.service(serviceId).isEmpty()) {
      throw KeystoneErrors.expecting("service_id", target);
    }
    if (regionId != null && catalog.region(regionId).isEmpty()) {
      throw KeystoneErrors.expecting("region_id", target);
    }
  }

  private static JsonNode array(JsonNode body, String key) {
    JsonNode items = body.has(key) ? body.get(key) : Json.MAPPER.createObjectNode();
    if (!items.isArray()) {
      throw KeystoneErrors.schema(Json.pythonRepr(items) + " is not of type 'array'");
    }
    if (items.isEmpty()) {
      throw KeystoneErrors.schema("[] is too short");
    }
    return items;
  }

  private static JsonNode member(JsonNode body, String key) {
    JsonNode member = body.has(key) ? body.get(key) : Json.MAPPER.createObjectNode();
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    return member;
  }

  private static boolean fieldsWithin(JsonNode item, Set<String> allowed) {
    for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
      if (!allowed.contains(it.next())) {
        return false;
      }
    }
    return true;
  }

  private static void onlyFields(JsonNode item, Set<String> allowed, String path) {
    if (!item.isObject()) {
      throw invalid(path, null, AuthRequest.repr(item) + " is not of type 'object'");
    }
    List<String> extra = new ArrayList<>();
    item.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        extra.add("'" + f + "'");
      }
    });
    if (!extra.isEmpty()) {
      throw invalid(path, null, "Additional properties are not allowed ("
          + String.join(", ", extra) + (extra.size() == 1 ? " was" : " were") + " unexpected)");
    }
  }

  private static void idString(JsonNode item, String field, String path) {
    JsonNode v = item.get(field);
    if (v != null && (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 64)) {
      throw invalid(path, field, AuthRequest.repr(v) + (v.isTextual()
          ? (v.textValue().isEmpty() ? " is too short" : " is too long")
          : " is not of type 'string'"));
    }
  }

  private static void nullableString(JsonNode item, String field, String path) {
    JsonNode v = item.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw invalid(path, field, AuthRequest.repr(v) + " is not of type 'string', 'null'");
    }
  }

  private static void resourceName(JsonNode item, String path) {
    JsonNode v = item.get("resource_name");
    if (v == null) {
      return;
    }
    if (!v.isTextual()) {
      throw invalid(path, "resource_name", AuthRequest.repr(v) + " is not of type 'string'");
    }
    if (v.textValue().isEmpty()) {
      throw invalid(path, "resource_name", "'' is too short");
    }
    if (v.textValue().length() > 255) {
      throw invalid(path, "resource_name", AuthRequest.repr(v) + " is too long");
    }
  }

  private static void limitValue(JsonNode item, String field, String path) {
    JsonNode v = item.get(field);
    if (v == null) {
      return;
    }
    if (!v.isIntegralNumber()) {
      throw invalid(path, field, AuthRequest.repr(v) + " is not of type 'integer'");
    }
    if (v.longValue() < -1) {
      throw invalid(path, field, v.longValue() + " is less than the minimum of -1");
    }
    if (v.longValue() > Integer.MAX_VALUE) {
      throw invalid(path, field, v.longValue() + " is greater than the maximum of 2147483647");
    }
  }

  private static ApiException invalid(String path, String field, String message) {
    String where = path == null ? field : (field == null ? path : path + "/" + field);
    return KeystoneErrors.schema(
        where == null ? message : "Invalid input for field '" + where + "': " + message);
  }

  private static boolean matches(Map<String, String> filters, String key, String value) {
    String wanted = filters.get(key);
    return wanted == null || wanted.equals(value);
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static ApiException duplicate(String type) {
    return ApiException.conflict(
        "Conflict occurred attempting to store " + type + " - Duplicate entry.");
  }

  private static ApiException inUse(String id) {
    return ApiException.forbidden(
        "Unable to update or delete registered limit " + id
            + " because there are project limits associated with it.");
  }

  private static ApiException registeredNotFound(String id) {
    return ApiException.notFound("Could not find registered limit for " + id + ".");
  }

  private static ApiException limitNotFound(String id) {
    return ApiException.notFound("Could not find limit for " + id + ".");
  }
}
