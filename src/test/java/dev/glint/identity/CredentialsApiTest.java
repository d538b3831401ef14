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

/** {@code /v3/credentials} and OS-EC2 over HTTP: Keystone Zed's bodies, errors and policy. */
@ExtendWith(LogLeakCheck.class)
class CredentialsApiTest {
  static TestServer server;
  static String admin;
  static String demo;
  static String v3;
  static String adminUser;
  static String demoUser;
  static String demoProject;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = server.adminToken();
    demo = server.demoToken();
    v3 = server.identityUrl() + "/v3";
    adminUser = ok(200, call("GET", "/users?name=admin", admin, null)).at("/users/0/id").asText();
    demoUser = ok(200, call("GET", "/users?name=demo", admin, null)).at("/users/0/id").asText();
    demoProject =
        ok(200, call("GET", "/projects?name=demo", admin, null)).at("/projects/0/id").asText();
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

  static String credential(String user, String project, String type, String blob) {
    return "{\"credential\": {\"user_id\": \"" + user + "\""
        + (project == null ? "" : ", \"project_id\": \"" + project + "\"")
        + ", \"type\": \"" + type + "\", \"blob\": " + quote(blob)
        + "}}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void credentialLifecycleKeepsTheBlobEncrypted() {
    JsonNode created = ok(201, call("POST", "/credentials", demo,
        "{\"credential\": {\"user_id\": \"" + demoUser + "\", \"type\": \"totp\","
            + " \"blob\": \"s3cr3t-blob\", \"colour\": \"blue\"}}")).get("credential");
    String id = created.get("id").asText();
    assertThat(id).hasSize(32);
    assertThat(created.get("blob").asText()).isEqualTo("s3cr3t-blob");
    assertThat(created.get("colour").asText()).isEqualTo("blue");
    assertThat(created.get("project_id").isNull()).isTrue();
    assertThat(created.at("/links/self").asText()).isEqualTo(v3 + "/credentials/" + id);

    String stored = server.app().db().read(h -> h.createQuery(
            "SELECT encrypted_blob FROM credentials WHERE id = :id")
        .bind("id", id).mapTo(String.class).one());
    assertThat(stored).doesNotContain("s3cr3t").startsWith("gAAAAA");

    assertThat(ok(200, call("GET", "/credentials/" + id, demo, null)).get("credential"))
        .isEqualTo(created);
    JsonNode updated = ok(200, call("PATCH", "/credentials/" + id, demo,
        "{\"credential\": {\"blob\": \"other\", \"project_id\": \"" + demoProject + "\"}}"))
        .get("credential");
    assertThat(updated.get("blob").asText()).isEqualTo("other");
    assertThat(updated.get("project_id").asText()).isEqualTo(demoProject);
    assertThat(updated.get("colour").asText()).isEqualTo("blue");
    assertThat(error(403, call("PATCH", "/credentials/" + id, demo,
        "{\"credential\": {\"user_id\": \"" + adminUser + "\"}}")))
        .isEqualTo("You are not authorized to perform the requested action: "
            + "identity:update_credential.");
    assertThat(error(400, call("PATCH", "/credentials/" + id, demo, "{\"credential\": {}}")))
        .isEqualTo("{} does not have enough properties");

    ok(204, call("DELETE", "/credentials/" + id, demo, null));
    assertThat(error(404, call("GET", "/credentials/" + id, admin, null)))
        .isEqualTo("Could not find credential: " + id + ".");
    assertThat(error(404, call("DELETE", "/credentials/" + id, admin, null)))
        .isEqualTo("Could not find credential: " + id + ".");
  }

