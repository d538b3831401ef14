package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity store's SQL on PostgreSQL: bootstrap, authentication, admin writes, conflicts and a
 * revocation seen by a second node. Uses a throw-away database on the server named by {@code
 * GLINT_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres});
 * skipped when that server is not reachable.
 */
class PostgresIdentityTest {
  static String adminUrl;
  static String database;
  static String storeUrl;

  @TempDir static Path dir;

  @BeforeAll
  static void createDatabase() {
    adminUrl =
        System.getenv().getOrDefault(
            "GLINT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    database = "glint_identity_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(adminUrl + "&connectTimeout=2");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL at " + adminUrl + ": " + e.getMessage());
    }
    storeUrl = adminUrl.replaceFirst("/[^/?]+\\?", "/" + database + "?");
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null && storeUrl != null) {
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  static HttpResponse<String> call(
      TestServer server, String method, String path, String token, String subject, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.identityUrl() + path))
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
    if (subject != null) {
      b.header("X-Subject-Token", subject);
    }
    return server.send(b.build());
  }

  @Test
  void identityWorksOnPostgresqlAcrossTwoNodes() throws InterruptedException {
    Map<String, String> shared = Map.of("data.dir", dir.toString(), "store.url", storeUrl);
    try (TestServer a = TestServer.start(shared);
        TestServer b = TestServer.start(shared)) {
      BootstrapResult again = b.app().identity().bootstrap();
      assertThat(again.created()).isFalse();

      String admin = a.adminToken();
      String demo = b.demoToken();
      JsonNode token = TestServer.json(call(a, "GET", "/v3/auth/tokens", admin, demo, null).body());
      assertThat(token.at("/token/roles/0/name").asText()).isEqualTo("member");
      assertThat(token.at("/token/roles/1/name").asText()).isEqualTo("reader");

      HttpResponse<String> created =
          call(a, "POST", "/v3/projects", admin, null, "{\"project\": {\"name\": \"pg-lab\"}}");
      assertThat(created.statusCode()).isEqualTo(201);
      HttpResponse<String> dup =
          call(b, "POST", "/v3/users", admin, null, "{\"user\": {\"name\": \"demo\"}}");
      assertThat(dup.statusCode()).isEqualTo(409);
      String project = TestServer.json(created.body()).at("/project/id").asText();
      assertThat(call(b, "DELETE", "/v3/projects/" + project, admin, null, null).statusCode())
          .isEqualTo(204);

      assertThat(call(a, "DELETE", "/v3/auth/tokens", demo, demo, null).statusCode()).isEqualTo(204);
      Instant deadline = Instant.now().plus(RevocationList.POLL.multipliedBy(5));
      while (b.app().tokens().validate(demo).isPresent() && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(b.app().tokens().validate(demo)).isEmpty();
    }
  }
}
