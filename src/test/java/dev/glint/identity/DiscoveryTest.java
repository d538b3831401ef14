package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Version discovery on the identity listener (spec §3, keystone-01-versions-v3.txt). */
class DiscoveryTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String v3(String base) {
    return "{\"id\":\"v3.14\",\"status\":\"stable\",\"updated\":\"2020-04-07T00:00:00Z\","
        + "\"links\":[{\"rel\":\"self\",\"href\":\"" + base + "/v3/\"}],"
        + "\"media-types\":[{\"base\":\"application/json\","
        + "\"type\":\"application/vnd.openstack.identity-v3+json\"}]}";
  }

  static String v2(String base) {
    return "{\"id\":\"v2.0\",\"status\":\"stable\",\"updated\":\"2014-04-17T00:00:00Z\","
        + "\"links\":[{\"rel\":\"self\",\"href\":\"" + base + "/v2.0/\"},"
        + "{\"rel\":\"describedby\",\"type\":\"text/html\",\"href\":\"https://docs.openstack.org/\"}],"
        + "\"media-types\":[{\"base\":\"application/json\","
        + "\"type\":\"application/vnd.openstack.identity-v2.0+json\"}]}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v2.0", "/v2.0/"})
  void v2IsItsVersionDocument(String path) {
    HttpResponse<String> r = server.get(server.identityUrl() + path, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"version\":" + v2(server.identityUrl()) + "}");
  }

  @Test
  void rootIsA300WithTheV3VersionAndLocation() {
    HttpResponse<String> r = server.get(server.identityUrl() + "/", null);

    assertThat(r.statusCode()).isEqualTo(300);
    assertThat(r.headers().firstValue("Location")).hasValue(server.identityUrl() + "/v3/");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
    assertThat(r.body())
        .isEqualTo(
            "{\"versions\":{\"values\":[" + v3(server.identityUrl()) + "," + v2(server.identityUrl())
                + "]}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v3", "/v3/"})
  void v3IsItsVersionDocument(String path) {
    HttpResponse<String> r = server.get(server.identityUrl() + path, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
    assertThat(r.headers().firstValue("x-openstack-request-id"))
        .hasValueSatisfying(id -> assertThat(id).matches("req-[0-9a-f-]{36}"));
    assertThat(r.body()).isEqualTo("{\"version\":" + v3(server.identityUrl()) + "}");
  }

  @Test
  void unknownPathIsAKeystone404ThatStillVaries() {
    HttpResponse<String> r = server.get(server.identityUrl() + "/v3/nothing-here", null);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(TestServer.json(r.body()).at("/error/code").asInt()).isEqualTo(404);
    assertThat(TestServer.json(r.body()).at("/error/title").asText()).isEqualTo("Not Found");
    assertThat(r.headers().firstValue("Vary")).hasValue("X-Auth-Token");
  }

  @Test
  void theComputeListenerAcceptsATokenIssuedHere() {
    String token = server.demoToken();
    String project =
        server.app().tokens().validate(token).orElseThrow().projectId();

    HttpResponse<String> r =
        server.get(server.computeUrl() + "/v2.1/" + project + "/images", token);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.get(server.computeUrl() + "/v2.1/" + project + "/images", "x").statusCode())
        .isEqualTo(401);
  }
}
