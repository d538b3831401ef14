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

/** The admin API subset (spec §6) against the real server. */
@ExtendWith(LogLeakCheck.class)
class AdminApiTest {
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
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    return server.send(b.build());
  }

  static JsonNode json(HttpResponse<String> r) {
    return TestServer.json(r.body());
  }

  static String message(HttpResponse<String> r) {
    return json(r).at("/error/message").asText();
  }

  static List<String> names(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("name").asText()));
    return out;
  }

  static String id(String collection, String name) {
    JsonNode found = json(call("GET", "/" + collection + "?name=" + name, admin, null)).get(collection);
    assertThat(found).hasSize(1);
    return found.get(0).get("id").asText();
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /projects, identity:list_projects",
    "POST, /projects, identity:create_project",
    "GET, /users, identity:list_users",
    "POST, /roles, identity:create_role",
    "GET, /roles, identity:list_roles",
    "GET, /role_assignments, identity:list_role_assignments",
    "GET, /domains, identity:list_domains",
  })
  void aNonAdminIsRefusedNamingThePolicy(String method, String path, String rule) {
    HttpResponse<String> r = call(method, path, demo, method.equals("POST") ? "{}" : null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r))
        .isEqualTo("You are not authorized to perform the requested action: " + rule + ".");
    assertThat(call(method, path, null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void domainsCanBeReadByIdAndName() {
    HttpResponse<String> r = call("GET", "/domains/default", demo, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("domain").toString())
        .isEqualTo(
            "{\"id\":\"default\",\"name\":\"Default\",\"description\":\"The default domain\","
                + "\"enabled\":true,\"tags\":[],\"options\":{},\"links\":{\"self\":\""
                + v3 + "/domains/default\"}}");
    JsonNode list = json(call("GET", "/domains?name=Default", admin, null));
    assertThat(names(list.get("domains"))).containsExactly("Default");
    assertThat(list.at("/links/self").asText()).isEqualTo(v3 + "/domains?name=Default");
    assertThat(message(call("GET", "/domains/nope", admin, null))).isEqualTo("Could not find domain: nope.");
  }

  @Test
  void projectLifecycle() {
    HttpResponse<String> created =
        call("POST", "/projects", admin, "{\"project\": {\"name\": \"lab\", \"description\": \"a lab\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode project = json(created).get("project");
    String id = project.get("id").asText();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(project.toString())
        .isEqualTo(
            "{\"id\":\"" + id + "\",\"name\":\"lab\",\"domain_id\":\"default\",\"description\":\"a lab\","
                + "\"enabled\":true,\"parent_id\":\"default\",\"is_domain\":false,\"tags\":[],"
                + "\"options\":{},\"links\":{\"self\":\"" + v3 + "/projects/" + id + "\"}}");

    HttpResponse<String> again = call("POST", "/projects", admin, "{\"project\": {\"name\": \"lab\"}}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(message(again))
        .startsWith(
            "Conflict occurred attempting to store project - it is not permitted to have two"
                + " projects with either the same name or same id in the same domain: name is lab,"
                + " project id ");

    assertThat(id("projects", "lab")).isEqualTo(id);
    assertThat(json(call("GET", "/projects/" + id, admin, null)).at("/project/name").asText()).isEqualTo("lab");
    HttpResponse<String> patched =
        call("PATCH", "/projects/" + id, admin, "{\"project\": {\"name\": \"lab2\", \"enabled\": false}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json(patched).at("/project/name").asText()).isEqualTo("lab2");
    assertThat(json(patched).at("/project/enabled").asBoolean()).isFalse();
    assertThat(json(call("GET", "/projects?name=lab2&enabled=false", admin, null)).get("projects"))
        .extracting(p -> p.get("id").asText())
        .containsExactly(id);

    assertThat(call("DELETE", "/projects/" + id, admin, null).statusCode()).isEqualTo(204);
    HttpResponse<String> gone = call("GET", "/projects/" + id, admin, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body())
        .isEqualTo(
            "{\"error\":{\"code\":404,\"message\":\"Could not find project: " + id + ".\",\"title\":\"Not Found\"}}");
    assertThat(call("DELETE", "/projects/" + id, admin, null).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no name | {\"project\": {}} | 'name' is a required property",
        "name not string | {\"project\": {\"name\": 5}} | Invalid input for field 'name': 5 is not of type 'string'",
        "empty name | {\"project\": {\"name\": \"\"}} | Invalid input for field 'name': '' is too short",
        "enabled not boolean | {\"project\": {\"name\": \"x\", \"enabled\": \"yes\"}} | Invalid input for field 'enabled': 'yes' is not of type 'boolean'",
        "unknown domain | {\"project\": {\"name\": \"x\", \"domain_id\": \"nope\"}} | Could not find domain: nope.",
      })
  void badProjectBodiesAre400(String why, String body, String expected) {
    HttpResponse<String> r = call("POST", "/projects", admin, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo(expected);
  }

  @Test
  void aProjectScopedTokenMayReadItsOwnProjectOnly() {
    String demoProject = id("projects", "demo");
    String adminProject = id("projects", "admin");
    assertThat(call("GET", "/projects/" + demoProject, demo, null).statusCode()).isEqualTo(200);
    HttpResponse<String> r = call("GET", "/projects/" + adminProject, demo, null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r))
        .isEqualTo("You are not authorized to perform the requested action: identity:get_project.");
  }

  @Test
  void aUserCreatedAndGrantedCanAuthenticateUntilTheGrantGoes() {
    HttpResponse<String> created =
        call(
            "POST",
            "/users",
            admin,
            "{\"user\": {\"name\": \"alice\", \"password\": \"alice-pw\", \"email\": \"a@example.org\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode user = json(created).get("user");
    String userId = user.get("id").asText();
    assertThat(user.get("email").asText()).isEqualTo("a@example.org");
    assertThat(user.has("password")).isFalse();
    assertThat(user.get("domain_id").asText()).isEqualTo("default");
    assertThat(user.get("password_expires_at").isNull()).isTrue();
    assertThat(created.body()).doesNotContain("alice-pw").doesNotContain("$2");

    HttpResponse<String> dup = call("POST", "/users", admin, "{\"user\": {\"name\": \"alice\"}}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo(
            "Conflict occurred attempting to store user - Duplicate entry found with name alice at"
                + " domain ID default.");

    String project = id("projects", "demo");
    String reader = id("roles", "reader");
    String grant = "/projects/" + project + "/users/" + userId + "/roles/" + reader;
    HttpResponse<String> missing = call("HEAD", grant, admin, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(message(call("GET", grant, admin, null)))
        .isEqualTo(
            "Could not find role assignment with role: " + reader + ", user or group: " + userId
                + ", project, domain, or system: " + project + ".");
    assertThat(call("PUT", grant, admin, null).statusCode()).isEqualTo(204);
    assertThat(call("PUT", grant, admin, null).statusCode()).isEqualTo(204);
    assertThat(call("HEAD", grant, admin, null).statusCode()).isEqualTo(204);
    assertThat(names(json(call("GET", "/projects/" + project + "/users/" + userId + "/roles", admin, null)).get("roles")))
        .containsExactly("reader");

    String token = server.token("alice", "alice-pw", "demo");
    assertThat(server.app().tokens().validate(token).orElseThrow().roles()).containsExactly("reader");

    JsonNode assignments =
        json(call("GET", "/role_assignments?user.id=" + userId + "&include_names", admin, null));
    assertThat(assignments.get("role_assignments")).hasSize(1);
    JsonNode a = assignments.at("/role_assignments/0");
    assertThat(a.at("/role/name").asText()).isEqualTo("reader");
    assertThat(a.at("/user/name").asText()).isEqualTo("alice");
    assertThat(a.at("/user/domain/name").asText()).isEqualTo("Default");
    assertThat(a.at("/scope/project/name").asText()).isEqualTo("demo");
    assertThat(a.at("/links/assignment").asText()).isEqualTo(v3 + grant);

    assertThat(call("DELETE", grant, admin, null).statusCode()).isEqualTo(204);
    HttpResponse<String> validated =
        server.send(
            HttpRequest.newBuilder(URI.create(v3 + "/auth/tokens"))
                .header("X-Auth-Token", admin)
                .header("X-Subject-Token", token)
                .GET()
                .build());
    assertThat(validated.statusCode()).isEqualTo(404);
    assertThat(message(validated)).isEqualTo("Failed to validate token");
    // The image and compute listeners validate without the store: the grant's removal reaches
    // them as a revocation event.
    assertThat(server.app().tokens().validate(token)).isEmpty();

    assertThat(call("DELETE", "/users/" + userId, admin, null).statusCode()).isEqualTo(204);
    assertThat(message(call("GET", "/users/" + userId, admin, null)))
        .isEqualTo("Could not find user: " + userId + ".");
  }

  @Test
  void aPasswordChangeEndsOldTokensButNotNewOnes() {
    String userId =
        json(call("POST", "/users", admin, "{\"user\": {\"name\": \"bob\", \"password\": \"one\"}}"))
            .at("/user/id")
            .asText();
    String project = id("projects", "demo");
    call("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + id("roles", "member"), admin, null);
    String old = server.token("bob", "one", "demo");

    assertThat(call("PATCH", "/users/" + userId, admin, "{\"user\": {\"password\": \"two\"}}").statusCode())
        .isEqualTo(200);
    String fresh = server.token("bob", "two", "demo");

    assertThat(server.app().tokens().validate(old)).isEmpty();
    assertThat(server.app().tokens().validate(fresh)).isPresent();
    assertThat(server.post(v3 + "/auth/tokens", AuthTokensTest.password(
            AuthTokensTest.byName("bob"), "one", null)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void aUserChangesTheirOwnPasswordWithTheOriginalOne() {
    String userId =
        json(call("POST", "/users", admin, "{\"user\": {\"name\": \"dave\", \"password\": \"old-pw\"}}"))
            .at("/user/id")
            .asText();
    call("PUT", "/projects/" + id("projects", "demo") + "/users/" + userId + "/roles/" + id("roles", "reader"), admin, null);
    String before = server.token("dave", "old-pw", "demo");

    HttpResponse<String> wrong =
        call("POST", "/users/" + userId + "/password", null,
            "{\"user\": {\"original_password\": \"nope\", \"password\": \"new-pw\"}}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    HttpResponse<String> missing =
        call("POST", "/users/" + userId + "/password", null, "{\"user\": {\"password\": \"new-pw\"}}");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(message(missing)).isEqualTo("'original_password' is a required property");

    HttpResponse<String> changed =
        call("POST", "/users/" + userId + "/password", null,
            "{\"user\": {\"original_password\": \"old-pw\", \"password\": \"new-pw\"}}");

    assertThat(changed.statusCode()).isEqualTo(204);
    assertThat(server.app().tokens().validate(before)).isEmpty();
    assertThat(server.token("dave", "new-pw", "demo")).isNotEmpty();
  }

  @Test
  void disablingAProjectEndsItsTokensAndItsLogins() {
    String project =
        json(call("POST", "/projects", admin, "{\"project\": {\"name\": \"shortlived\"}}"))
            .at("/project/id")
            .asText();
    String userId =
        json(call("POST", "/users", admin, "{\"user\": {\"name\": \"carol\", \"password\": \"pw\"}}"))
            .at("/user/id")
            .asText();
    call("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + id("roles", "reader"), admin, null);
    String scoped = server.token("carol", "pw", "shortlived");

    call("PATCH", "/projects/" + project, admin, "{\"project\": {\"enabled\": false}}");

    assertThat(server.app().tokens().validate(scoped)).isEmpty();
    assertThat(server.app().tokens().validate(admin)).isPresent();
    assertThat(server.post(v3 + "/auth/tokens", AuthTokensTest.password(
            AuthTokensTest.byName("carol"), "pw",
            "{\"project\": {\"id\": \"" + project + "\"}}")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void effectiveAssignmentsIncludeImpliedRoles() {
    String adminUser = id("users", "admin");
    JsonNode r =
        json(call("GET", "/role_assignments?user.id=" + adminUser + "&effective&include_names", admin, null));
    List<String> roles = new ArrayList<>();
    r.get("role_assignments").forEach(a -> roles.add(a.at("/role/name").asText()));
    assertThat(roles).containsExactly("admin", "member", "reader");
    String adminRole = id("roles", "admin");
    assertThat(r.at("/role_assignments/2/links/prior_role").asText()).isEqualTo(v3 + "/roles/" + adminRole);
    assertThat(json(call("GET", "/role_assignments?user.id=" + adminUser, admin, null)).get("role_assignments"))
        .hasSize(1);
  }

  @Test
  void usersReadThemselvesButNotOthers() {
    String demoUser = server.app().tokens().validate(demo).orElseThrow().userId();
    String adminUser = server.app().tokens().validate(admin).orElseThrow().userId();
    JsonNode me = json(call("GET", "/users/" + demoUser, demo, null)).get("user");
    assertThat(me.get("name").asText()).isEqualTo("demo");
    assertThat(me.get("default_project_id").asText()).isEqualTo(id("projects", "demo"));
    assertThat(call("GET", "/users/" + adminUser, demo, null).statusCode()).isEqualTo(403);
    assertThat(names(json(call("GET", "/users/" + demoUser + "/projects", demo, null)).get("projects")))
        .containsExactly("demo");
  }

  @Test
  void theSeededCatalogIsReadable() {
    JsonNode services = json(call("GET", "/services?type=compute", admin, null)).get("services");
    assertThat(services).hasSize(1);
    String compute = services.at("/0/id").asText();
    assertThat(services.at("/0/name").asText()).isEqualTo("nova");
    assertThat(json(call("GET", "/services/" + compute, admin, null)).at("/service/type").asText())
        .isEqualTo("compute");

    JsonNode endpoints =
        json(call("GET", "/endpoints?service_id=" + compute + "&interface=public", admin, null))
            .get("endpoints");
    assertThat(endpoints).hasSize(1);
    JsonNode endpoint = endpoints.get(0);
    assertThat(endpoint.get("url").asText()).isEqualTo(server.computeUrl() + "/v2.1/$(project_id)s");
    assertThat(endpoint.get("region_id").asText()).isEqualTo("RegionOne");
    assertThat(json(call("GET", "/endpoints", admin, null)).get("endpoints")).hasSize(9);
    assertThat(json(call("GET", "/endpoints/" + endpoint.get("id").asText(), admin, null))
            .at("/endpoint/interface").asText())
        .isEqualTo("public");
    assertThat(message(call("GET", "/endpoints/nope", admin, null))).isEqualTo("Could not find endpoint: nope.");

    assertThat(json(call("GET", "/regions", demo, null)).at("/regions/0/id").asText()).isEqualTo("RegionOne");
    assertThat(call("GET", "/regions/RegionTwo", demo, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/services", demo, null).statusCode()).isEqualTo(403);
  }

  @Test
  void roleLifecycle() {
    HttpResponse<String> created =
        call("POST", "/roles", admin, "{\"role\": {\"name\": \"auditor\", \"description\": \"reads\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    String id = json(created).at("/role/id").asText();
    assertThat(json(created).get("role").toString())
        .isEqualTo(
            "{\"id\":\"" + id + "\",\"name\":\"auditor\",\"domain_id\":null,\"description\":\"reads\","
                + "\"options\":{},\"links\":{\"self\":\"" + v3 + "/roles/" + id + "\"}}");
    HttpResponse<String> dup = call("POST", "/roles", admin, "{\"role\": {\"name\": \"auditor\"}}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo("Conflict occurred attempting to store role - Duplicate entry found with name auditor.");
    assertThat(json(call("PATCH", "/roles/" + id, admin, "{\"role\": {\"name\": \"auditors\"}}")).at("/role/name").asText())
        .isEqualTo("auditors");
    assertThat(call("DELETE", "/roles/" + id, admin, null).statusCode()).isEqualTo(204);
    assertThat(message(call("GET", "/roles/" + id, admin, null))).isEqualTo("Could not find role: " + id + ".");
  }
}
