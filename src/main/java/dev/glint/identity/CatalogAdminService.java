package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog API (regions, services, endpoints) and its endpoint filters (OS-EP-FILTER), with
 * Keystone Zed's checks and error texts ({@code api/regions.py}, {@code api/services.py}, {@code
 * api/endpoints.py}, {@code api/os_ep_filter.py}, {@code catalog/core.py}, {@code
 * catalog/backends/sql.py}). Every write is one transaction. Thread-safe.
 */
public final class CatalogAdminService {
  private static final List<String> INTERFACES = List.of("admin", "internal", "public");
  private static final List<String> GROUP_FILTERS = List.of("service_id", "region_id", "interface");
  // Keystone's utils.WHITELISTED_PROPERTIES: the names an endpoint URL may substitute.
  private static final Set<String> URL_PROPERTIES =
      Set.of(
          "tenant_id", "project_id", "user_id", "public_bind_host", "admin_bind_host",
          "compute_host", "admin_port", "public_port", "public_endpoint");
  private static final Pattern URL_TEMPLATE = Pattern.compile("%\\(([^)]*)\\)s");
  private static final Pattern URL = Pattern.compile("^[a-zA-Z0-9+.-]+:.+");

  private final CatalogRepository rows;
  private final IdentityRepository identity;
  private final Authorization authorization;
  private final ServiceCatalog catalog;

  CatalogAdminService(
      ServiceCatalog catalog, IdentityRepository identity, Authorization authorization) {
    this.catalog = catalog;
    this.rows = catalog.rows();
    this.identity = identity;
    this.authorization = authorization;
  }

  private void require(Caller caller, String action) {
    authorization.enforce(
        caller, "identity:" + action, Map.of(), KeystoneErrors::forbiddenAction);
  }

  private static ApiException notFound(String type, String id) {
    return ApiException.notFound("Could not find " + type + ": " + id + ".");
  }

  // ---------------------------------------------------------------- regions

  public List<CatalogRepository.Region> regions(Caller caller, Map<String, String> filters) {
    require(caller, "list_regions");
    return rows.regions().stream()
        .filter(r -> matches(filters, "parent_region_id", r.parentRegionId()))
        .toList();
  }

  public CatalogRepository.Region region(Caller caller, String id) {
    require(caller, "get_region");
    return rows.region(id).orElseThrow(() -> notFound("region", id));
  }

  /**
   * {@code POST /v3/regions} ({@code pathId} null) or {@code PUT /v3/regions/{id}}: an id in the
   * body is kept, a missing one generated (Keystone's historical POST behaviour).
   */
  public CatalogRepository.Region createRegion(Caller caller, String pathId, JsonNode body) {
    require(caller, "create_region");
    ObjectNode ref = member(body, "region");
    checkRegionFields(ref);
    String id = stringOrNull(ref.get("id"));
    if (pathId != null) {
      if (id == null && !ref.has("id")) {
        id = pathId;
      } else if (!pathId.equals(id)) {
        throw ApiException.badRequest(
            "Conflicting region IDs specified: \"" + pathId + "\" != \"" + id + "\"");
      }
    } else if (id == null || id.isEmpty()) {
      id = newId();
    }
    String regionId = id;
    String parent = stringOrNull(ref.get("parent_region_id"));
    CatalogRepository.Region region =
        new CatalogRepository.Region(
            regionId,
            Optional.ofNullable(stringOrNull(ref.get("description"))).orElse(""),
            parent,
            extra(ref, "id", "description", "parent_region_id"));
    return rows.inTransaction(
        () -> {
          if (rows.region(regionId).isPresent()) {
            throw ApiException.conflict(
                "Conflict occurred attempting to store region - Duplicate ID, " + regionId + ".");
          }
          if (parent != null && rows.region(parent).isEmpty()) {
            throw notFound("region", parent);
          }
          rows.createRegion(region);
          return region;
        });
  }

