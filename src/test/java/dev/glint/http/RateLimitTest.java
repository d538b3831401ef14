package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: per-project rate limits, off by default; when set, a project over its budget gets a
 * 413 overLimit with Retry-After on both image APIs, and other projects are not affected.
 */
class RateLimitTest {
  @Test
  void offByDefault() {
    try (TestServer server = TestServer.start()) {
      String token = server.tokenFor("busy", "member");
      for (int i = 0; i < 30; i++) {
        assertThat(server.get(server.computeUrl() + "/v2.1/images", token).statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void aProjectOverItsBudgetGets413OverLimitWithRetryAfterOnBothApis() {
    try (TestServer server = TestServer.start(Map.of("rate.limit.per.minute", "10"))) {
      String busy = server.tokenFor("busy", "member");
      String other = server.tokenFor("calm", "member");
      int ok = 0;
      HttpResponse<String> limited = null;
      for (int i = 0; i < 15 && limited == null; i++) {
        String url = i % 2 == 0 ? server.computeUrl() + "/v2.1/images" : server.imageUrl() + "/v2/images";
        HttpResponse<String> r = server.get(url, busy, "Accept", "application/json");
        if (r.statusCode() == 413) {
          limited = r;
        } else {
          assertThat(r.statusCode()).isEqualTo(200);
          ok++;
        }
      }
      assertThat(ok).isEqualTo(10);
      assertThat(limited).isNotNull();
      assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
          v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
      HttpResponse<String> nova = server.get(server.computeUrl() + "/v2.1/images", busy);
      assertThat(nova.statusCode()).isEqualTo(413);
      assertThat(nova.body()).contains("overLimit").contains("rate-limited");
      assertThat(server.get(server.imageUrl() + "/v2/images", other).statusCode()).isEqualTo(200);
    }
  }
}
