package dev.glint.identity;

import dev.glint.config.GlintConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The service catalog, built once from the configured public URLs: identity, compute and image,
 * each with a public, internal and admin endpoint in the configured region. Ids are name-based
 * UUIDs (32 hex characters), so every node and every restart hands out the same ones.
 */
public final class ServiceCatalog {
  static final List<String> INTERFACES = List.of("public", "internal", "admin");

  /** One endpoint; {@code url} may hold the {@code $(project_id)s} template. */
  public record Endpoint(String id, String iface, String region, String url) {}

  /** One service and its endpoints. */
  public record Service(String id, String type, String name, List<Endpoint> endpoints) {}

  private final List<Service> templates;

  public ServiceCatalog(GlintConfig config) {
    String region = config.region();
    // Order as a Zed Keystone lists them (keystone-06-catalog.txt): compute, image, identity.
    templates =
        List.of(
            service("compute", "nova", config.compute().publicUrl() + "/v2.1/$(project_id)s", region),
            service("image", "glance", config.image().publicUrl(), region),
            service("identity", "keystone", config.identity().publicUrl() + "/v3/", region));
  }

  private static Service service(String type, String name, String url, String region) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String iface : INTERFACES) {
      endpoints.add(new Endpoint(stableId("endpoint:" + type + ":" + iface), iface, region, url));
    }
    return new Service(stableId("service:" + type), type, name, List.copyOf(endpoints));
  }

  static String stableId(String name) {
    return UUID.nameUUIDFromBytes(("glint:" + name).getBytes(StandardCharsets.UTF_8))
        .toString()
        .replace("-", "");
  }

  /** The services with their endpoint URL templates, as {@code GET /v3/services|endpoints} show. */
  public List<Service> services() {
    return templates;
  }

  /** The one region every endpoint is in. */
  public String region() {
    return templates.get(0).endpoints().get(0).region();
  }

  /**
   * The catalog for a token scoped to {@code projectId}, templates filled in. For a null project,
   * endpoints that need one are dropped, as Keystone does; the service stays listed.
   */
  public List<Service> forProject(String projectId) {
    List<Service> out = new ArrayList<>(templates.size());
    for (Service s : templates) {
      List<Endpoint> endpoints = new ArrayList<>();
      for (Endpoint e : s.endpoints()) {
        if (!e.url().contains("$(project_id)s")) {
          endpoints.add(e);
        } else if (projectId != null) {
          endpoints.add(
              new Endpoint(e.id(), e.iface(), e.region(), e.url().replace("$(project_id)s", projectId)));
        }
      }
      out.add(new Service(s.id(), s.type(), s.name(), List.copyOf(endpoints)));
    }
    return out;
  }
}