  public CatalogRepository.Region updateRegion(Caller caller, String id, JsonNode body) {
    require(caller, "update_region");
    ObjectNode ref = member(body, "region");
    checkRegionFields(ref);
    minProperties(ref);
    matchingId(ref, id);
    return rows.inTransaction(
        () -> {
          String parent =
              ref.has("parent_region_id") ? stringOrNull(ref.get("parent_region_id")) : null;
          if (parent != null && rows.region(parent).isEmpty()) {
            throw notFound("region", parent);
          }
          CatalogRepository.Region old = rows.region(id).orElseThrow(() -> notFound("region", id));
          String newParent = ref.has("parent_region_id") ? parent : old.parentRegionId();
          for (String p = newParent; p != null; ) {
            if (p.equals(id)) {
              throw ApiException.badRequest(
                  "The specified parent region "
                      + newParent
                      + " would create a circular region hierarchy.");
            }
            p = rows.region(p).map(CatalogRepository.Region::parentRegionId).orElse(null);
          }
          String description =
              ref.has("description")
                  ? Optional.ofNullable(stringOrNull(ref.get("description"))).orElse("")
                  : old.description();
          CatalogRepository.Region updated =
              new CatalogRepository.Region(
                  id,
                  description,
                  newParent,
                  mergeExtra(old.extra(), ref, "id", "description", "parent_region_id"));
          rows.updateRegion(updated);
          return updated;
        });
  }

  /** Deletes the region and its children, unless one of them has endpoints (403, shown). */
  public void deleteRegion(Caller caller, String id) {
    require(caller, "delete_region");
    rows.inTransaction(
        () -> {
          rows.region(id).orElseThrow(() -> notFound("region", id));
          List<CatalogRepository.Region> all = rows.regions();
          List<String> tree = subtree(id, all);
          Set<String> used = new HashSet<>();
          rows.endpoints().forEach(e -> used.add(e.regionId()));
          if (tree.stream().anyMatch(used::contains)) {
            throw ApiException.forbidden(
                "Unable to delete region "
                    + id
                    + " because it or its child regions have associated endpoints.");
          }
          tree.forEach(rows::deleteRegion);
          return null;
        });
  }

  /** The region and its descendants (a cycle stops the walk, as Keystone's does). */
  private static List<String> subtree(String id, List<CatalogRepository.Region> all) {
    List<String> out = new ArrayList<>(List.of(id));
    for (int i = 0; i < out.size(); i++) {
      String parent = out.get(i);
      for (CatalogRepository.Region r : all) {
        if (parent.equals(r.parentRegionId()) && !out.contains(r.id())) {
          out.add(r.id());
        }
      }
    }
    return out;
  }

  private static void checkRegionFields(ObjectNode ref) {
    nullableString(ref, "description");
    string(ref, "id");
    nullableString(ref, "parent_region_id");
  }

  // ---------------------------------------------------------------- services

  public List<CatalogRepository.Service> services(Caller caller, Map<String, String> filters) {
    require(caller, "list_services");
    return rows.services().stream()
        .filter(s -> matches(filters, "type", s.type()))
        .filter(s -> matches(filters, "name", CatalogViews.name(s)))
        .toList();
  }

  public CatalogRepository.Service service(Caller caller, String id) {
    require(caller, "get_service");
    return rows.service(id).orElseThrow(() -> notFound("service", id));
  }

  public CatalogRepository.Service createService(Caller caller, JsonNode body) {
    require(caller, "create_service");
    ObjectNode ref = member(body, "service");
    if (!ref.has("type")) {
      throw KeystoneErrors.schema("'type' is a required property");
    }
    checkServiceFields(ref);
    if (!ref.has("name")) {
      ref.put("name", "");
    }
    Boolean enabled = ref.has("enabled") ? ref.get("enabled").booleanValue() : true;
    CatalogRepository.Service service =
        new CatalogRepository.Service(
            newId(), ref.get("type").textValue(), enabled, extra(ref, "id", "type", "enabled"));
    rows.createService(service);
    return service;
  }

  public CatalogRepository.Service updateService(Caller caller, String id, JsonNode body) {
    require(caller, "update_service");
    ObjectNode ref = member(body, "service");
    checkServiceFields(ref);
    minProperties(ref);
    matchingId(ref, id);
    return rows.inTransaction(
        () -> {
          CatalogRepository.Service old =
              rows.service(id).orElseThrow(() -> notFound("service", id));
          CatalogRepository.Service updated =
              new CatalogRepository.Service(
                  id,
                  ref.has("type") ? ref.get("type").textValue() : old.type(),
                  ref.has("enabled") ? ref.get("enabled").booleanValue() : old.enabled(),
                  mergeExtra(old.extra(), ref, "id", "type", "enabled"));
          rows.updateService(updated);
          return updated;
        });
  }

  /** Deletes the service and its endpoints. */
  public void deleteService(Caller caller, String id) {
    require(caller, "delete_service");
    if (!rows.deleteService(id)) {
      throw notFound("service", id);
    }
  }

