package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Expiry, and revocation seen by another node sharing the store and key repository. */
@ExtendWith(LogLeakCheck.class)
class TokenLifetimeTest {
  @TempDir Path dir;

  static HttpResponse<String> validate(TestServer server, String caller, String subject) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/auth/tokens"))
            .header("X-Auth-Token", caller)
            .header("X-Subject-Token", subject)
            .GET()
            .build());
  }

  @Test
  void anExpiredTokenIsRejected() throws InterruptedException {
    try (TestServer server = TestServer.start(Map.of("token.expiration", "3"))) {
      String old = server.demoToken();
      Instant expires = server.app().tokens().validate(old).orElseThrow().expiresAt();
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 200);
      String fresh = server.demoToken();

      HttpResponse<String> r = validate(server, fresh, old);

      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(TestServer.json(r.body()).at("/error/message").asText())
          .isEqualTo("Failed to validate token");
      assertThat(server.app().tokens().validate(old)).isEmpty();
      assertThat(validate(server, old, fresh).statusCode()).isEqualTo(401);
      // keystonemiddleware may ask for a recently expired token (service-token requests).
      HttpResponse<String> allowed =
          server.send(
              HttpRequest.newBuilder(
                      URI.create(server.identityUrl() + "/v3/auth/tokens?allow_expired=1"))
                  .header("X-Auth-Token", fresh)
                  .header("X-Subject-Token", old)
                  .GET()
                  .build());
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(TestServer.json(allowed.body()).at("/token/expires_at").asText())
          .isEqualTo(IdentityViews.time(expires));
    }
  }

  @Test
  void aRevocationOnOneNodeReachesAnother() throws InterruptedException {
    try (SharedStore store = new SharedStore(dir);
        TestServer a = TestServer.start(store.config());
        TestServer b = TestServer.start(store.config())) {
      String admin = b.adminToken();
      String demo = a.demoToken();
      assertThat(validate(b, admin, demo).statusCode()).isEqualTo(200);

      HttpResponse<String> revoked =
          a.send(
              HttpRequest.newBuilder(URI.create(a.identityUrl() + "/v3/auth/tokens"))
                  .header("X-Auth-Token", demo)
                  .header("X-Subject-Token", demo)
                  .DELETE()
                  .build());
      assertThat(revoked.statusCode()).isEqualTo(204);

      Instant deadline = Instant.now().plus(RevocationList.POLL.multipliedBy(5));
      while (b.app().tokens().validate(demo).isPresent() && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      assertThat(b.app().tokens().validate(demo)).isEmpty();
      assertThat(validate(b, admin, demo).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aRevokedTokenStaysRevokedWithAllowExpiredAfterItExpires() throws InterruptedException {
    try (SharedStore store = new SharedStore(dir);
        TestServer a = TestServer.start(store.config("token.expiration", "3"))) {
      String demo = a.demoToken();
      // A 3 s lifetime: long enough to revoke the token on a loaded machine before it expires.
      Instant expires = a.app().tokens().verify(demo, true).expiresAt();
      HttpResponse<String> revoked =
          a.send(
              HttpRequest.newBuilder(URI.create(a.identityUrl() + "/v3/auth/tokens"))
                  .header("X-Auth-Token", demo)
                  .header("X-Subject-Token", demo)
                  .DELETE()
                  .build());
      assertThat(revoked.statusCode()).isEqualTo(204);
      // Past the token's expiry and past a revocation poll, which once dropped the event.
      Thread.sleep(
          Math.max(0, Duration.between(Instant.now(), expires).toMillis())
              + RevocationList.POLL.toMillis() * 2);
      // A node started now loads the events from the store; it must still see this one.
      try (TestServer b = TestServer.start(store.config("token.expiration", "3"))) {
        for (TestServer node : new TestServer[] {a, b}) {
          String caller = node.adminToken();
          HttpResponse<String> r =
              node.send(
                  HttpRequest.newBuilder(
                          URI.create(node.identityUrl() + "/v3/auth/tokens?allow_expired=1"))
                      .header("X-Auth-Token", caller)
                      .header("X-Subject-Token", demo)
                      .GET()
                      .build());
          assertThat(r.statusCode()).isEqualTo(404);
          assertThat(TestServer.json(r.body()).at("/error/message").asText())
              .isEqualTo("Failed to validate token");
        }
        // An expired token that was never revoked still answers (the control).
        String other = a.demoToken();
        Instant otherExpires = a.app().tokens().verify(other, true).expiresAt();
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), otherExpires).toMillis()) + 200);
        HttpResponse<String> control =
            b.send(
                HttpRequest.newBuilder(
                        URI.create(b.identityUrl() + "/v3/auth/tokens?allow_expired=1"))
                    .header("X-Auth-Token", b.adminToken())
                    .header("X-Subject-Token", other)
                    .GET()
                    .build());
        assertThat(control.statusCode()).isEqualTo(200);
      }
    }
  }
}