  @Test
  void ec2CredentialIdIsTheAccessKeysHash() {
    String blob = "{\"access\": \"AK-one\", \"secret\": \"SK\"}";
    JsonNode created = ok(201, call("POST", "/credentials", admin,
        credential(adminUser, demoProject, "ec2", blob))).get("credential");
    assertThat(created.get("id").asText()).isEqualTo(CredentialService.sha256("AK-one"));
    assertThat(error(409, call("POST", "/credentials", admin,
        credential(adminUser, demoProject, "ec2", blob))))
        .isEqualTo("Conflict occurred attempting to store credential - Duplicate entry found"
            + " with ID " + created.get("id").asText() + ".");
    assertThat(error(400, call("PATCH", "/credentials/" + created.get("id").asText(), admin,
        credential(adminUser, demoProject, "ec2",
            "{\"access\": \"AK-one\", \"secret\": \"SK2\", \"trust_id\": \"t\"}"))))
        .isEqualTo("trust_id can not be updated for credential");
    ok(204, call("DELETE", "/credentials/" + created.get("id").asText(), admin, null));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"credential\": {\"type\": \"ec2\", \"blob\": \"{}\", \"user_id\": \"u\"}}|{'type': 'ec2', 'blob': '{}', 'user_id': 'u'} is not valid under any of the given schemas",
        "{\"credential\": {\"type\": \"x\", \"blob\": 5, \"user_id\": \"u\"}}|Invalid input for field 'blob': 5 is not of type 'string'",
        "{\"credential\": {\"type\": \"ec2\", \"blob\": \"nojson\", \"user_id\": \"u\", \"project_id\": \"p\"}}|Invalid blob in credential",
        "{\"credential\": {\"type\": \"ec2\", \"blob\": \"{}\", \"user_id\": \"u\", \"project_id\": \"p\"}}|Expecting to find blob in credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
        "{\"credential\": {\"type\": \"ec2\", \"blob\": \"{\\\"secret\\\": \\\"s\\\"}\", \"user_id\": \"u\", \"project_id\": \"p\"}}|Expecting to find access in credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.",
      })
  void badCredentialsAre400s(String body, String message) {
    assertThat(error(400, call("POST", "/credentials", admin, body))).isEqualTo(message);
  }

  @Test
  void usersSeeOnlyTheirOwnCredentials() {
    String mine = ok(201, call("POST", "/credentials", demo,
        credential(demoUser, null, "cert", "mine"))).at("/credential/id").asText();
    String theirs = ok(201, call("POST", "/credentials", admin,
        credential(adminUser, null, "cert", "theirs"))).at("/credential/id").asText();
    assertThat(error(403, call("POST", "/credentials", demo,
        credential(adminUser, null, "cert", "x"))))
        .isEqualTo("You are not authorized to perform the requested action: "
            + "identity:create_credential.");

    assertThat(ids(ok(200, call("GET", "/credentials", demo, null)).get("credentials")))
        .contains(mine).doesNotContain(theirs);
    assertThat(ids(ok(200, call("GET", "/credentials?type=cert", admin, null))
        .get("credentials"))).contains(mine, theirs);
    assertThat(ids(ok(200, call("GET", "/credentials?user_id=" + adminUser, admin, null))
        .get("credentials"))).contains(theirs).doesNotContain(mine);
    assertThat(error(403, call("GET", "/credentials/" + theirs, demo, null)))
        .isEqualTo("You are not authorized to perform the requested action: "
            + "identity:get_credential.");
    assertThat(error(403, call("DELETE", "/credentials/" + theirs, demo, null)))
        .endsWith("identity:delete_credential.");
    ok(204, call("DELETE", "/credentials/" + mine, demo, null));
    ok(204, call("DELETE", "/credentials/" + theirs, admin, null));
  }

  @Test
  void ec2CredentialsUnderTheUser() {
    String base = "/users/" + demoUser + "/credentials/OS-EC2";
    JsonNode created = ok(201, call("POST", base, demo,
        "{\"tenant_id\": \"" + demoProject + "\"}")).get("credential");
    String access = created.get("access").asText();
    assertThat(access).hasSize(32);
    assertThat(created.get("secret").asText()).hasSize(32);
    assertThat(created.get("tenant_id").asText()).isEqualTo(demoProject);
    assertThat(created.get("user_id").asText()).isEqualTo(demoUser);
    assertThat(created.get("trust_id").isNull()).isTrue();
    assertThat(created.at("/links/self").asText()).isEqualTo(v3 + base + "/" + access);

    assertThat(ok(200, call("GET", base + "/" + access, demo, null)).get("credential"))
        .isEqualTo(created);
    JsonNode listed = ok(200, call("GET", base, demo, null)).get("credentials");
    assertThat(listed).extracting(c -> c.get("access").asText()).containsExactly(access);
    // The same credential through /v3/credentials, as type ec2.
    JsonNode v3Credential = ok(200, call("GET", "/credentials/"
        + CredentialService.sha256(access), demo, null)).get("credential");
    assertThat(v3Credential.get("type").asText()).isEqualTo("ec2");

    assertThat(error(404, call("POST", base, demo, "{\"tenant_id\": \"nope\"}")))
        .isEqualTo("Could not find project: nope.");
    assertThat(error(404, call("POST", base, demo, "{}")))
        .isEqualTo("Could not find project: None.");
    assertThat(error(403, call("POST", "/users/" + adminUser + "/credentials/OS-EC2", demo,
        "{\"tenant_id\": \"" + demoProject + "\"}")))
        .endsWith("identity:ec2_create_credential.");
    assertThat(error(403, call("GET", "/users/" + adminUser + "/credentials/OS-EC2", demo, null)))
        .endsWith("identity:ec2_list_credentials.");
    assertThat(error(404, call("GET", base + "/unknown", demo, null)))
        .isEqualTo("Could not find credential: " + CredentialService.sha256("unknown") + ".");

    ok(204, call("DELETE", base + "/" + access, demo, null));
    assertThat(ok(200, call("GET", base, demo, null)).get("credentials")).isEmpty();
  }
}