  private static void checkServiceFields(ObjectNode ref) {
    bool(ref, "enabled");
    name(ref, "name");
    JsonNode type = ref.get("type");
    if (type != null) {
      if (!type.isTextual()) {
        throw invalid("type", AuthRequest.repr(type) + " is not of type 'string'");
      }
      if (type.textValue().isEmpty()) {
        throw invalid("type", AuthRequest.repr(type) + " is too short");
      }
      if (type.textValue().length() > 255) {
        throw invalid("type", AuthRequest.repr(type) + " is too long");
      }
    }
  }

  // ---------------------------------------------------------------- endpoints

  public List<CatalogRepository.Endpoint> endpoints(Caller caller, Map<String, String> filters) {
    require(caller, "list_endpoints");
    return rows.endpoints().stream()
        .filter(e -> matches(filters, "interface", e.iface()))
        .filter(e -> matches(filters, "service_id", e.serviceId()))
        .filter(e -> matches(filters, "region_id", e.regionId()))
        .toList();
  }

  public CatalogRepository.Endpoint endpoint(Caller caller, String id) {
    require(caller, "get_endpoint");
    return rows.endpoint(id).orElseThrow(() -> notFound("endpoint", id));
  }

  public CatalogRepository.Endpoint createEndpoint(Caller caller, JsonNode body) {
    require(caller, "create_endpoint");
    ObjectNode ref = member(body, "endpoint");
    checkEndpointFields(ref);
    for (String required : List.of("interface", "service_id", "url")) {
      if (!ref.has(required)) {
        throw KeystoneErrors.schema("'" + required + "' is a required property");
      }
    }
    checkUrlTemplates(ref.get("url").textValue());
    return rows.inTransaction(
        () -> {
          String regionId = endpointRegion(ref);
          requireRegionAndService(regionId, ref.get("service_id").textValue());
          CatalogRepository.Endpoint endpoint =
              new CatalogRepository.Endpoint(
                  newId(),
                  ref.get("service_id").textValue(),
                  ref.get("interface").textValue(),
                  regionId,
                  ref.get("url").textValue(),
                  ref.has("enabled") ? ref.get("enabled").booleanValue() : true,
                  extra(ref, "id", "service_id", "interface", "region_id", "url", "enabled",
                      "legacy_endpoint_id"));
          rows.createEndpoint(endpoint);
          return endpoint;
        });
  }

  public CatalogRepository.Endpoint updateEndpoint(Caller caller, String id, JsonNode body) {
    require(caller, "update_endpoint");
    ObjectNode ref = member(body, "endpoint");
    checkEndpointFields(ref);
    minProperties(ref);
    matchingId(ref, id);
    return rows.inTransaction(
        () -> {
          boolean regionGiven = ref.has("region_id") || ref.has("region");
          String regionId = endpointRegion(ref);
          String serviceId = ref.has("service_id") ? ref.get("service_id").textValue() : null;
          requireRegionAndService(regionId, serviceId);
          CatalogRepository.Endpoint old =
              rows.endpoint(id).orElseThrow(() -> notFound("endpoint", id));
          CatalogRepository.Endpoint updated =
              new CatalogRepository.Endpoint(
                  id,
                  serviceId != null ? serviceId : old.serviceId(),
                  ref.has("interface") ? ref.get("interface").textValue() : old.iface(),
                  regionGiven ? regionId : old.regionId(),
                  ref.has("url") ? ref.get("url").textValue() : old.url(),
                  ref.has("enabled") ? ref.get("enabled").booleanValue() : old.enabled(),
                  mergeExtra(old.extra(), ref, "id", "service_id", "interface", "region_id",
                      "url", "enabled", "legacy_endpoint_id"));
          rows.updateEndpoint(updated);
          return updated;
        });
  }

  public void deleteEndpoint(Caller caller, String id) {
    require(caller, "delete_endpoint");
    if (!rows.deleteEndpoint(id)) {
      throw notFound("endpoint", id);
    }
  }

  /**
   * Keystone's {@code _validate_endpoint_region}: {@code region_id} is taken as given (and must
   * exist); the v2-style {@code region} alone names a region that is created when missing.
   */
  private String endpointRegion(ObjectNode ref) {
    String regionId = stringOrNull(ref.get("region_id"));
    String region = stringOrNull(ref.get("region"));
    if (regionId == null && region != null) {
      ref.remove("region");
      if (rows.region(region).isEmpty()) {
        rows.createRegion(new CatalogRepository.Region(region, "", null, "{}"));
      }
      return region;
    }
    return regionId;
  }

