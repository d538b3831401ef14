package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v3/domains/{id}/config} and the defaults, over HTTP, as tempest's tests use them. */
@ExtendWith(LogLeakCheck.class)
class DomainConfigApiTest {
  static final String LDAP =
      "{\"config\": {\"identity\": {\"driver\": \"ldap\"}, \"ldap\": {\"url\":"
          + " \"ldap://myldap.com:389/\", \"user_tree_dn\": \"ou=Users,dc=my_new_root,dc=org\"}}}";

  static TestServer server;
  static String admin;
  static String demo;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    OAuthApiTest.server = server;
    OAuthApiTest.v3 = server.identityUrl() + "/v3";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String token, String body) {
    return OAuthApiTest.call(method, path, token, body);
  }

  static JsonNode ok(int status, HttpResponse<String> r) {
    return OAuthApiTest.ok(status, r);
  }

  static String error(int status, HttpResponse<String> r) {
    return OAuthApiTest.error(status, r);
  }

  static String domain() {
    return ok(201, call("POST", "/domains", admin,
        "{\"domain\": {\"name\": \"cfg-" + UUID.randomUUID() + "\"}}")).at("/domain/id").asText();
  }

  @Test
  void createShowReplaceAndDelete() {
    String d = domain();
    String base = "/domains/" + d + "/config";
    assertThat(error(404, call("GET", base, admin, null)))
        .isEqualTo("Could not find any options in domain configuration for domain " + d + ".");
    JsonNode created = ok(201, call("PUT", base, admin, LDAP)).get("config");
    assertThat(created).isEqualTo(TestServer.json(LDAP).get("config"));
    assertThat(ok(200, call("GET", base + "/ldap", admin, null)).get("config"))
        .isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode)
            TestServer.json(LDAP).get("config")).without("identity"));
    assertThat(ok(200, call("GET", base + "/ldap/url", admin, null)).at("/config/url").asText())
        .isEqualTo("ldap://myldap.com:389/");
    assertThat(error(404, call("GET", base + "/ldap/user", admin, null)))
        .isEqualTo("Could not find option user in group ldap in domain configuration for domain "
            + d + ".");

    // PUT again replaces the whole configuration: 200, and the ldap group is gone.
    JsonNode replaced = ok(200, call("PUT", base, admin,
        "{\"config\": {\"identity\": {\"driver\": \"sql\"}}}")).get("config");
    assertThat(replaced.has("ldap")).isFalse();
    assertThat(error(404, call("GET", base + "/ldap", admin, null)))
        .isEqualTo("Could not find group ldap in domain configuration for domain " + d + ".");

    ok(204, call("DELETE", base, admin, null));
    error(404, call("GET", base, admin, null));
  }

  @Test
  void updateGroupsAndOptions() {
    String d = domain();
    String base = "/domains/" + d + "/config";
    ok(201, call("PUT", base, admin, LDAP));
    JsonNode updated = ok(200, call("PATCH", base + "/identity", admin,
        "{\"config\": {\"identity\": {\"driver\": \"d1\", \"list_limit\": 42}}}")).get("config");
    assertThat(updated.at("/identity/driver").asText()).isEqualTo("d1");
    assertThat(updated.at("/identity/list_limit").isInt()).isTrue();
    assertThat(updated.at("/ldap/url").asText()).isEqualTo("ldap://myldap.com:389/");
    assertThat(ok(200, call("PATCH", base + "/identity/driver", admin,
        "{\"config\": {\"driver\": \"d2\"}}")).at("/config/identity/driver").asText())
        .isEqualTo("d2");
    assertThat(error(403, call("PATCH", base + "/identity", admin,
        "{\"config\": {\"ldap\": {\"url\": \"x\"}}}")))
        .isEqualTo("Invalid domain specific configuration: request to update group identity,"
            + " but config provided contains group ldap instead.");
    assertThat(error(403, call("PATCH", base + "/identity/driver", admin,
        "{\"config\": {\"driver\": \"a\", \"list_limit\": 1}}")))
        .isEqualTo("Invalid domain specific configuration: Trying to update option driver in"
            + " group identity, so that, and only that, option must be specified  in the config.");
    ok(204, call("DELETE", base + "/ldap/url", admin, null));
    error(404, call("DELETE", base + "/ldap/url", admin, null));
    assertThat(error(404, call("PATCH", base + "/ldap/url", admin,
        "{\"config\": {\"url\": \"ldap://x\"}}")))
        .isEqualTo("Could not find option url in group ldap in domain configuration for domain "
            + d + ".");
    ok(204, call("DELETE", base + "/identity/driver", admin, null));
    error(404, call("GET", base + "/identity/driver", admin, null));
    ok(204, call("DELETE", base + "/identity", admin, null));
    error(404, call("GET", base + "/identity", admin, null));
    // A whole-config PATCH sets options whether or not they were set.
    assertThat(ok(200, call("PATCH", base, admin,
        "{\"config\": {\"identity\": {\"driver\": \"sql\"}}}")).at("/config/identity/driver")
        .asText()).isEqualTo("sql");
  }

  @Test
  void invalidInputAndPolicy() {
    String d = domain();
    String base = "/domains/" + d + "/config";
    assertThat(error(403, call("PUT", base, admin, "{\"config\": {\"mail\": {\"x\": 1}}}")))
        .isEqualTo("Invalid domain specific configuration: Group mail is not supported for"
            + " domain specific configurations.");
    assertThat(error(403, call("PUT", base, admin, "{\"config\": {\"ldap\": {\"size\": 1}}}")))
        .isEqualTo("Invalid domain specific configuration: Option size in group ldap is not"
            + " supported for domain specific configurations.");
    assertThat(error(403, call("PUT", base, admin, "{\"config\": {}}")))
        .isEqualTo("Invalid domain specific configuration: No options specified.");
    assertThat(error(403, call("PUT", base, admin, "{\"config\": {\"ldap\": \"url\"}}")))
        .isEqualTo("Invalid domain specific configuration: The value of group ldap specified in"
            + " the config should be a dictionary of options.");
    assertThat(error(404, call("PUT", "/domains/nope/config", admin, LDAP)))
        .isEqualTo("Could not find domain: nope.");
    assertThat(error(403, call("GET", base, demo, null))).endsWith("identity:get_domain_config.");
    assertThat(error(403, call("PUT", base, demo, LDAP))).endsWith("identity:create_domain_config.");
    error(400, call("PUT", base, admin, "{not json"));

    // The ldap password is accepted, stored encrypted and never shown.
    ok(201, call("PUT", base, admin,
        "{\"config\": {\"ldap\": {\"url\": \"ldap://a\", \"password\": \"s3cret-bind\"}}}"));
    assertThat(ok(200, call("GET", base, admin, null)).at("/config/ldap").has("password")).isFalse();
    error(404, call("GET", base + "/ldap/password", admin, null));
    List<String> stored = server.app().db().read(h -> h.createQuery(
            "SELECT value FROM domain_config WHERE domain_id = :d AND option_name = 'password'")
        .bind("d", d).mapTo(String.class).list());
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0)).doesNotContain("s3cret-bind");

    // Deleting the domain deletes its configuration.
    ok(200, call("PATCH", "/domains/" + d, admin, "{\"domain\": {\"enabled\": false}}"));
    ok(204, call("DELETE", "/domains/" + d, admin, null));
    int left = server.app().db().read(h -> h.createQuery(
            "SELECT COUNT(*) FROM domain_config WHERE domain_id = :d")
        .bind("d", d).mapTo(Integer.class).one());
    assertThat(left).isZero();
  }

  @Test
  void defaults() {
    JsonNode all = ok(200, call("GET", "/domains/config/default", admin, null)).get("config");
    assertThat(all.at("/identity/driver").asText()).isEqualTo("sql");
    assertThat(all.at("/identity").has("list_limit")).isTrue();
    assertThat(all.at("/ldap").has("password")).isFalse();
    assertThat(all.at("/ldap/url").asText()).isEqualTo("ldap://localhost");
    assertThat(ok(200, call("GET", "/domains/config/ldap/default", admin, null))
        .at("/config/ldap/user_objectclass").asText()).isEqualTo("inetOrgPerson");
    assertThat(ok(200, call("GET", "/domains/config/identity/list_limit/default", admin, null))
        .get("config").has("list_limit")).isTrue();
    assertThat(error(403, call("GET", "/domains/config/mail/default", admin, null)))
        .startsWith("Invalid domain specific configuration: Group mail");
    error(403, call("GET", "/domains/config/ldap/password/default", admin, null));
    assertThat(error(403, call("GET", "/domains/config/default", demo, null)))
        .endsWith("identity:get_domain_config_default.");
  }
}
