package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.identity.TokenClaims;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** /healthcheck as oslo.middleware serves it, with the store up, down and back, and draining. */
class HealthTest {

  @Test
  void answersAsOsloWithTheStoreUpAndDrainsByFile() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    Path dir = Files.createTempDirectory("glint-health");
    Path drain = dir.resolve("healthcheck_disable");
    try (TestServer server = TestServer.start(Map.of("healthcheck.disable.by.file", drain.toString()))) {
      for (String base : new String[] {server.computeUrl(), server.imageUrl(), server.identityUrl()}) {
        HttpResponse<String> r = server.get(base + "/healthcheck", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("OK");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
      }
      String compute = server.computeUrl() + "/healthcheck";
      HttpResponse<String> head =
          server.send(HttpRequest.newBuilder(URI.create(compute))
              .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.statusCode()).isEqualTo(204);

      JsonNode plain = TestServer.json(server.get(compute, null, "Accept", "application/json").body());
      assertThat(plain.toString()).isEqualTo("{\"detailed\":false,\"reasons\":[\"OK\"]}");
      // A member's token gets the short form too; an admin's the detailed one.
      assertThat(TestServer.json(server.get(compute, server.demoToken(), "Accept",
          "application/json").body()).get("detailed").asBoolean()).isFalse();
      JsonNode detailed = TestServer.json(
          server.get(compute, server.adminToken(), "Accept", "application/json").body());
      assertThat(detailed.get("detailed").asBoolean()).isTrue();
      assertThat(reason(detailed, "store")).isEqualTo("OK");
      assertThat(reason(detailed, "keys")).isEqualTo("OK");
      assertThat(reason(detailed, "blob_store")).isEqualTo("OK");
      // The in-memory list builds in the background at start; it reports OK once caught up.
      for (int i = 0; i < 200 && !reason(detailed, "catalog_index").equals("OK"); i++) {
        Thread.sleep(50);
        detailed = TestServer.json(
            server.get(compute, server.adminToken(), "Accept", "application/json").body());
      }
      assertThat(reason(detailed, "catalog_index")).isEqualTo("OK");

      Files.writeString(drain, "");
      HttpResponse<String> draining = server.get(compute, null);
      assertThat(draining.statusCode()).isEqualTo(503);
      assertThat(draining.body()).isEqualTo("DISABLED BY FILE");
      assertThat(server.get(server.imageUrl() + "/healthcheck", null).statusCode()).isEqualTo(503);
      // The APIs themselves keep answering while a load balancer drains the node.
      assertThat(server.get(server.computeUrl() + "/", null).statusCode()).isEqualTo(200);
      Files.delete(drain);
      assertThat(server.get(compute, null).statusCode()).isEqualTo(200);
    } finally {
      Files.deleteIfExists(drain);
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void turnsUnavailableWhileTheStoreIsDownAndRecovers() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    String url = TestStores.newPostgresSchema();
    Matcher m = Pattern.compile("//([^:/]+):(\\d+)/").matcher(url);
    assertThat(m.find()).isTrue();
    try (TcpProxy proxy = new TcpProxy(m.group(1), Integer.parseInt(m.group(2)))) {
      String viaProxy = url.replace(m.group(0), "//127.0.0.1:" + proxy.port() + "/");
      try (TestServer server = TestServer.start(
          Map.of("store.url", viaProxy, "store.busy.timeout.ms", "1000"))) {
        String health = server.imageUrl() + "/healthcheck";
        assertThat(server.get(health, null).statusCode()).isEqualTo(200);

        proxy.stop();
        HttpResponse<String> down = server.get(health, null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("store unavailable");
        // The fault-free checks still say OK in the detailed form; the store says why not.
        JsonNode detailed = TestServer.json(server.get(health, server.app().tokens()
            .issue(TokenClaims.user(
                    "u", "admin", "default", java.util.List.of("admin"), java.util.List.of("password"))
                        .withProject("p", "admin", "default")).id(),
            "Accept", "application/json").body());
        assertThat(reason(detailed, "store")).isEqualTo("store unavailable");
        assertThat(reason(detailed, "keys")).isEqualTo("OK");

        proxy.start();
        long deadline = System.nanoTime() + 15_000_000_000L;
        int status;
        do {
          status = server.get(health, null).statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
      } finally {
        TestStores.dropSchema(url);
      }
    }
  }

  @Test
  void prefersWhatTheClientAccepts() {
    assertThat(Health.preferred(null)).isEqualTo("text/plain");
    assertThat(Health.preferred("application/json")).isEqualTo("application/json");
    assertThat(Health.preferred("text/html, application/json;q=0.9")).isEqualTo("text/html");
    assertThat(Health.preferred("*/*")).isEqualTo("text/plain");
    assertThat(Health.preferred("application/json, text/plain;q=0.5")).isEqualTo("application/json");
    assertThat(Health.preferred("image/png")).isEqualTo("text/plain");
  }

  private static String reason(JsonNode detailed, String check) {
    for (JsonNode r : detailed.get("reasons")) {
      if (r.get("class").asText().equals(check)) {
        return r.get("reason").asText();
      }
    }
    throw new AssertionError("no check " + check + " in " + detailed);
  }
}