  private void requireRegionAndService(String regionId, String serviceId) {
    if (regionId != null && rows.region(regionId).isEmpty()) {
      throw KeystoneErrors.expecting("endpoint region_id", "region table");
    }
    if (serviceId != null && rows.service(serviceId).isEmpty()) {
      throw KeystoneErrors.expecting("endpoint service_id", "service table");
    }
  }

  private static void checkEndpointFields(ObjectNode ref) {
    bool(ref, "enabled");
    JsonNode iface = ref.get("interface");
    if (iface != null && !(iface.isTextual() && INTERFACES.contains(iface.textValue()))) {
      if (!iface.isTextual()) {
        throw invalid("interface", AuthRequest.repr(iface) + " is not of type 'string'");
      }
      throw invalid(
          "interface", AuthRequest.repr(iface) + " is not one of ['admin', 'internal', 'public']");
    }
    string(ref, "region_id");
    string(ref, "region");
    string(ref, "service_id");
    JsonNode url = ref.get("url");
    if (url != null) {
      if (!url.isTextual()) {
        throw invalid("url", AuthRequest.repr(url) + " is not of type 'string'");
      }
      if (url.textValue().length() > 225) {
        throw invalid("url", AuthRequest.repr(url) + " is too long");
      }
      if (!URL.matcher(url.textValue()).find()) {
        throw invalid(
            "url", AuthRequest.repr(url) + " does not match '^[a-zA-Z0-9+.-]+:.+'");
      }
    }
  }

  /** Keystone's {@code check_endpoint_url}: only its whitelisted substitutions. */
  private static void checkUrlTemplates(String url) {
    Matcher m = URL_TEMPLATE.matcher(url.replace("$(", "%("));
    while (m.find()) {
      if (!URL_PROPERTIES.contains(m.group(1))) {
        throw ApiException.badRequest(
            "Cannot create an endpoint with an invalid URL: " + url + ".");
      }
    }
  }

  // ---------------------------------------------------------------- endpoint groups

  public List<CatalogRepository.EndpointGroup> endpointGroups(
      Caller caller, Map<String, String> filters) {
    require(caller, "list_endpoint_groups");
    return rows.endpointGroups().stream()
        .filter(g -> matches(filters, "name", g.name()))
        .toList();
  }

  public CatalogRepository.EndpointGroup endpointGroup(Caller caller, String id) {
    require(caller, "get_endpoint_group");
    return group(id);
  }

  private CatalogRepository.EndpointGroup group(String id) {
    return rows.endpointGroup(id)
        .orElseThrow(() -> ApiException.notFound("Could not find Endpoint Group: " + id + "."));
  }

  public CatalogRepository.EndpointGroup createEndpointGroup(Caller caller, JsonNode body) {
    require(caller, "create_endpoint_group");
    ObjectNode ref = groupMember(body);
    for (String required : List.of("name", "filters")) {
      if (!ref.has(required)) {
        throw KeystoneErrors.schema("'" + required + "' is a required property");
      }
    }
    checkGroupFields(ref);
    if (ref.get("filters").isEmpty()) {
      throw ApiException.badRequest("filters field is required and cannot be empty");
    }
    validFilters(ref);
    CatalogRepository.EndpointGroup group =
        new CatalogRepository.EndpointGroup(
            newId(),
            ref.get("name").textValue(),
            stringOrNull(ref.get("description")),
            CatalogViews.extra(ref.get("filters")));
    rows.createEndpointGroup(group);
    return group;
  }

  public CatalogRepository.EndpointGroup updateEndpointGroup(
      Caller caller, String id, JsonNode body) {
    require(caller, "update_endpoint_group");
    ObjectNode ref = groupMember(body);
    checkGroupFields(ref);
    minProperties(ref);
    if (ref.has("filters")) {
      validFilters(ref);
    }
    matchingId(ref, id);
    return rows.inTransaction(
        () -> {
          CatalogRepository.EndpointGroup old = group(id);
          CatalogRepository.EndpointGroup updated =
              new CatalogRepository.EndpointGroup(
                  id,
                  ref.has("name") ? ref.get("name").textValue() : old.name(),
                  ref.has("description")
                      ? stringOrNull(ref.get("description"))
                      : old.description(),
                  ref.has("filters") ? CatalogViews.extra(ref.get("filters")) : old.filters());
          rows.updateEndpointGroup(updated);
          return updated;
        });
  }

