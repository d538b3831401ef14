package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keystone's {@code [security_compliance]} password rules, configured, over HTTP. */
@ExtendWith(LogLeakCheck.class)
class SecurityComplianceTest {

  static HttpResponse<String> call(
      TestServer server, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3" + path))
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

  static String error(int status, HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return TestServer.json(r.body()).at("/error/message").asText();
  }

  static int login(TestServer server, String name, String password) {
    return server.post(server.identityUrl() + "/v3/auth/tokens?nocatalog",
            "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\":"
                + " {\"name\": \"" + name + "\", \"domain\": {\"id\": \"default\"},"
                + " \"password\": \"" + password + "\"}}}, \"scope\": \"unscoped\"}}")
        .statusCode();
  }

  static HttpResponse<String> change(TestServer server, String user, String from, String to) {
    return call(server, "POST", "/users/" + user + "/password", null,
        "{\"user\": {\"original_password\": \"" + from + "\", \"password\": \"" + to + "\"}}");
  }

  @Test
  void regexHistoryAndChangeUponFirstUse() {
    try (TestServer server = TestServer.start(Map.of(
        "security.compliance.password.regex", "^(?=.*\\d)(?=.*[a-zA-Z]).{7,}$",
        "security.compliance.password.regex.description",
            "at least 7 characters, a letter and a digit",
        "security.compliance.unique.last.password.count", "3",
        "security.compliance.change.password.upon.first.use", "true"))) {
      String admin = server.adminToken();
      assertThat(error(400, call(server, "POST", "/users", admin,
          "{\"user\": {\"name\": \"weak\", \"password\": \"short\"}}")))
          .isEqualTo("The password does not meet the requirements: "
              + "at least 7 characters, a letter and a digit");

      HttpResponse<String> created = call(server, "POST", "/users", admin,
          "{\"user\": {\"name\": \"alice\", \"password\": \"first-pw-1\"}}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String alice = TestServer.json(created.body()).at("/user/id").asText();
      // Set by an admin: it must be changed before it logs in.
      assertThat(login(server, "alice", "first-pw-1")).isEqualTo(401);

      assertThat(change(server, alice, "first-pw-1", "second-pw-2").statusCode()).isEqualTo(204);
      assertThat(login(server, "alice", "second-pw-2")).isEqualTo(201);
      assertThat(error(400, change(server, alice, "second-pw-2", "first-pw-1")))
          .isEqualTo("The new password cannot be identical to a previous password. The total"
              + " number which includes the new password must be unique is 3.");
      assertThat(error(400, change(server, alice, "second-pw-2", "nodigits")))
          .startsWith("The password does not meet the requirements:");
      assertThat(change(server, alice, "second-pw-2", "third-pw-3").statusCode()).isEqualTo(204);
      assertThat(change(server, alice, "third-pw-3", "fourth-pw-4").statusCode()).isEqualTo(204);
      // The last three count, the current one included (Keystone's passwords[-3:]): the second
      // is still among them, the first one is free again.
      assertThat(error(400, change(server, alice, "fourth-pw-4", "second-pw-2")))
          .startsWith("The new password cannot be identical to a previous password.");
      assertThat(change(server, alice, "fourth-pw-4", "first-pw-1").statusCode()).isEqualTo(204);

      // An admin reset ignores the history, and must be changed again on first use.
      HttpResponse<String> reset = call(server, "PATCH", "/users/" + alice, admin,
          "{\"user\": {\"password\": \"fourth-pw-4\"}}");
      assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
      assertThat(login(server, "alice", "fourth-pw-4")).isEqualTo(401);
    }
  }

  @Test
  void minimumPasswordAge() {
    try (TestServer server = TestServer.start(Map.of(
        "security.compliance.minimum.password.age", "1"))) {
      String admin = server.adminToken();
      JsonNode bob = TestServer.json(call(server, "POST", "/users", admin,
          "{\"user\": {\"name\": \"bob\", \"password\": \"bob-pw-1\"}}").body());
      String id = bob.at("/user/id").asText();
      assertThat(login(server, "bob", "bob-pw-1")).isEqualTo(201);
      assertThat(error(400, change(server, id, "bob-pw-1", "bob-pw-2")))
          .isEqualTo("You cannot change your password at this time due to the minimum password"
              + " age. Once you change your password, it must be used for 1 day(s) before it"
              + " can be changed. Please try again in 1 day(s) or contact your administrator to"
              + " reset your password.");
    }
  }
}
