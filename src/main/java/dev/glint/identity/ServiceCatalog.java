package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.config.GlintConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service catalog tokens carry, built from the catalog's rows ({@link CatalogRepository}) as
 * Keystone's {@code get_v3_catalog} builds it. Glint's own three services are seeded into those
 * rows at bootstrap, with name-based UUID ids (32 hex characters), so every node and every restart
 * agrees on them. Thread-safe.
 */
public final class ServiceCatalog {
  static final List<String> INTERFACES = List.of("public", "internal", "admin");

  /** One endpoint; {@code url} may hold the {@code $(project_id)s} template. */
  public record Endpoint(String id, String iface, String region, String url) {}

  /** One service and its endpoints. */
  public record Service(String id, String type, String name, List<Endpoint> endpoints) {}

  private static final Pattern TEMPLATE = Pattern.compile("[$%]\\(([^)]*)\\)s");

  private final CatalogRepository rows;

  public ServiceCatalog(CatalogRepository rows) {
    this.rows = rows;
  }

  CatalogRepository rows() {
    return rows;
  }

  static String stableId(String name) {
    return UUID.nameUUIDFromBytes(("glint:" + name).getBytes(StandardCharsets.UTF_8))
        .toString()
        .replace("-", "");
  }

  /**
   * Puts Glint's own services into the catalog as {@code keystone-manage bootstrap} does: the
   * configured region, then compute, image and identity (Zed's order, keystone-06-catalog.txt),
   * each with a public, internal and admin endpoint (the internal and admin ones at their
   * configured URLs, else the public one). What exists is kept, except that a seeded
   * endpoint's URL and region follow the configuration (a changed public URL takes effect on the
   * next start). Safe on every start and on several nodes at once.
   */
  void seed(GlintConfig config) {
    String region = config.region();
    rows.inTransaction(
        () -> {
          rows.createRegion(new CatalogRepository.Region(region, "", null, "{}"));
          seed("compute", "nova", config.compute(), "/v2.1/$(project_id)s", region);
          seed("image", "glance", config.image(), "", region);
          seed("identity", "keystone", config.identity(), "/v3/", region);
          return null;
        });
  }

  private void seed(
      String type, String name, GlintConfig.Listener listener, String suffix, String region) {
    String serviceId = stableId("service:" + type);
    rows.createService(
        new CatalogRepository.Service(
            serviceId, type, true, CatalogViews.extra(Map.of("name", name))));
    for (String iface : INTERFACES) {
      String base =
          switch (iface) {
            case "internal" -> listener.internalUrl().orElse(listener.publicUrl());
            case "admin" -> listener.adminUrl().orElse(listener.publicUrl());
            default -> listener.publicUrl();
          };
      String url = base + suffix;
      String id = stableId("endpoint:" + type + ":" + iface);
      CatalogRepository.Endpoint wanted =
          new CatalogRepository.Endpoint(id, serviceId, iface, region, url, true, "{}");
      if (!rows.createEndpoint(wanted)) {
        rows.endpoint(id)
            .filter(e -> !url.equals(e.url()) || !region.equals(e.regionId()))
            .ifPresent(
                e ->
                    rows.updateEndpoint(
                        new CatalogRepository.Endpoint(
                            e.id(), e.serviceId(), e.iface(), region, url, e.enabled(),
                            e.extra())));
      }
    }
  }