  public void deleteEndpointGroup(Caller caller, String id) {
    require(caller, "delete_endpoint_group");
    if (!rows.deleteEndpointGroup(id)) {
      throw ApiException.notFound("Could not find Endpoint Group: " + id + ".");
    }
  }

  /** Endpoint groups are read with {@code .get('endpoint_group', {})}: absent is {@code {}}. */
  private static ObjectNode groupMember(JsonNode body) {
    return body.has("endpoint_group")
        ? member(body, "endpoint_group")
        : Json.MAPPER.createObjectNode();
  }

  private static void checkGroupFields(ObjectNode ref) {
    nullableString(ref, "description");
    name(ref, "name");
    JsonNode filters = ref.get("filters");
    if (filters != null && !filters.isObject()) {
      throw invalid("filters", AuthRequest.repr(filters) + " is not of type 'object'");
    }
  }

  private static void validFilters(ObjectNode ref) {
    for (String key : (Iterable<String>) () -> ref.get("filters").fieldNames()) {
      if (!GROUP_FILTERS.contains(key)) {
        throw KeystoneErrors.expecting(String.join(" or ", GROUP_FILTERS), "endpoint_group");
      }
    }
  }

  /** {@code GET …/endpoint_groups/{id}/endpoints}: the endpoints its filters match. */
  public List<CatalogRepository.Endpoint> groupEndpoints(Caller caller, String id) {
    require(caller, "list_endpoints_associated_with_endpoint_group");
    return ServiceCatalog.matching(group(id), rows.endpoints());
  }

  /** {@code GET …/endpoint_groups/{id}/projects}. */
  public List<Project> groupProjects(Caller caller, String id) {
    require(caller, "list_projects_associated_with_endpoint_group");
    return projects(rows.endpointGroupProjects(id));
  }

  /** {@code GET …/endpoint_groups/{g}/projects/{p}}: 404 unless associated. */
  public void checkGroupInProject(Caller caller, String groupId, String projectId) {
    require(caller, "get_endpoint_group_in_project");
    project(projectId);
    group(groupId);
    if (!rows.hasProjectEndpointGroup(groupId, projectId)) {
      throw ApiException.notFound("Endpoint Group Project Association not found");
    }
  }

  public void addGroupToProject(Caller caller, String groupId, String projectId) {
    require(caller, "add_endpoint_group_to_project");
    rows.inTransaction(
        () -> {
          project(projectId);
          group(groupId);
          if (!rows.addProjectEndpointGroup(groupId, projectId)) {
            throw ApiException.conflict(
                "Conflict occurred attempting to store project_endpoint_group - Duplicate entry.");
          }
          return null;
        });
  }

  public void removeGroupFromProject(Caller caller, String groupId, String projectId) {
    require(caller, "remove_endpoint_group_from_project");
    rows.inTransaction(
        () -> {
          project(projectId);
          group(groupId);
          if (!rows.removeProjectEndpointGroup(groupId, projectId)) {
            throw ApiException.notFound("Endpoint Group Project Association not found");
          }
          return null;
        });
  }

  /** {@code GET /v3/OS-EP-FILTER/projects/{id}/endpoint_groups}. */
  public List<CatalogRepository.EndpointGroup> projectGroups(Caller caller, String projectId) {
    require(caller, "list_endpoint_groups_for_project");
    project(projectId);
    List<CatalogRepository.EndpointGroup> out = new ArrayList<>();
    for (String id : rows.projectEndpointGroups(projectId)) {
      rows.endpointGroup(id).ifPresent(out::add);
    }
    return out;
  }

  // ---------------------------------------------------------------- project endpoints

  /** {@code GET /v3/OS-EP-FILTER/endpoints/{id}/projects}. */
  public List<Project> endpointProjects(Caller caller, String endpointId) {
    require(caller, "list_projects_for_endpoint");
    rows.endpoint(endpointId).orElseThrow(() -> notFound("endpoint", endpointId));
    return projects(rows.endpointProjects(endpointId));
  }

  public void checkEndpointInProject(Caller caller, String projectId, String endpointId) {
    require(caller, "check_endpoint_in_project");
    rows.endpoint(endpointId).orElseThrow(() -> notFound("endpoint", endpointId));
    project(projectId);
    if (!rows.hasProjectEndpoint(endpointId, projectId)) {
      throw endpointNotInProject(endpointId, projectId);
    }
  }

