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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keystone's account model over HTTP (issue 14, part A): domains, project hierarchy and tags,
 * groups, assignments of every kind counted in tokens and listed, implied roles, domain and system
 * scope. Runs on SQLite, and on PostgreSQL in the store matrix.
 */
@ExtendWith(LogLeakCheck.class)
class AccountModelTest {
  static final String PASSWORD = "account-model-secret";
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

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String create(String collection, String member, String body) {
    HttpResponse<String> r = call("POST", "/" + collection, admin, "{\"" + member + "\": " + body + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).at("/" + member + "/id").asText();
  }

  static String user(String name, String domainId) {
    return create(
        "users", "user",
        "{\"name\": \"" + name + "\", \"domain_id\": \"" + domainId + "\", \"password\": \"" + PASSWORD + "\"}");
  }

  static String role(String name) {
    return create("roles", "role", "{\"name\": \"" + name + "\"}");
  }

  static String project(String name, String extra) {
    return create("projects", "project", "{\"name\": \"" + name + "\"" + extra + "}");
  }

  static int status(String method, String path) {
    return call(method, path, admin, null).statusCode();
  }

  /** {@code POST /v3/auth/tokens} for a user by id with a scope (JSON), answered as is. */
  static HttpResponse<String> auth(String userId, String scope) {
    String body =
        """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"id": "%s",
          "password": "%s"}}}%s}}"""
            .formatted(userId, PASSWORD, scope == null ? "" : ", \"scope\": " + scope);
    return server.post(v3 + "/auth/tokens", body);
  }

  static List<String> roleNames(HttpResponse<String> token) {
    List<String> out = new ArrayList<>();
    json(token).at("/token/roles").forEach(r -> out.add(r.get("name").asText()));
    return out;
  }

