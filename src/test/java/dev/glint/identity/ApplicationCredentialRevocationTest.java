package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens issued through an application credential end with it, on the image and compute APIs of
 * every node: at once on the node that made the change, and through the revocation list on another
 * node sharing the store. Deleting the credential, deleting its user and removing a role it holds
 * each do it; the user's other tokens survive the credential's deletion.
 */
@ExtendWith(LogLeakCheck.class)
class ApplicationCredentialRevocationTest {
  @TempDir Path dir;

  static HttpResponse<String> call(
      TestServer server, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return server.send(b.build());
  }

  static JsonNode json(HttpResponse<String> r) {
    return TestServer.json(r.body());
  }

  /** A user with member on a new project, a password token of theirs, and a credential. */
  record Setup(String userId, String projectId, String memberRole, String password,
      String credentialId, String credentialToken) {}

  static Setup setup(TestServer a, String admin, String name, String credentialBody) {
    String project =
        json(call(a, "POST", "/v3/projects", admin, "{\"project\": {\"name\": \"" + name + "-p\"}}"))
            .at("/project/id").asText();
    String user =
        json(call(a, "POST", "/v3/users", admin,
                "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + name + "-password\"}}"))
            .at("/user/id").asText();
    String member = json(call(a, "GET", "/v3/roles?name=member", admin, null)).at("/roles/0/id").asText();
    assertThat(call(a, "PUT", "/v3/projects/" + project + "/users/" + user + "/roles/" + member,
            admin, null).statusCode())
        .isEqualTo(204);
    String password = a.token(name, name + "-password", name + "-p");
    HttpResponse<String> created =
        call(a, "POST", "/v3/users/" + user + "/application_credentials", password, credentialBody);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode cred = json(created).get("application_credential");
    HttpResponse<String> login =
        call(a, "POST", "/v3/auth/tokens", null,
            "{\"auth\": {\"identity\": {\"methods\": [\"application_credential\"],"
                + " \"application_credential\": {\"id\": \"" + cred.get("id").asText()
                + "\", \"secret\": \"" + cred.get("secret").asText() + "\"}}}}");
    assertThat(login.statusCode()).isEqualTo(201);
    return new Setup(user, project, member, password, cred.get("id").asText(),
        login.headers().firstValue("X-Subject-Token").orElseThrow());
  }

  static int image(TestServer node, String token) {
    return node.get(node.imageUrl() + "/v2/images", token).statusCode();
  }

  static int compute(TestServer node, String token) {
    return node.get(node.computeUrl() + "/v2.1/images", token).statusCode();
  }

  /** The status {@code call} settles on within 15 s (another node polls every 2 s). */
  static int settles(IntSupplier call, int expected) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(15);
    int status = call.getAsInt();
    while (status != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      status = call.getAsInt();
    }
    return status;
  }

  /** Both APIs of both nodes answer {@code token} with {@code status}. */
  static void everywhere(TestServer a, TestServer b, String token, int status) {
    assertThat(image(a, token)).isEqualTo(status);
    assertThat(compute(a, token)).isEqualTo(status);
    assertThat(image(b, token)).isEqualTo(status);
    assertThat(compute(b, token)).isEqualTo(status);
  }

  /** After the change on node a: refused there at once, and on node b within a poll or so. */
  static void endedEverywhere(TestServer a, TestServer b, String token) throws InterruptedException {
    assertThat(image(a, token)).isEqualTo(401);
    assertThat(compute(a, token)).isEqualTo(401);
    assertThat(settles(() -> image(b, token), 401)).isEqualTo(401);
    assertThat(settles(() -> compute(b, token), 401)).isEqualTo(401);
  }

  @Test
  void deletingTheCredentialEndsItsTokensOnEveryListenerAndNode() throws Exception {
    try (SharedStore store = new SharedStore(dir);
        TestServer a = TestServer.start(store.config());
        TestServer b = TestServer.start(store.config())) {
      String admin = a.adminToken();
      Setup s = setup(a, admin, "ci-deleted", "{\"application_credential\": {\"name\": \"ci\"}}");
      everywhere(a, b, s.credentialToken(), 200);

      assertThat(call(a, "DELETE",
              "/v3/users/" + s.userId() + "/application_credentials/" + s.credentialId(),
              s.password(), null).statusCode())
          .isEqualTo(204);

      endedEverywhere(a, b, s.credentialToken());
      HttpResponse<String> check =
          a.get(a.identityUrl() + "/v3/auth/tokens", admin, "X-Subject-Token", s.credentialToken());
      assertThat(check.statusCode()).isEqualTo(404);
      // Only the credential's tokens: the user's password token lives on.
      everywhere(a, b, s.password(), 200);
    }
  }

  @Test
  void deletingTheUserEndsTheCredentialsTokens() throws Exception {
    try (SharedStore store = new SharedStore(dir);
        TestServer a = TestServer.start(store.config());
        TestServer b = TestServer.start(store.config())) {
      String admin = a.adminToken();
      Setup s = setup(a, admin, "ci-user-gone", "{\"application_credential\": {\"name\": \"ci\"}}");
      everywhere(a, b, s.credentialToken(), 200);

      assertThat(call(a, "DELETE", "/v3/users/" + s.userId(), admin, null).statusCode())
          .isEqualTo(204);

      endedEverywhere(a, b, s.credentialToken());
    }
  }

  @Test
  void removingARoleTheCredentialHoldsEndsItsTokens() throws Exception {
    try (SharedStore store = new SharedStore(dir);
        TestServer a = TestServer.start(store.config());
        TestServer b = TestServer.start(store.config())) {
      String admin = a.adminToken();
      Setup s = setup(a, admin, "ci-role-gone", "{\"application_credential\": {\"name\": \"ci\"}}");
      everywhere(a, b, s.credentialToken(), 200);

      assertThat(call(a, "DELETE", "/v3/projects/" + s.projectId() + "/users/" + s.userId()
              + "/roles/" + s.memberRole(), admin, null).statusCode())
          .isEqualTo(204);

      endedEverywhere(a, b, s.credentialToken());
    }
  }

  /** As Keystone: a token from a credential that expires sooner than a token would, expires with it. */
  @Test
  void aTokenDoesNotOutliveItsCredential() {
    try (TestServer a = TestServer.start()) {
      Instant expires = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
      Setup s = setup(a, a.adminToken(), "ci-expiring",
          "{\"application_credential\": {\"name\": \"ci\", \"expires_at\": \"" + expires + "\"}}");
      JsonNode token =
          json(a.get(a.identityUrl() + "/v3/auth/tokens", s.credentialToken(),
              "X-Subject-Token", s.credentialToken())).get("token");
      assertThat(Instant.parse(token.get("expires_at").asText())).isEqualTo(expires);
    }
  }
}
