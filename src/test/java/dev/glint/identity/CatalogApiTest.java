package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The editable catalog (regions, services, endpoints) and OS-EP-FILTER over HTTP, with Keystone
 * Zed's bodies and error texts; and the token catalog built from those rows.
 */
@ExtendWith(LogLeakCheck.class)
class CatalogApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(v3 + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.header("X-Auth-Token", token);
    return server.send(b.build());
  }

  static JsonNode ok(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body().isEmpty() ? null : TestServer.json(r.body());
  }

  static String error(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return TestServer.json(r.body()).at("/error/message").asText();
  }

  static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("id").asText()));
    return out;
  }

  static String service(String type) {
    return ok(201, call("POST", "/services", admin,
            "{\"service\": {\"type\": \"" + type + "\", \"name\": \"n-" + type + "\"}}"))
        .at("/service/id").asText();
  }

  static String endpoint(String service, String iface, String region, String url) {
    return ok(201, call("POST", "/endpoints", admin,
            "{\"endpoint\": {\"service_id\": \"" + service + "\", \"interface\": \"" + iface
                + "\", \"region_id\": \"" + region + "\", \"url\": \"" + url + "\"}}"))
        .at("/endpoint/id").asText();
  }

  static JsonNode catalogOf(String token) {
    return ok(200, call("GET", "/auth/catalog", token, null)).get("catalog");
  }

  static String demoProject() {
    return ok(200, call("GET", "/projects?name=demo", admin, null)).at("/projects/0/id").asText();
  }

  @Test
  void seededServicesAreEditableRows() {
    JsonNode services = ok(200, call("GET", "/services", admin, null)).get("services");
    assertThat(services).extracting(s -> s.get("type").asText())
        .startsWith("compute", "image", "identity");
    JsonNode compute = services.get(0);
    assertThat(compute.get("name").asText()).isEqualTo("nova");
    assertThat(compute.get("enabled").asBoolean()).isTrue();
    assertThat(compute.at("/links/self").asText())
        .isEqualTo(v3 + "/services/" + compute.get("id").asText());
    assertThat(ok(200, call("GET", "/regions/RegionOne", demo, null)).get("region").toString())
        .isEqualTo("{\"id\":\"RegionOne\",\"description\":\"\",\"parent_region_id\":null,"
            + "\"links\":{\"self\":\"" + v3 + "/regions/RegionOne\"}}");
  }

  @Test
  void regionLifecycle() {
    JsonNode parent = ok(201, call("POST", "/regions", admin,
        "{\"region\": {\"description\": \"top\", \"extra_field\": 1}}")).get("region");
    String parentId = parent.get("id").asText();
    assertThat(parentId).hasSize(32);
    assertThat(parent.get("extra_field").asInt()).isEqualTo(1);
    assertThat(parent.get("parent_region_id").isNull()).isTrue();

    JsonNode child = ok(201, call("PUT", "/regions/child-" + parentId, admin,
        "{\"region\": {\"parent_region_id\": \"" + parentId + "\"}}")).get("region");
    assertThat(child.get("id").asText()).isEqualTo("child-" + parentId);
    assertThat(child.get("description").asText()).isEmpty();
    assertThat(error(409, call("PUT", "/regions/child-" + parentId, admin, "{\"region\": {}}")))
        .isEqualTo("Conflict occurred attempting to store region - Duplicate ID, child-"
            + parentId + ".");
    assertThat(error(400, call("PUT", "/regions/a", admin, "{\"region\": {\"id\": \"b\"}}")))
        .isEqualTo("Conflicting region IDs specified: \"a\" != \"b\"");
    assertThat(error(404, call("POST", "/regions", admin,
        "{\"region\": {\"parent_region_id\": \"nowhere\"}}")))
        .isEqualTo("Could not find region: nowhere.");

    JsonNode listed = ok(200, call("GET", "/regions?parent_region_id=" + parentId, demo, null));
    assertThat(ids(listed.get("regions"))).containsExactly("child-" + parentId);
    assertThat(listed.at("/links/self").asText())
        .isEqualTo(v3 + "/regions?parent_region_id=" + parentId);

    JsonNode updated = ok(200, call("PATCH", "/regions/" + parentId, admin,
        "{\"region\": {\"description\": \"renamed\"}}")).get("region");
    assertThat(updated.get("description").asText()).isEqualTo("renamed");
    assertThat(updated.get("extra_field").asInt()).isEqualTo(1);
    assertThat(error(400, call("PATCH", "/regions/" + parentId, admin,
        "{\"region\": {\"parent_region_id\": \"child-" + parentId + "\"}}")))
        .isEqualTo("The specified parent region child-" + parentId
            + " would create a circular region hierarchy.");
    assertThat(error(400, call("PATCH", "/regions/" + parentId, admin, "{\"region\": {}}")))
        .isEqualTo("{} does not have enough properties");
    assertThat(error(400, call("PATCH", "/regions/" + parentId, admin,
        "{\"region\": {\"id\": \"other\"}}"))).isEqualTo("Cannot change ID");
    assertThat(error(403, call("POST", "/regions", demo, "{\"region\": {}}")))
        .isEqualTo("You are not authorized to perform the requested action: identity:create_region.");

    // An endpoint in the child blocks deleting the parent; without it both go.
    String svc = service("region-test");
    String ep = endpoint(svc, "public", "child-" + parentId, "http://x");
    assertThat(error(403, call("DELETE", "/regions/" + parentId, admin, null)))
        .isEqualTo("Unable to delete region " + parentId
            + " because it or its child regions have associated endpoints.");
    ok(204, call("DELETE", "/endpoints/" + ep, admin, null));
    ok(204, call("DELETE", "/regions/" + parentId, admin, null));
    assertThat(error(404, call("GET", "/regions/child-" + parentId, demo, null)))
        .isEqualTo("Could not find region: child-" + parentId + ".");
    assertThat(error(404, call("DELETE", "/regions/" + parentId, admin, null)))
        .isEqualTo("Could not find region: " + parentId + ".");
  }

  @Test
  void serviceLifecycle() {
    JsonNode created = ok(201, call("POST", "/services", admin,
        "{\"service\": {\"type\": \"volume\", \"description\": \"blocks\"}}")).get("service");
    String id = created.get("id").asText();
    assertThat(created.get("name").asText()).isEmpty();
    assertThat(created.get("enabled").asBoolean()).isTrue();
    assertThat(created.get("description").asText()).isEqualTo("blocks");

    JsonNode updated = ok(200, call("PATCH", "/services/" + id, admin,
        "{\"service\": {\"name\": \"cinder\", \"enabled\": false}}")).get("service");
    assertThat(updated.get("name").asText()).isEqualTo("cinder");
    assertThat(updated.get("description").asText()).isEqualTo("blocks");
    assertThat(updated.get("enabled").asBoolean()).isFalse();
    assertThat(ok(200, call("GET", "/services/" + id, admin, null)).get("service"))
        .isEqualTo(updated);
    assertThat(ids(ok(200, call("GET", "/services?type=volume&name=cinder", admin, null))
        .get("services"))).containsExactly(id);
    assertThat(ok(200, call("GET", "/services?name=nothing", admin, null)).get("services"))
        .isEmpty();

    String ep = endpoint(id, "internal", "RegionOne", "http://cinder");
    ok(204, call("DELETE", "/services/" + id, admin, null));
    assertThat(error(404, call("GET", "/services/" + id, admin, null)))
        .isEqualTo("Could not find service: " + id + ".");
    assertThat(error(404, call("GET", "/endpoints/" + ep, admin, null)))
        .isEqualTo("Could not find endpoint: " + ep + ".");
    assertThat(error(404, call("DELETE", "/services/" + id, admin, null)))
        .isEqualTo("Could not find service: " + id + ".");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/services|{\"service\": {}}|'type' is a required property",
        "/services|{}|None is not of type 'object'",
        "/services|{\"service\": {\"type\": 5}}|Invalid input for field 'type': 5 is not of type 'string'",
        "/services|{\"service\": {\"type\": \"x\", \"enabled\": \"yes\"}}|Invalid input for field 'enabled': 'yes' is not of type 'boolean'",
        "/endpoints|{\"endpoint\": {\"interface\": \"public\", \"url\": \"http://x\"}}|'service_id' is a required property",
        "/endpoints|{\"endpoint\": {\"service_id\": \"s\", \"interface\": \"outer\", \"url\": \"http://x\"}}|Invalid input for field 'interface': 'outer' is not one of ['admin', 'internal', 'public']",
        "/endpoints|{\"endpoint\": {\"service_id\": \"s\", \"interface\": \"public\", \"url\": \"nourl\"}}|Invalid input for field 'url': 'nourl' does not match '^[a-zA-Z0-9+.-]+:.+'",
        "/endpoints|{\"endpoint\": {\"service_id\": \"s\", \"interface\": \"public\", \"url\": \"http://x/$(who)s\"}}|Cannot create an endpoint with an invalid URL: http://x/$(who)s.",
        "/endpoints|{\"endpoint\": {\"service_id\": \"s\", \"interface\": \"public\", \"url\": \"http://x\", \"region_id\": \"nowhere\"}}|Expecting to find endpoint region_id in region table. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
        "/endpoints|{\"endpoint\": {\"service_id\": \"nothing\", \"interface\": \"public\", \"url\": \"http://x\"}}|Expecting to find endpoint service_id in service table. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
        "/OS-EP-FILTER/endpoint_groups|{\"endpoint_group\": {\"name\": \"g\"}}|'filters' is a required property",
        "/OS-EP-FILTER/endpoint_groups|{\"endpoint_group\": {\"name\": \"g\", \"filters\": {}}}|filters field is required and cannot be empty",
        "/OS-EP-FILTER/endpoint_groups|{\"endpoint_group\": {\"name\": \"g\", \"filters\": {\"url\": \"x\"}}}|Expecting to find service_id or region_id or interface in endpoint_group. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
      })
  void badCreatesAre400s(String path, String body, String message) {
    assertThat(error(400, call("POST", path, admin, body))).isEqualTo(message);
  }

  @Test
  void endpointLifecycleShowsInTokens() {
    String svc = service("lifecycle");
    JsonNode created = ok(201, call("POST", "/endpoints", admin,
        "{\"endpoint\": {\"service_id\": \"" + svc + "\", \"interface\": \"public\","
            + " \"region\": \"AutoRegion\", \"url\": \"http://life/$(tenant_id)s\"}}"))
        .get("endpoint");
    String id = created.get("id").asText();
    assertThat(created.get("region").asText()).isEqualTo("AutoRegion");
    assertThat(created.get("region_id").asText()).isEqualTo("AutoRegion");
    assertThat(created.get("enabled").asBoolean()).isTrue();
    assertThat(created.has("legacy_endpoint_id")).isFalse();
    ok(200, call("GET", "/regions/AutoRegion", admin, null));

    String project = demoProject();
    JsonNode entry = entryOf(catalogOf(demo), svc);
    assertThat(entry.get("name").asText()).isEqualTo("n-lifecycle");
    assertThat(entry.at("/endpoints/0/url").asText()).isEqualTo("http://life/" + project);
    assertThat(entry.at("/endpoints/0/region").asText()).isEqualTo("AutoRegion");

    assertThat(ids(ok(200, call("GET", "/endpoints?service_id=" + svc + "&interface=public",
        admin, null)).get("endpoints"))).containsExactly(id);
    assertThat(ok(200, call("GET", "/endpoints?service_id=" + svc + "&interface=admin",
        admin, null)).get("endpoints")).isEmpty();

    JsonNode updated = ok(200, call("PATCH", "/endpoints/" + id, admin,
        "{\"endpoint\": {\"enabled\": false, \"interface\": \"internal\"}}")).get("endpoint");
    assertThat(updated.get("enabled").asBoolean()).isFalse();
    assertThat(updated.get("interface").asText()).isEqualTo("internal");
    assertThat(updated.get("url").asText()).isEqualTo("http://life/$(tenant_id)s");
    assertThat(entryOf(catalogOf(demo), svc).get("endpoints")).isEmpty();
    assertThat(error(400, call("PATCH", "/endpoints/" + id, admin,
        "{\"endpoint\": {\"service_id\": \"gone\"}}")))
        .startsWith("Expecting to find endpoint service_id in service table.");
    assertThat(error(404, call("PATCH", "/endpoints/nope", admin,
        "{\"endpoint\": {\"enabled\": true}}"))).isEqualTo("Could not find endpoint: nope.");

    ok(200, call("PATCH", "/services/" + svc, admin, "{\"service\": {\"enabled\": false}}"));
    assertThat(catalogOf(demo).findValuesAsText("id")).doesNotContain(svc);
    ok(204, call("DELETE", "/endpoints/" + id, admin, null));
    assertThat(error(404, call("DELETE", "/endpoints/" + id, admin, null)))
        .isEqualTo("Could not find endpoint: " + id + ".");
    ok(204, call("DELETE", "/services/" + svc, admin, null));
  }

  static JsonNode entryOf(JsonNode catalog, String serviceId) {
    for (JsonNode s : catalog) {
      if (s.get("id").asText().equals(serviceId)) {
        return s;
      }
    }
    throw new AssertionError(serviceId + " not in " + catalog);
  }

  @Test
  void endpointFiltersNarrowTheProjectsCatalog() {
    String project = demoProject();
    String svc = service("filtered");
    String pub = endpoint(svc, "public", "RegionOne", "http://filtered/pub");
    String internal = endpoint(svc, "internal", "RegionOne", "http://filtered/int");
    String other = service("unfiltered");
    endpoint(other, "public", "RegionOne", "http://unfiltered");
    String eg = "/OS-EP-FILTER/endpoint_groups";

    JsonNode group = ok(201, call("POST", eg, admin,
        "{\"endpoint_group\": {\"name\": \"pub\", \"description\": null,"
            + " \"filters\": {\"service_id\": \"" + svc + "\", \"interface\": \"public\"}}}"))
        .get("endpoint_group");
    String gid = group.get("id").asText();
    assertThat(group.get("description").isNull()).isTrue();
    assertThat(group.at("/links/self").asText()).isEqualTo(v3 + eg + "/" + gid);
    assertThat(ids(ok(200, call("GET", eg + "/" + gid + "/endpoints", admin, null))
        .get("endpoints"))).containsExactly(pub);
    assertThat(ids(ok(200, call("GET", eg + "?name=pub", admin, null)).get("endpoint_groups")))
        .contains(gid);
    ok(200, call("HEAD", eg + "/" + gid, admin, null));

    // No filter yet: the whole catalog.
    assertThat(catalogOf(demo).findValuesAsText("id")).contains(svc, other);

    ok(204, call("PUT", eg + "/" + gid + "/projects/" + project, admin, null));
    assertThat(error(409, call("PUT", eg + "/" + gid + "/projects/" + project, admin, null)))
        .isEqualTo("Conflict occurred attempting to store project_endpoint_group - Duplicate entry.");
    JsonNode association =
        ok(200, call("GET", eg + "/" + gid + "/projects/" + project, admin, null))
            .get("project_endpoint_group");
    assertThat(association.get("endpoint_group_id").asText()).isEqualTo(gid);
    assertThat(association.at("/links/self").asText())
        .isEqualTo("/OS-EP-FILTER/endpoint_groups/" + gid + "/projects/" + project);
    assertThat(ids(ok(200, call("GET", eg + "/" + gid + "/projects", admin, null))
        .get("projects"))).containsExactly(project);
    assertThat(ids(ok(200, call("GET", "/OS-EP-FILTER/projects/" + project + "/endpoint_groups",
        admin, null)).get("endpoint_groups"))).containsExactly(gid);

    // Filtered: only the group's endpoint, and services left without one drop out.
    JsonNode catalog = catalogOf(demo);
    assertThat(catalog).hasSize(1);
    assertThat(ids(entryOf(catalog, svc).get("endpoints"))).containsExactly(pub);

    String pe = "/OS-EP-FILTER/projects/" + project + "/endpoints/" + internal;
    assertThat(error(404, call("GET", pe, admin, null)))
        .isEqualTo("Endpoint " + internal + " not found in project " + project);
    ok(204, call("PUT", pe, admin, null));
    ok(204, call("GET", pe, admin, null));
    assertThat(ids(ok(200, call("GET", "/OS-EP-FILTER/endpoints/" + internal + "/projects",
        admin, null)).get("projects"))).containsExactly(project);
    assertThat(ids(ok(200, call("GET", "/OS-EP-FILTER/projects/" + project + "/endpoints",
        admin, null)).get("endpoints"))).containsExactlyInAnyOrder(pub, internal);
    assertThat(ids(entryOf(catalogOf(demo), svc).get("endpoints")))
        .containsExactly(pub, internal);
    assertThat(error(403, call("GET", "/OS-EP-FILTER/projects/" + project + "/endpoints",
        demo, null))).endsWith("identity:list_endpoints_for_project.");

    JsonNode renamed = ok(200, call("PATCH", eg + "/" + gid, admin,
        "{\"endpoint_group\": {\"name\": \"renamed\"}}")).get("endpoint_group");
    assertThat(renamed.get("name").asText()).isEqualTo("renamed");
    assertThat(renamed.at("/filters/interface").asText()).isEqualTo("public");

    ok(204, call("DELETE", pe, admin, null));
    assertThat(error(404, call("DELETE", pe, admin, null)))
        .isEqualTo("Endpoint " + internal + " not found in project " + project);
    ok(204, call("DELETE", eg + "/" + gid + "/projects/" + project, admin, null));
    assertThat(error(404, call("GET", eg + "/" + gid + "/projects/" + project, admin, null)))
        .isEqualTo("Endpoint Group Project Association not found");
    assertThat(error(404, call("PUT", eg + "/" + gid + "/projects/nope", admin, null)))
        .isEqualTo("Could not find project: nope.");
    assertThat(catalogOf(demo).findValuesAsText("id")).contains(svc, other);

    ok(204, call("DELETE", eg + "/" + gid, admin, null));
    assertThat(error(404, call("GET", eg + "/" + gid, admin, null)))
        .isEqualTo("Could not find Endpoint Group: " + gid + ".");
    ok(204, call("DELETE", "/services/" + svc, admin, null));
    ok(204, call("DELETE", "/services/" + other, admin, null));
  }

  @Test
  void configuredInternalAndAdminUrlsAreSeeded() {
    try (TestServer other = TestServer.start(java.util.Map.of(
        "image.internal.url", "http://glance.internal:9292/",
        "compute.admin.url", "http://nova.admin:8774"))) {
      String token = other.adminToken();
      HttpResponse<String> r = other.get(other.identityUrl() + "/v3/endpoints", token);
      assertThat(r.statusCode()).isEqualTo(200);
      java.util.Map<String, String> urls = new java.util.HashMap<>();
      JsonNode services = TestServer.json(other.get(other.identityUrl() + "/v3/services", token)
          .body()).get("services");
      java.util.Map<String, String> types = new java.util.HashMap<>();
      services.forEach(sv -> types.put(sv.get("id").asText(), sv.get("type").asText()));
      TestServer.json(r.body()).get("endpoints").forEach(e -> urls.put(
          types.get(e.get("service_id").asText()) + ":" + e.get("interface").asText(),
          e.get("url").asText()));
      assertThat(urls).containsEntry("image:internal", "http://glance.internal:9292")
          .containsEntry("image:public", other.imageUrl())
          .containsEntry("compute:admin", "http://nova.admin:8774/v2.1/$(project_id)s")
          .containsEntry("compute:internal", other.computeUrl() + "/v2.1/$(project_id)s");
    }
  }
}
