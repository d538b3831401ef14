package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guessing passwords: every failed login costs one bcrypt verification whatever the reason, the
 * lockout of Keystone's {@code [security_compliance]} (password changes included), and the
 * per-source throttle that answers 429 with {@code Retry-After}.
 */
@ExtendWith(LogLeakCheck.class)
class LoginProtectionTest {
  /** Default lockout (off); the throttle off, so that the many failures here are all 401s. */
  static TestServer shared;

  @BeforeAll
  static void start() {
    shared = TestServer.start(Map.of("identity.auth.throttle.failures", "0"));
    createUser(shared, shared.adminToken(), "sleeper", "sleeper-password", false);
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  static final String V3_PROJECT =
      ", \"scope\": {\"project\": {\"name\": \"demo\", \"domain\": {\"name\": \"Default\"}}}";

  static String v3(String user) {
    return "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": "
        + user + "}}" + V3_PROJECT + "}}";
  }

  static String v2(String username, String password) {
    return "{\"auth\": {\"passwordCredentials\": {\"username\": \"" + username
        + "\", \"password\": \"" + password + "\"}, \"tenantName\": \"demo\"}}";
  }

  static HttpResponse<String> v3Login(TestServer server, String user, String password) {
    return server.post(
        server.identityUrl() + "/v3/auth/tokens",
        v3("{\"name\": \"" + user + "\", \"domain\": {\"name\": \"Default\"}, \"password\": \""
            + password + "\"}"));
  }

  static HttpResponse<String> changePassword(
      TestServer server, String userId, String original, String password) {
    return server.post(
        server.identityUrl() + "/v3/users/" + userId + "/password",
        "{\"user\": {\"original_password\": \"" + original + "\", \"password\": \"" + password
            + "\"}}");
  }

  static String createUser(TestServer server, String admin, String name, String password, boolean enabled) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/users"))
                .header("X-Auth-Token", admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"user\": {\"name\": \"" + name + "\", \"password\": \"" + password
                        + "\", \"enabled\": " + enabled + "}}"))
                .build());
    assertThat(r.statusCode()).isEqualTo(201);
    return TestServer.json(r.body()).at("/user/id").asText();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "wrong password | /v3/auth/tokens | {'name': 'demo', 'domain': {'name': 'Default'}, 'password': 'wrong-password'}",
        "unknown user | /v3/auth/tokens | {'name': 'nobody-here', 'domain': {'name': 'Default'}, 'password': 'wrong-password'}",
        "unknown user id | /v3/auth/tokens | {'id': '0123456789abcdef0123456789abcdef', 'password': 'wrong-password'}",
        "no password | /v3/auth/tokens | {'name': 'demo', 'domain': {'name': 'Default'}}",
        "unknown domain | /v3/auth/tokens | {'name': 'demo', 'domain': {'name': 'Nowhere'}, 'password': 'wrong-password'}",
        "disabled user | /v3/auth/tokens | {'name': 'sleeper', 'domain': {'name': 'Default'}, 'password': 'sleeper-password'}",
        "v2 wrong password | /v2.0/tokens | demo",
        "v2 unknown user | /v2.0/tokens | nobody-here",
        "v2 disabled user | /v2.0/tokens | sleeper",
      })
  void everyFailedLoginCostsExactlyOneBcryptVerification(String why, String path, String user) {
    String body =
        path.startsWith("/v2.0")
            ? v2(user, user.equals("sleeper") ? "sleeper-password" : "wrong-password")
            : v3(user.replace('\'', '"'));
    long before = Passwords.VERIFICATIONS.get();

    HttpResponse<String> r = shared.post(shared.identityUrl() + path, body);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(Passwords.VERIFICATIONS.get() - before).isEqualTo(1);
    assertThat(TestServer.json(r.body()).at("/error/message").asText())
        .isEqualTo("The request you have made requires authentication.");
  }

  @Test
  void aSuccessfulLoginAlsoCostsOneVerification() {
    long before = Passwords.VERIFICATIONS.get();
    assertThat(v3Login(shared, "demo", TestServer.DEMO_PASSWORD).statusCode()).isEqualTo(201);
    assertThat(Passwords.VERIFICATIONS.get() - before).isEqualTo(1);
  }

  @Test
  void failedLoginsLockTheAccountForTheLockoutDuration() throws InterruptedException {
    try (TestServer server =
        TestServer.start(
            Map.of(
                "security.compliance.lockout.failure.attempts", "3",
                "security.compliance.lockout.duration", "2"))) {
      for (int i = 0; i < 3; i++) {
        assertThat(v3Login(server, "demo", "wrong-password").statusCode()).isEqualTo(401);
      }
      long before = Passwords.VERIFICATIONS.get();
      HttpResponse<String> locked = v3Login(server, "demo", TestServer.DEMO_PASSWORD);
      assertThat(locked.statusCode()).isEqualTo(401);
      assertThat(Passwords.VERIFICATIONS.get() - before).isEqualTo(1);
      assertThat(
              server.post(server.identityUrl() + "/v2.0/tokens", v2("demo", TestServer.DEMO_PASSWORD))
                  .statusCode())
          .isEqualTo(401);
      // Another user is not affected.
      assertThat(server.adminToken()).isNotEmpty();

      Thread.sleep(2_100);
      assertThat(v3Login(server, "demo", TestServer.DEMO_PASSWORD).statusCode()).isEqualTo(201);
      // A success clears the count: two more failures do not lock.
      v3Login(server, "demo", "wrong-password");
      v3Login(server, "demo", "wrong-password");
      assertThat(v3Login(server, "demo", TestServer.DEMO_PASSWORD).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void passwordChangesCountTowardsTheLockout() {
    try (TestServer server =
        TestServer.start(Map.of("security.compliance.lockout.failure.attempts", "2"))) {
      String id = createUser(server, server.adminToken(), "carol", "carol-password-1", true);
      for (int i = 0; i < 2; i++) {
        assertThat(changePassword(server, id, "wrong-password", "carol-password-2").statusCode())
            .isEqualTo(401);
      }
      assertThat(changePassword(server, id, "carol-password-1", "carol-password-2").statusCode())
          .isEqualTo(401);
      HttpResponse<String> login = v3Login(server, "carol", "carol-password-1");
      assertThat(login.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void lockoutIsOffByDefault() {
    for (int i = 0; i < 8; i++) {
      v3Login(shared, "demo", "wrong-password");
    }
    assertThat(v3Login(shared, "demo", TestServer.DEMO_PASSWORD).statusCode()).isEqualTo(201);
  }

  @Test
  void aSourceThatKeepsFailingGets429WithRetryAfter() {
    try (TestServer server =
        TestServer.start(
            Map.of("identity.auth.throttle.failures", "3", "identity.auth.throttle.per.minute", "2"))) {
      // Successes are not counted.
      for (int i = 0; i < 5; i++) {
        assertThat(v3Login(server, "demo", TestServer.DEMO_PASSWORD).statusCode()).isEqualTo(201);
      }
      assertThat(v3Login(server, "demo", "wrong-password").statusCode()).isEqualTo(401);
      assertThat(
              server.post(server.identityUrl() + "/v2.0/tokens", v2("demo", "wrong-password"))
                  .statusCode())
          .isEqualTo(401);
      String demoId = server.app().tokens().validate(server.demoToken()).orElseThrow().userId();
      assertThat(changePassword(server, demoId, "wrong-password", "other-password").statusCode())
          .isEqualTo(401);

      long before = Passwords.VERIFICATIONS.get();
      for (HttpResponse<String> r :
          new HttpResponse[] {
            v3Login(server, "demo", TestServer.DEMO_PASSWORD),
            server.post(server.identityUrl() + "/v2.0/tokens", v2("demo", TestServer.DEMO_PASSWORD)),
            changePassword(server, demoId, TestServer.DEMO_PASSWORD, "other-password")
          }) {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After"))
            .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 30L));
        assertThat(TestServer.json(r.body()).at("/error/code").asInt()).isEqualTo(429);
        assertThat(TestServer.json(r.body()).at("/error/title").asText())
            .isEqualTo("Too Many Requests");
      }
      // Refused before any password is looked at.
      assertThat(Passwords.VERIFICATIONS.get() - before).isZero();
    }
  }
}