  /**
   * The catalog for a token scoped to {@code projectId} (null for other tokens): enabled services
   * with their enabled endpoints, templates filled in. Endpoints whose URL needs a project are
   * dropped when there is none; a service without endpoints stays listed. When the project has
   * endpoint filters (OS-EP-FILTER), only its endpoints are listed, and services left without one
   * are dropped, as in Keystone.
   */
  public List<Service> forProject(String projectId) {
    List<CatalogRepository.Endpoint> all = rows.endpoints();
    Set<String> filtered = projectId == null ? Set.of() : filteredEndpointIds(projectId, all);
    Map<String, List<Endpoint>> byService = new LinkedHashMap<>();
    for (CatalogRepository.Endpoint e : all) {
      if (!e.enabled() || (!filtered.isEmpty() && !filtered.contains(e.id()))) {
        continue;
      }
      String url = format(e.url(), projectId);
      if (url != null) {
        byService
            .computeIfAbsent(e.serviceId(), k -> new ArrayList<>())
            .add(new Endpoint(e.id(), e.iface(), e.regionId(), url));
      }
    }
    List<Service> out = new ArrayList<>();
    for (CatalogRepository.Service s : rows.services()) {
      if (!s.enabled()) {
        continue;
      }
      List<Endpoint> endpoints = byService.getOrDefault(s.id(), List.of());
      if (!filtered.isEmpty() && endpoints.isEmpty()) {
        continue;
      }
      out.add(new Service(s.id(), s.type(), CatalogViews.name(s), List.copyOf(endpoints)));
    }
    return out;
  }

  /**
   * The URL of the {@code image} service's {@code iface} endpoint in {@code region} (ignoring
   * case) in the catalog of a token scoped to {@code projectId}: {@code glance-download}'s lookup.
   */
  public java.util.Optional<String> imageEndpoint(String projectId, String region, String iface) {
    for (Service s : forProject(projectId)) {
      if (!s.type().equals("image")) {
        continue;
      }
      for (Endpoint e : s.endpoints()) {
        if (e.region() != null && e.region().equalsIgnoreCase(region) && e.iface().equals(iface)) {
          return java.util.Optional.of(e.url());
        }
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Keystone's {@code list_endpoints_for_project}: the project's own endpoints, plus those its
   * endpoint groups match. Empty when the project has no filter.
   */
  Set<String> filteredEndpointIds(String projectId, List<CatalogRepository.Endpoint> all) {
    Set<String> ids = new LinkedHashSet<>();
    Set<String> existing = new LinkedHashSet<>();
    all.forEach(e -> existing.add(e.id()));
    for (String id : rows.projectEndpoints(projectId)) {
      if (existing.contains(id)) {
        ids.add(id);
      }
    }
    for (String groupId : rows.projectEndpointGroups(projectId)) {
      rows.endpointGroup(groupId)
          .ifPresent(g -> matching(g, all).forEach(e -> ids.add(e.id())));
    }
    return ids;
  }

  /** The endpoints whose fields equal every one of the group's filters. */
  static List<CatalogRepository.Endpoint> matching(
      CatalogRepository.EndpointGroup group, List<CatalogRepository.Endpoint> all) {
    JsonNode filters = CatalogViews.json(group.filters());
    List<CatalogRepository.Endpoint> out = new ArrayList<>();
    for (CatalogRepository.Endpoint e : all) {
      boolean match = true;
      for (Map.Entry<String, JsonNode> f : filters.properties()) {
        String actual =
            switch (f.getKey()) {
              case "service_id" -> e.serviceId();
              case "region_id" -> e.regionId();
              case "interface" -> e.iface();
              default -> null;
            };
        if (actual == null || !f.getValue().isTextual() || !actual.equals(f.getValue().asText())) {
          match = false;
          break;
        }
      }
      if (match) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Keystone's {@code format_url}: {@code $(project_id)s}, {@code $(tenant_id)s} (and their
   * {@code %(…)s} forms) become the project id. Null when the URL needs a project and there is
   * none, or names a value Glint does not substitute (Keystone skips such a malformed endpoint).
   */
  static String format(String url, String projectId) {
    Matcher m = TEMPLATE.matcher(url);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      if ((key.equals("project_id") || key.equals("tenant_id")) && projectId != null) {
        m.appendReplacement(out, Matcher.quoteReplacement(projectId));
      } else {
        return null;
      }
    }
    m.appendTail(out);
    return out.toString();
  }
}