  public void addEndpointToProject(Caller caller, String projectId, String endpointId) {
    require(caller, "add_endpoint_to_project");
    rows.inTransaction(
        () -> {
          rows.endpoint(endpointId).orElseThrow(() -> notFound("endpoint", endpointId));
          project(projectId);
          if (!rows.addProjectEndpoint(endpointId, projectId)) {
            throw ApiException.conflict(
                "Conflict occurred attempting to store project_endpoint - Duplicate entry.");
          }
          return null;
        });
  }

  public void removeEndpointFromProject(Caller caller, String projectId, String endpointId) {
    require(caller, "remove_endpoint_from_project");
    if (!rows.removeProjectEndpoint(endpointId, projectId)) {
      throw endpointNotInProject(endpointId, projectId);
    }
  }

  /** {@code GET /v3/OS-EP-FILTER/projects/{id}/endpoints}: direct and through groups. */
  public List<CatalogRepository.Endpoint> projectEndpoints(Caller caller, String projectId) {
    require(caller, "list_endpoints_for_project");
    project(projectId);
    List<CatalogRepository.Endpoint> all = rows.endpoints();
    Set<String> ids = catalog.filteredEndpointIds(projectId, all);
    return all.stream().filter(e -> ids.contains(e.id())).toList();
  }

  private static ApiException endpointNotInProject(String endpointId, String projectId) {
    return ApiException.notFound(
        "Endpoint " + endpointId + " not found in project " + projectId);
  }

  private Project project(String id) {
    return identity.project(id).orElseThrow(() -> notFound("project", id));
  }

  private List<Project> projects(List<String> ids) {
    List<Project> out = new ArrayList<>();
    for (String id : ids) {
      identity.project(id).ifPresent(out::add);
    }
    return out;
  }

  // ---------------------------------------------------------------- request bodies

  /** The member object, which must be there ({@code request_body_json.get('region')}). */
  private static ObjectNode member(JsonNode body, String key) {
    JsonNode member = body.get(key);
    if (member == null || !member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    // Keystone's _normalize_dict: ':' and '-' in keys become '_'.
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> e : member.properties()) {
      out.set(e.getKey().replace(':', '_').replace('-', '_'), e.getValue());
    }
    return out;
  }

  private static void minProperties(ObjectNode ref) {
    if (ref.isEmpty()) {
      throw KeystoneErrors.schema("{} does not have enough properties");
    }
  }

  /** Keystone's {@code _require_matching_id}. */
  private static void matchingId(ObjectNode ref, String id) {
    JsonNode given = ref.get("id");
    if (given != null && !given.isNull() && !(given.isTextual() && given.textValue().equals(id))) {
      throw ApiException.badRequest("Cannot change ID");
    }
  }

  private static String extra(ObjectNode ref, String... columns) {
    ObjectNode extra = ref.deepCopy();
    extra.remove(List.of(columns));
    return CatalogViews.extra(extra);
  }

  private static String mergeExtra(String old, ObjectNode ref, String... columns) {
    ObjectNode merged = (ObjectNode) CatalogViews.json(old);
    ObjectNode changes = ref.deepCopy();
    changes.remove(List.of(columns));
    merged.setAll(changes);
    return CatalogViews.extra(merged);
  }

  private static boolean matches(Map<String, String> filters, String key, String value) {
    String wanted = filters.get(key);
    return wanted == null || wanted.equals(value);
  }

  private static String stringOrNull(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  private static void string(ObjectNode ref, String field) {
    JsonNode v = ref.get(field);
    if (v != null && !v.isTextual()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'string'");
    }
  }

  private static void nullableString(ObjectNode ref, String field) {
    JsonNode v = ref.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'string', 'null'");
    }
  }

  private static void bool(ObjectNode ref, String field) {
    JsonNode v = ref.get(field);
    if (v != null && !v.isBoolean()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'boolean'");
    }
  }

  /** Keystone's {@code parameter_types.name}: 1 to 255 characters, not all blank. */
  private static void name(ObjectNode ref, String field) {
    JsonNode v = ref.get(field);
    if (v == null) {
      return;
    }
    if (!v.isTextual()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'string'");
    }
    if (v.textValue().isEmpty()) {
      throw invalid(field, AuthRequest.repr(v) + " is too short");
    }
    if (v.textValue().length() > 255) {
      throw invalid(field, AuthRequest.repr(v) + " is too long");
    }
    if (v.textValue().isBlank()) {
      throw invalid(field, AuthRequest.repr(v) + " does not match '[\\\\S]+'");
    }
  }

  private static ApiException invalid(String field, String message) {
    return KeystoneErrors.schema("Invalid input for field '" + field + "': " + message);
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

}