  static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("id").asText()));
    return out;
  }

  // ---------------------------------------------------------------- domains

  @Test
  void domainsAreCreatedUpdatedAndDeletedOnlyOnceDisabled() {
    String name = unique("dom");
    HttpResponse<String> created =
        call("POST", "/domains", admin, "{\"domain\": {\"name\": \"" + name + "\", \"description\": \"d\"}}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode domain = json(created).get("domain");
    String id = domain.get("id").asText();
    assertThat(domain.get("enabled").asBoolean()).isTrue();
    assertThat(domain.at("/links/self").asText()).isEqualTo(v3 + "/domains/" + id);

    HttpResponse<String> dup = call("POST", "/domains", admin, "{\"domain\": {\"name\": \"" + name + "\"}}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(call("POST", "/domains", admin, "{\"domain\": {}}").statusCode()).isEqualTo(400);
    assertThat(call("POST", "/domains", demo, "{\"domain\": {\"name\": \"x\"}}").statusCode()).isEqualTo(403);

    JsonNode listed = json(call("GET", "/domains?name=" + name, admin, null));
    assertThat(ids(listed.get("domains"))).containsExactly(id);
    assertThat(listed.at("/links/self").asText()).isEqualTo(v3 + "/domains?name=" + name);

    // A user and a project inside, to see them go with the domain.
    String userId = user(unique("u"), id);
    String projectId = project(unique("p"), ", \"domain_id\": \"" + id + "\"");
    String groupId = create("groups", "group", "{\"name\": \"g\", \"domain_id\": \"" + id + "\"}");
    String roleId = create("roles", "role", "{\"name\": \"" + unique("r") + "\", \"domain_id\": \"" + id + "\"}");
    assertThat(status("PUT", "/domains/" + id + "/groups/" + groupId + "/roles/" + roleId)).isEqualTo(204);

    HttpResponse<String> enabled = call("DELETE", "/domains/" + id, admin, null);
    assertThat(enabled.statusCode()).isEqualTo(403);
    assertThat(message(enabled))
        .isEqualTo("Cannot delete a domain that is enabled, please disable it first.");

    HttpResponse<String> patched =
        call("PATCH", "/domains/" + id, admin, "{\"domain\": {\"enabled\": false, \"description\": \"off\"}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json(patched).at("/domain/enabled").asBoolean()).isFalse();
    assertThat(json(patched).at("/domain/description").asText()).isEqualTo("off");

    assertThat(status("DELETE", "/domains/" + id)).isEqualTo(204);
    assertThat(status("GET", "/domains/" + id)).isEqualTo(404);
    assertThat(status("GET", "/users/" + userId)).isEqualTo(404);
    assertThat(status("GET", "/projects/" + projectId)).isEqualTo(404);
    assertThat(status("GET", "/groups/" + groupId)).isEqualTo(404);
    assertThat(status("GET", "/roles/" + roleId)).isEqualTo(404);
    assertThat(json(call("GET", "/role_assignments?group.id=" + groupId, admin, null)).get("role_assignments"))
        .isEmpty();
    assertThat(status("DELETE", "/domains/" + id)).isEqualTo(404);
  }

  @Test
  void theDefaultDomainStays() {
    HttpResponse<String> unknown =
        call("PATCH", "/domains/nope", admin, "{\"domain\": {\"enabled\": false}}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(message(unknown)).isEqualTo("Could not find domain: nope.");
    HttpResponse<String> r = call("DELETE", "/domains/default", admin, null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(status("GET", "/domains/default")).isEqualTo(200);
  }

  @Test
  void aUserInAnUnknownDomainIs404() {
    HttpResponse<String> r =
        call("POST", "/users", admin, "{\"user\": {\"name\": \"x\", \"domain_id\": \"nowhere\"}}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(message(r)).isEqualTo("Could not find domain: nowhere.");
  }

  @Test
  void aProjectActingAsADomainIsADomain() {
    String name = unique("isdom");
    HttpResponse<String> r =
        call("POST", "/projects", admin, "{\"project\": {\"name\": \"" + name + "\", \"is_domain\": true}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode p = json(r).get("project");
    assertThat(p.get("is_domain").asBoolean()).isTrue();
    assertThat(p.get("domain_id").isNull()).isTrue();
    String id = p.get("id").asText();
    assertThat(status("GET", "/domains/" + id)).isEqualTo(200);
    assertThat(ids(json(call("GET", "/projects?is_domain=true", admin, null)).get("projects")))
        .contains(id, "default");
    assertThat(ids(json(call("GET", "/projects", admin, null)).get("projects"))).doesNotContain(id);
    // Addressed as a project, it is the domain: shown, updated, deleted once disabled.
    assertThat(json(call("GET", "/projects/" + id, admin, null)).at("/project/is_domain").asBoolean())
        .isTrue();
    HttpResponse<String> enabled = call("DELETE", "/projects/" + id, admin, null);
    assertThat(enabled.statusCode()).isEqualTo(400);
    assertThat(message(enabled))
        .isEqualTo("cannot delete an enabled project acting as a domain. Please disable the project "
            + id + " first.");
    HttpResponse<String> disabled =
        call("PATCH", "/projects/" + id, admin, "{\"project\": {\"enabled\": false}}");
    assertThat(json(disabled).at("/project/enabled").asBoolean()).isFalse();
    assertThat(status("DELETE", "/projects/" + id)).isEqualTo(204);
    assertThat(status("GET", "/domains/" + id)).isEqualTo(404);
    HttpResponse<String> child =
        call("POST", "/projects", admin,
            "{\"project\": {\"name\": \"x\", \"is_domain\": true, \"parent_id\": \"default\"}}");
    assertThat(child.statusCode()).isEqualTo(400);
    assertThat(message(child)).isEqualTo("only root projects are allowed to act as domains.");
  }

  // ---------------------------------------------------------------- project hierarchy

  @Test
  void projectsNestWithParentsAndSubtrees() {
    String top = project(unique("top"), "");
    String mid = project(unique("mid"), ", \"parent_id\": \"" + top + "\"");
    String leaf = project(unique("leaf"), ", \"parent_id\": \"" + mid + "\"");

    JsonNode leafBody = json(call("GET", "/projects/" + leaf, admin, null)).get("project");
    assertThat(leafBody.get("parent_id").asText()).isEqualTo(mid);
    assertThat(leafBody.get("domain_id").asText()).isEqualTo("default");

    JsonNode parents = json(call("GET", "/projects/" + leaf + "?parents_as_ids", admin, null));
    assertThat(parents.at("/project/parents").toString())
        .isEqualTo("{\"" + mid + "\":{\"" + top + "\":{\"default\":null}}}");
    JsonNode subtree = json(call("GET", "/projects/" + top + "?subtree_as_ids", admin, null));
    assertThat(subtree.at("/project/subtree").toString())
        .isEqualTo("{\"" + mid + "\":{\"" + leaf + "\":null}}");
    JsonNode parentList = json(call("GET", "/projects/" + leaf + "?parents_as_list=true", admin, null));
    assertThat(parentList.at("/project/parents/0/project/id").asText()).isEqualTo(mid);
    assertThat(parentList.at("/project/parents/1/project/id").asText()).isEqualTo(top);
    JsonNode subList = json(call("GET", "/projects/" + top + "?subtree_as_list=true", admin, null));
    assertThat(subList.at("/project/subtree").size()).isEqualTo(2);

    HttpResponse<String> both =
        call("GET", "/projects/" + leaf + "?parents_as_list&parents_as_ids", admin, null);
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(message(both))
        .isEqualTo("Cannot use parents_as_list and parents_as_ids query params at the same time.");

    assertThat(ids(json(call("GET", "/projects?parent_id=" + mid, admin, null)).get("projects")))
        .containsExactly(leaf);

    HttpResponse<String> notLeaf = call("DELETE", "/projects/" + mid, admin, null);
    assertThat(notLeaf.statusCode()).isEqualTo(403);
    assertThat(message(notLeaf)).startsWith("Cannot delete the project " + mid + " since it is not a leaf");
    HttpResponse<String> disable =
        call("PATCH", "/projects/" + mid, admin, "{\"project\": {\"enabled\": false}}");
    assertThat(disable.statusCode()).isEqualTo(403);
    HttpResponse<String> move =
        call("PATCH", "/projects/" + leaf, admin, "{\"project\": {\"parent_id\": \"" + top + "\"}}");
    assertThat(move.statusCode()).isEqualTo(403);
    assertThat(message(move)).isEqualTo("Update of `parent_id` is not allowed.");

    HttpResponse<String> unknown =
        call("POST", "/projects", admin, "{\"project\": {\"name\": \"x\", \"parent_id\": \"nope\"}}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(message(unknown)).isEqualTo("Could not find project: nope.");

    assertThat(status("DELETE", "/projects/" + leaf)).isEqualTo(204);
    assertThat(status("DELETE", "/projects/" + mid)).isEqualTo(204);
    assertThat(status("DELETE", "/projects/" + top)).isEqualTo(204);
  }

  // ---------------------------------------------------------------- project tags

  @Test
  void projectTagsAreKeptAndFilterTheList() {
    String tag = unique("t");
    String a = project(unique("ta"), ", \"tags\": [\"" + tag + "\", \"" + tag + "-a\"]");
    String b = project(unique("tb"), ", \"tags\": [\"" + tag + "\"]");
    assertThat(json(call("GET", "/projects/" + a, admin, null)).at("/project/tags").toString())
        .isEqualTo("[\"" + tag + "\",\"" + tag + "-a\"]");

    HttpResponse<String> put = call("PUT", "/projects/" + b + "/tags/" + tag + "-b", admin, null);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("Location")).contains(v3 + "/projects/" + b + "/tags/" + tag + "-b");
    assertThat(status("GET", "/projects/" + b + "/tags/" + tag + "-b")).isEqualTo(204);
    assertThat(status("HEAD", "/projects/" + b + "/tags/" + tag + "-b")).isEqualTo(204);
    HttpResponse<String> missing = call("GET", "/projects/" + b + "/tags/nope", admin, null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(message(missing)).isEqualTo("Could not find project tag: nope.");

    assertThat(ids(json(call("GET", "/projects?tags=" + tag + "," + tag + "-a", admin, null)).get("projects")))
        .containsExactly(a);
    assertThat(ids(json(call("GET", "/projects?tags-any=" + tag + "-a," + tag + "-b", admin, null)).get("projects")))
        .containsExactlyInAnyOrder(a, b);
    assertThat(ids(json(call("GET", "/projects?tags=" + tag + "&not-tags=" + tag + "-b", admin, null)).get("projects")))
        .containsExactly(a);
    assertThat(ids(json(call("GET", "/projects?tags=" + tag + "&not-tags-any=" + tag + "-a," + tag + "-b", admin, null)).get("projects")))
        .isEmpty();

    HttpResponse<String> replaced =
        call("PUT", "/projects/" + a + "/tags", admin, "{\"tags\": [\"x1\", \"x2\"]}");
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(json(replaced).get("tags").toString()).isEqualTo("[\"x1\",\"x2\"]");
    assertThat(json(call("GET", "/projects/" + a + "/tags", admin, null)).get("tags").toString())
        .isEqualTo("[\"x1\",\"x2\"]");
    assertThat(call("PUT", "/projects/" + a + "/tags", admin, "{\"tags\": [\"a,b\"]}").statusCode())
        .isEqualTo(400);
    assertThat(status("DELETE", "/projects/" + a + "/tags/x1")).isEqualTo(204);
    assertThat(status("DELETE", "/projects/" + a + "/tags/x1")).isEqualTo(404);
    assertThat(status("DELETE", "/projects/" + a + "/tags")).isEqualTo(204);
    assertThat(json(call("GET", "/projects/" + a + "/tags", admin, null)).get("tags").size()).isZero();
    assertThat(call("PUT", "/projects/" + a + "/tags/y", demo, null).statusCode()).isEqualTo(403);
    assertThat(status("GET", "/projects/nope/tags")).isEqualTo(404);
  }

  // ---------------------------------------------------------------- groups

  @Test
  void groupsHaveMembersAndTheirRolesCountInTokens() {
    String groupName = unique("grp");
    String group = create("groups", "group", "{\"name\": \"" + groupName + "\", \"description\": \"g\"}");
    assertThat(call("POST", "/groups", admin, "{\"group\": {\"name\": \"" + groupName + "\"}}").statusCode())
        .isEqualTo(409);
    assertThat(ids(json(call("GET", "/groups?name=" + groupName, admin, null)).get("groups")))
        .containsExactly(group);
    HttpResponse<String> renamed =
        call("PATCH", "/groups/" + group, admin, "{\"group\": {\"description\": \"new\"}}");
    assertThat(json(renamed).at("/group/description").asText()).isEqualTo("new");

    String userId = user(unique("gu"), "default");
    String project = project(unique("gp"), "");
    String memberRole = json(call("GET", "/roles?name=member", admin, null)).at("/roles/0/id").asText();

    assertThat(status("HEAD", "/groups/" + group + "/users/" + userId)).isEqualTo(404);
    assertThat(status("PUT", "/groups/" + group + "/users/" + userId)).isEqualTo(204);
    assertThat(status("HEAD", "/groups/" + group + "/users/" + userId)).isEqualTo(204);
    assertThat(status("PUT", "/groups/" + group + "/users/nobody")).isEqualTo(404);
    assertThat(ids(json(call("GET", "/groups/" + group + "/users", admin, null)).get("users")))
        .containsExactly(userId);
    assertThat(ids(json(call("GET", "/users/" + userId + "/groups", admin, null)).get("groups")))
        .containsExactly(group);

    // No role yet: no token on the project.
    String scope = "{\"project\": {\"id\": \"" + project + "\"}}";
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);
    assertThat(status("PUT", "/projects/" + project + "/groups/" + group + "/roles/" + memberRole))
        .isEqualTo(204);
    assertThat(status("HEAD", "/projects/" + project + "/groups/" + group + "/roles/" + memberRole))
        .isEqualTo(204);
    assertThat(ids(json(call("GET", "/projects/" + project + "/groups/" + group + "/roles", admin, null)).get("roles")))
        .containsExactly(memberRole);
    HttpResponse<String> token = auth(userId, scope);
    assertThat(token.statusCode()).isEqualTo(201);
    assertThat(roleNames(token)).containsExactly("member", "reader");
    assertThat(ids(json(call("GET", "/users/" + userId + "/projects", admin, null)).get("projects")))
        .containsExactly(project);

    // As listed: the group's assignment; effective, the member's, with its membership link.
    JsonNode plain = json(call("GET", "/role_assignments?scope.project.id=" + project, admin, null));
    assertThat(plain.at("/role_assignments/0/group/id").asText()).isEqualTo(group);
    assertThat(plain.at("/role_assignments/0/links/assignment").asText())
        .isEqualTo(v3 + "/projects/" + project + "/groups/" + group + "/roles/" + memberRole);
    JsonNode effective =
        json(call("GET", "/role_assignments?effective&include_names&scope.project.id=" + project, admin, null));
    assertThat(effective.get("role_assignments")).hasSize(2);
    JsonNode first = effective.at("/role_assignments/0");
    assertThat(first.at("/user/id").asText()).isEqualTo(userId);
    assertThat(first.at("/role/name").asText()).isEqualTo("member");
    assertThat(first.at("/scope/project/domain/name").asText()).isEqualTo("Default");
    assertThat(first.at("/links/membership").asText()).isEqualTo(v3 + "/groups/" + group + "/users/" + userId);
    assertThat(effective.at("/role_assignments/1/links/prior_role").asText()).isEqualTo(v3 + "/roles/" + memberRole);
    HttpResponse<String> both = call("GET", "/role_assignments?effective&group.id=" + group, admin, null);
    assertThat(both.statusCode()).isEqualTo(400);

    // Leaving the group ends the role, and the token.
    String subject = token.headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(status("DELETE", "/groups/" + group + "/users/" + userId)).isEqualTo(204);
    assertThat(status("DELETE", "/groups/" + group + "/users/" + userId)).isEqualTo(404);
    HttpResponse<String> validated =
        server.send(
            HttpRequest.newBuilder(URI.create(v3 + "/auth/tokens"))
                .header("X-Auth-Token", admin)
                .header("X-Subject-Token", subject)
                .GET()
                .build());
    assertThat(validated.statusCode()).isEqualTo(404);
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);

    assertThat(status("DELETE", "/projects/" + project + "/groups/" + group + "/roles/" + memberRole))
        .isEqualTo(204);
    assertThat(status("DELETE", "/projects/" + project + "/groups/" + group + "/roles/" + memberRole))
        .isEqualTo(404);
    assertThat(status("DELETE", "/groups/" + group)).isEqualTo(204);
    assertThat(status("GET", "/groups/" + group)).isEqualTo(404);
    assertThat(message(call("GET", "/groups/" + group, admin, null)))
        .isEqualTo("Could not find group: " + group + ".");
    assertThat(call("GET", "/groups", demo, null).statusCode()).isEqualTo(403);
  }

  // ---------------------------------------------------------------- domain and system scope

  @Test
  void aDomainRoleGivesADomainScopedToken() {
    String userId = user(unique("du"), "default");
    String adminRole = json(call("GET", "/roles?name=admin", admin, null)).at("/roles/0/id").asText();
    String scope = "{\"domain\": {\"id\": \"default\"}}";
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);

    assertThat(status("PUT", "/domains/default/users/" + userId + "/roles/" + adminRole)).isEqualTo(204);
    assertThat(status("GET", "/domains/default/users/" + userId + "/roles/" + adminRole)).isEqualTo(204);
    HttpResponse<String> token = auth(userId, scope);
    assertThat(token.statusCode()).isEqualTo(201);
    JsonNode body = json(token).get("token");
    assertThat(body.at("/domain/id").asText()).isEqualTo("default");
    assertThat(body.at("/domain/name").asText()).isEqualTo("Default");
    assertThat(body.has("project")).isFalse();
    assertThat(roleNames(token)).containsExactly("admin", "member", "reader");
    assertThat(body.get("catalog").size()).isPositive();

    // The domain admin token works on the admin API, and validates as domain-scoped.
    String subject = token.headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(call("GET", "/groups", subject, null).statusCode()).isEqualTo(200);
    HttpResponse<String> validated =
        server.send(
            HttpRequest.newBuilder(URI.create(v3 + "/auth/tokens"))
                .header("X-Auth-Token", admin)
                .header("X-Subject-Token", subject)
                .GET()
                .build());
    assertThat(json(validated).at("/token/domain/id").asText()).isEqualTo("default");

    JsonNode listed =
        json(call("GET", "/role_assignments?scope.domain.id=default&user.id=" + userId, admin, null));
    assertThat(listed.at("/role_assignments/0/scope/domain/id").asText()).isEqualTo("default");
    assertThat(listed.at("/role_assignments/0/links/assignment").asText())
        .isEqualTo(v3 + "/domains/default/users/" + userId + "/roles/" + adminRole);

    assertThat(status("DELETE", "/domains/default/users/" + userId + "/roles/" + adminRole)).isEqualTo(204);
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/groups", subject, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aSystemRoleGivesASystemScopedToken() {
    String userId = user(unique("su"), "default");
    String readerRole = json(call("GET", "/roles?name=reader", admin, null)).at("/roles/0/id").asText();
    String scope = "{\"system\": {\"all\": true}}";
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);
    assertThat(status("PUT", "/system/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    assertThat(status("HEAD", "/system/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    assertThat(ids(json(call("GET", "/system/users/" + userId + "/roles", admin, null)).get("roles")))
        .containsExactly(readerRole);
    HttpResponse<String> token = auth(userId, scope);
    assertThat(token.statusCode()).isEqualTo(201);
    assertThat(json(token).at("/token/system/all").asBoolean()).isTrue();
    assertThat(roleNames(token)).containsExactly("reader");
    JsonNode listed = json(call("GET", "/role_assignments?scope.system=all&user.id=" + userId, admin, null));
    assertThat(listed.at("/role_assignments/0/scope/system/all").asBoolean()).isTrue();
    assertThat(status("DELETE", "/system/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    assertThat(status("GET", "/system/users/" + userId + "/roles/" + readerRole)).isEqualTo(404);
    assertThat(call("PUT", "/system/users/" + userId + "/roles/" + readerRole, demo, null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aGroupsDomainSystemAndInheritedRolesReachItsMembers() {
    String group = create("groups", "group", "{\"name\": \"" + unique("g2") + "\"}");
    String userId = user(unique("gm"), "default");
    String project = project(unique("gproj"), "");
    String readerRole = json(call("GET", "/roles?name=reader", admin, null)).at("/roles/0/id").asText();
    assertThat(status("PUT", "/groups/" + group + "/users/" + userId)).isEqualTo(204);

    String onDomain = "/domains/default/groups/" + group + "/roles/" + readerRole;
    assertThat(status("PUT", onDomain)).isEqualTo(204);
    assertThat(status("HEAD", onDomain)).isEqualTo(204);
    assertThat(ids(json(call("GET", "/domains/default/groups/" + group + "/roles", admin, null)).get("roles")))
        .containsExactly(readerRole);
    assertThat(roleNames(auth(userId, "{\"domain\": {\"name\": \"Default\"}}"))).containsExactly("reader");

    String onSystem = "/system/groups/" + group + "/roles/" + readerRole;
    assertThat(status("PUT", onSystem)).isEqualTo(204);
    assertThat(ids(json(call("GET", "/system/groups/" + group + "/roles", admin, null)).get("roles")))
        .containsExactly(readerRole);
    assertThat(auth(userId, "{\"system\": {\"all\": true}}").statusCode()).isEqualTo(201);

    String inherited =
        "/OS-INHERIT/domains/default/groups/" + group + "/roles/" + readerRole + "/inherited_to_projects";
    assertThat(status("PUT", inherited)).isEqualTo(204);
    assertThat(status("GET", inherited)).isEqualTo(204);
    assertThat(auth(userId, "{\"project\": {\"id\": \"" + project + "\"}}").statusCode()).isEqualTo(201);
    JsonNode effective =
        json(call("GET", "/role_assignments?effective&user.id=" + userId + "&scope.project.id=" + project, admin, null));
    assertThat(effective.at("/role_assignments/0/links/assignment").asText()).isEqualTo(v3 + inherited);
    assertThat(effective.at("/role_assignments/0/links/membership").asText())
        .isEqualTo(v3 + "/groups/" + group + "/users/" + userId);

    // Unknown parts of a grant: 404 naming the first missing one.
    HttpResponse<String> noRole = call("PUT", "/domains/default/groups/" + group + "/roles/nope", admin, null);
    assertThat(noRole.statusCode()).isEqualTo(404);
    assertThat(message(noRole)).isEqualTo("Could not find role: nope.");
    assertThat(message(call("PUT", "/domains/default/groups/nope/roles/" + readerRole, admin, null)))
        .isEqualTo("Could not find group: nope.");
    assertThat(message(call("PUT", "/domains/nope/groups/" + group + "/roles/" + readerRole, admin, null)))
        .isEqualTo("Could not find domain: nope.");
    HttpResponse<String> none = call("HEAD", "/projects/" + project + "/groups/" + group + "/roles/" + readerRole, admin, null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(message(call("GET", "/projects/" + project + "/groups/" + group + "/roles/" + readerRole, admin, null)))
        .isEqualTo("Could not find role assignment with role: " + readerRole + ", user or group: " + group
            + ", project, domain, or system: " + project + ".");

    // Deleting the group takes its assignments.
    assertThat(status("DELETE", "/groups/" + group)).isEqualTo(204);
    assertThat(json(call("GET", "/role_assignments?group.id=" + group, admin, null)).get("role_assignments"))
        .isEmpty();
    assertThat(auth(userId, "{\"system\": {\"all\": true}}").statusCode()).isEqualTo(401);
  }

  // ---------------------------------------------------------------- OS-INHERIT

  @Test
  void inheritedAssignmentsReachTheProjectsBelow() {
    String userId = user(unique("iu"), "default");
    String top = project(unique("itop"), "");
    String child = project(unique("ichild"), ", \"parent_id\": \"" + top + "\"");
    String memberRole = json(call("GET", "/roles?name=member", admin, null)).at("/roles/0/id").asText();
    String path =
        "/OS-INHERIT/projects/" + top + "/users/" + userId + "/roles/" + memberRole + "/inherited_to_projects";
    assertThat(status("PUT", path)).isEqualTo(204);
    assertThat(status("HEAD", path)).isEqualTo(204);
    // Inherited: the child, not the project itself.
    assertThat(auth(userId, "{\"project\": {\"id\": \"" + child + "\"}}").statusCode()).isEqualTo(201);
    assertThat(auth(userId, "{\"project\": {\"id\": \"" + top + "\"}}").statusCode()).isEqualTo(401);

    JsonNode listed =
        json(call("GET", "/role_assignments?scope.OS-INHERIT:inherited_to=projects&user.id=" + userId, admin, null));
    assertThat(listed.get("role_assignments")).hasSize(1);
    assertThat(listed.at("/role_assignments/0/scope/OS-INHERIT:inherited_to").asText()).isEqualTo("projects");
    assertThat(listed.at("/role_assignments/0/links/assignment").asText()).isEqualTo(v3 + path);
    JsonNode effective =
        json(call("GET", "/role_assignments?effective&user.id=" + userId + "&role.id=" + memberRole, admin, null));
    assertThat(effective.get("role_assignments")).hasSize(1);
    assertThat(effective.at("/role_assignments/0/scope/project/id").asText()).isEqualTo(child);

    // Domain-wide inheritance reaches every project of the domain.
    String other = user(unique("iu2"), "default");
    String domainPath =
        "/OS-INHERIT/domains/default/users/" + other + "/roles/" + memberRole + "/inherited_to_projects";
    assertThat(status("PUT", domainPath)).isEqualTo(204);
    assertThat(auth(other, "{\"project\": {\"id\": \"" + top + "\"}}").statusCode()).isEqualTo(201);
    assertThat(ids(json(call("GET", "/OS-INHERIT/domains/default/users/" + other + "/roles/inherited_to_projects", admin, null)).get("roles")))
        .containsExactly(memberRole);
    assertThat(status("DELETE", domainPath)).isEqualTo(204);
    assertThat(status("DELETE", path)).isEqualTo(204);
    assertThat(status("DELETE", path)).isEqualTo(404);
  }

  // ---------------------------------------------------------------- implied roles

  @Test
  void impliedRolesAreRulesAppliedInTokens() {
    String prior = role(unique("prior"));
    String implied = role(unique("implied"));
    HttpResponse<String> created = call("PUT", "/roles/" + prior + "/implies/" + implied, admin, null);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(json(created).at("/role_inference/prior_role/id").asText()).isEqualTo(prior);
    assertThat(json(created).at("/role_inference/implies/id").asText()).isEqualTo(implied);
    assertThat(status("HEAD", "/roles/" + prior + "/implies/" + implied)).isEqualTo(204);
    assertThat(json(call("GET", "/roles/" + prior + "/implies/" + implied, admin, null))
            .at("/role_inference/implies/id").asText())
        .isEqualTo(implied);
    assertThat(ids(json(call("GET", "/roles/" + prior + "/implies", admin, null)).at("/role_inference/implies")))
        .containsExactly(implied);
    List<String> priors = new ArrayList<>();
    json(call("GET", "/role_inferences", admin, null))
        .get("role_inferences")
        .forEach(i -> priors.add(i.at("/prior_role/id").asText()));
    assertThat(priors).contains(prior);

    String adminRole = json(call("GET", "/roles?name=admin", admin, null)).at("/roles/0/id").asText();
    HttpResponse<String> toAdmin = call("PUT", "/roles/" + prior + "/implies/" + adminRole, admin, null);
    assertThat(toAdmin.statusCode()).isEqualTo(403);
    assertThat(message(toAdmin)).isEqualTo(adminRole + " cannot be an implied roles.");
    assertThat(status("PUT", "/roles/" + implied + "/implies/" + prior)).isEqualTo(403);

    String userId = user(unique("ru"), "default");
    String project = project(unique("rp"), "");
    assertThat(status("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + prior)).isEqualTo(204);
    HttpResponse<String> token = auth(userId, "{\"project\": {\"id\": \"" + project + "\"}}");
    assertThat(ids(json(token).at("/token/roles"))).containsExactly(prior, implied);

    assertThat(status("DELETE", "/roles/" + prior + "/implies/" + implied)).isEqualTo(204);
    HttpResponse<String> gone = call("GET", "/roles/" + prior + "/implies/" + implied, admin, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(message(gone)).isEqualTo(prior + " does not imply " + implied + ".");
    assertThat(call("GET", "/role_inferences", demo, null).statusCode()).isEqualTo(403);
  }

  @Test
  void domainSpecificRolesCountOnlyThroughWhatTheyImply() {
    String domainRole =
        create("roles", "role", "{\"name\": \"" + unique("dr") + "\", \"domain_id\": \"default\"}");
    assertThat(json(call("GET", "/roles/" + domainRole, admin, null)).at("/role/domain_id").asText())
        .isEqualTo("default");
    assertThat(ids(json(call("GET", "/roles?domain_id=default", admin, null)).get("roles")))
        .contains(domainRole);
    assertThat(ids(json(call("GET", "/roles", admin, null)).get("roles"))).doesNotContain(domainRole);
    assertThat(call("POST", "/roles", admin, "{\"role\": {\"name\": \"x\", \"domain_id\": \"nope\"}}").statusCode())
        .isEqualTo(404);

    String userId = user(unique("dru"), "default");
    String project = project(unique("drp"), "");
    assertThat(status("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + domainRole)).isEqualTo(204);
    String scope = "{\"project\": {\"id\": \"" + project + "\"}}";
    assertThat(auth(userId, scope).statusCode()).isEqualTo(401);
    assertThat(json(call("GET", "/role_assignments?effective&user.id=" + userId, admin, null)).get("role_assignments"))
        .isEmpty();

    String global = role(unique("gl"));
    assertThat(status("PUT", "/roles/" + global + "/implies/" + domainRole)).isEqualTo(403);
    assertThat(status("PUT", "/roles/" + domainRole + "/implies/" + global)).isEqualTo(201);
    HttpResponse<String> token = auth(userId, scope);
    assertThat(ids(json(token).at("/token/roles"))).containsExactly(global);
    assertThat(status("DELETE", "/roles/" + domainRole)).isEqualTo(204);
    assertThat(ids(json(call("GET", "/roles?domain_id=default", admin, null)).get("roles")))
        .doesNotContain(domainRole);
  }

  @Test
  void theAuthApiListsTheDomainAndSystemScopesACallerMayTake() {
    String userId = user(unique("au"), "default");
    String readerRole = json(call("GET", "/roles?name=reader", admin, null)).at("/roles/0/id").asText();
    String project = project(unique("ap"), "");
    assertThat(status("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    String token =
        auth(userId, "{\"project\": {\"id\": \"" + project + "\"}}").headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(json(call("GET", "/auth/domains", token, null)).get("domains")).isEmpty();
    assertThat(json(call("GET", "/auth/system", token, null)).get("system")).isEmpty();

    assertThat(status("PUT", "/domains/default/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    assertThat(status("PUT", "/system/users/" + userId + "/roles/" + readerRole)).isEqualTo(204);
    String again =
        auth(userId, "{\"project\": {\"id\": \"" + project + "\"}}").headers().firstValue("X-Subject-Token").orElseThrow();
    assertThat(ids(json(call("GET", "/auth/domains", again, null)).get("domains"))).containsExactly("default");
    assertThat(json(call("GET", "/auth/system", again, null)).at("/system/0/all").asBoolean()).isTrue();
    assertThat(call("GET", "/auth/domains", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void anApplicationCredentialMayNameARoleGrantedAfterItsToken() {
    String userId = user(unique("acu"), "default");
    String project = project(unique("acp"), "");
    String memberRole = json(call("GET", "/roles?name=member", admin, null)).at("/roles/0/id").asText();
    assertThat(status("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + memberRole)).isEqualTo(204);
    String token =
        auth(userId, "{\"project\": {\"id\": \"" + project + "\"}}").headers().firstValue("X-Subject-Token").orElseThrow();
    String later = role(unique("later"));
    String body = "{\"application_credential\": {\"name\": \"ac\", \"roles\": [{\"id\": \"" + later + "\"}]}}";
    assertThat(call("POST", "/users/" + userId + "/application_credentials", token, body).statusCode())
        .isEqualTo(400);
    assertThat(status("PUT", "/projects/" + project + "/users/" + userId + "/roles/" + later)).isEqualTo(204);
    HttpResponse<String> created = call("POST", "/users/" + userId + "/application_credentials", token, body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(ids(json(created).at("/application_credential/roles"))).containsExactly(later);
  }

  @Test
  void deletingARoleOrUserForgetsTheirAssignments() {
    String userId = user(unique("xu"), "default");
    String extra = role(unique("extra"));
    assertThat(status("PUT", "/domains/default/users/" + userId + "/roles/" + extra)).isEqualTo(204);
    assertThat(status("DELETE", "/roles/" + extra)).isEqualTo(204);
    assertThat(json(call("GET", "/role_assignments?user.id=" + userId, admin, null)).get("role_assignments"))
        .isEmpty();
    String again = role(unique("again"));
    assertThat(status("PUT", "/system/users/" + userId + "/roles/" + again)).isEqualTo(204);
    assertThat(status("DELETE", "/users/" + userId)).isEqualTo(204);
    assertThat(json(call("GET", "/role_assignments?role.id=" + again, admin, null)).get("role_assignments"))
        .isEmpty();
  }
}
