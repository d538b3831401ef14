package dev.glint.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.config.ConfigLoader;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files, their security headers, and CORS on the three listeners, over HTTP. */
class ConsoleHttpTest {
  private static TestServer server;
  private static String consoleOrigin;

  @BeforeAll
  static void start() {
    // Static files and headers: nothing here touches the store.
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the SQLite execution");
    server = TestServer.start(Map.of("cors.allowed.origins", "https://ops.example.com:8443/"));
    consoleOrigin = server.imageUrl();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> request(String method, String url, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return server.send(b.build());
  }

  @Test
  void consoleIsServedWithoutTokenUnderStrictHeaders() {
    HttpResponse<String> r = server.get(server.imageUrl() + "/console/", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
    String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
        .contains("connect-src 'self' " + server.identityUrl() + " " + server.computeUrl())
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void noInlineScriptOrStyleInThePage() {
    String html = server.get(server.imageUrl() + "/console/", null).body();
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)");
    assertThat(html).doesNotContain("<style", " style=", " onclick=", " onload=", "javascript:");
  }

  @Test
  void modulesAndStylesheetHaveTheirTypes() {
    HttpResponse<String> js = server.get(server.imageUrl() + "/console/js/app.js", null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
    assertThat(js.body()).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");
    HttpResponse<String> css = server.get(server.imageUrl() + "/console/console.css", null);
    assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(css.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void bareConsolePathRedirectsAndUnknownFilesAre404() {
    HttpResponse<String> bare = server.get(server.imageUrl() + "/console", null);
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
    assertThat(server.get(server.imageUrl() + "/console/nope.js", null).statusCode()).isEqualTo(404);
    assertThat(server.get(server.imageUrl() + "/console/js/..%2F..%2Flogback.xml", null).statusCode())
        .isEqualTo(404);
    HttpResponse<String> head = request("HEAD", server.imageUrl() + "/console/");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    HttpResponse<String> post = request("POST", server.imageUrl() + "/console/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void preflightFromTheConsoleOriginIsAnsweredBeforeAuthentication() {
    for (String url : new String[] {
        server.identityUrl() + "/v3/auth/tokens", server.computeUrl() + "/v2.1/images/detail"}) {
      HttpResponse<String> r =
          request("OPTIONS", url, "Origin", consoleOrigin,
              "Access-Control-Request-Method", "POST",
              "Access-Control-Request-Headers", "content-type, x-auth-token");
      assertThat(r.statusCode()).as(url).isEqualTo(204);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(consoleOrigin);
      assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
          .contains("X-Auth-Token", "Content-Type", "OpenStack-API-Version", "X-OpenStack-Nova-API-Version");
      assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
          .contains("PATCH", "DELETE");
      assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
    }
  }

  @Test
  void tokensAndFaultsReachTheConsoleOrigin() {
    HttpResponse<String> login =
        server.send(
            HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/auth/tokens"))
                .header("Origin", consoleOrigin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    """
                    {"auth": {"identity": {"methods": ["password"], "password": {"user":
                      {"name": "demo", "domain": {"name": "Default"}, "password": "demo-secret"}}},
                      "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}}"""))
                .build());
    assertThat(login.statusCode()).isEqualTo(201);
    assertThat(login.headers().firstValue("Access-Control-Allow-Origin")).hasValue(consoleOrigin);
    assertThat(login.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("X-Subject-Token");
    // A fault keeps the CORS headers, or the page could not show the API's message.
    HttpResponse<String> fault =
        request("GET", server.computeUrl() + "/v2.1/images", "Origin", consoleOrigin);
    assertThat(fault.statusCode()).isEqualTo(401);
    assertThat(fault.headers().firstValue("Access-Control-Allow-Origin")).hasValue(consoleOrigin);
  }

  @Test
  void otherOriginsGetNoCorsHeaders() {
    HttpResponse<String> pre =
        request("OPTIONS", server.identityUrl() + "/v3/auth/tokens", "Origin", "https://evil.example",
            "Access-Control-Request-Method", "POST");
    assertThat(pre.statusCode()).isNotEqualTo(204);
    assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> get =
        request("GET", server.computeUrl() + "/", "Origin", "https://evil.example");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void configuredOriginIsAllowedOnAllThreeListeners() {
    for (String url : new String[] {server.identityUrl() + "/v3", server.computeUrl() + "/",
        server.imageUrl() + "/versions"}) {
      HttpResponse<String> r = request("GET", url, "Origin", "https://ops.example.com:8443");
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
          .as(url)
          .hasValue("https://ops.example.com:8443");
    }
  }

  @Test
  void consoleOffServesNothingAndOpensNoOrigin() {
    try (TestServer off = TestServer.start(Map.of("console.enabled", "false"))) {
      HttpResponse<String> page = off.get(off.imageUrl() + "/console/", null);
      assertThat(page.statusCode()).isEqualTo(401);
      HttpResponse<String> pre =
          off.send(
              HttpRequest.newBuilder(URI.create(off.identityUrl() + "/v3/auth/tokens"))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", off.imageUrl())
                  .header("Access-Control-Request-Method", "POST")
                  .build());
      assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void wildcardAndPathsAreRefusedAsOrigins() {
    assertThatThrownBy(() -> ConfigLoader.defaults().set("cors.allowed.origins", "*").build())
        .hasMessageContaining("does not take '*'");
    assertThatThrownBy(
            () -> ConfigLoader.defaults().set("cors.allowed.origins", "https://a.example/x").build())
        .hasMessageContaining("no path");
  }

  @Test
  void originOfDropsPathAndDefaultPort() {
    assertThat(Cors.originOf("https://Glint.Example.com:443/image")).isEqualTo("https://glint.example.com");
    assertThat(Cors.originOf("http://127.0.0.1:9292")).isEqualTo("http://127.0.0.1:9292");
  }
}
