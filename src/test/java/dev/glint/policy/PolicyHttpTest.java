package dev.glint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy table over HTTP: the reader role reads and cannot write on any API; overrides. */
class PolicyHttpTest {
  static final String P = "0123456789abcdef0123456789abcdef";
  static TestServer server;
  static String member;
  static String reader;
  static String image;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    member = server.tokenFor(P, "member", "reader");
    reader = server.tokenFor(P, "reader");
    HttpResponse<String> created =
        call("POST", server.imageUrl() + "/v2/images", member,
            "{\"name\": \"policy-probe\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    image = TestServer.json(created.body()).get("id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> call(String method, String url, String token, String body) {
    return call(server, method, url, token, body, "application/json");
  }

  static HttpResponse<String> call(
      TestServer s, String method, String url, String token, String body, String type) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("X-Auth-Token", token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", type);
    }
    return s.send(b.build());
  }

  @Test
  void aReaderReadsOnBothImageApis() {
    assertThat(call("GET", server.imageUrl() + "/v2/images", reader, null).body())
        .contains(image);
    assertThat(call("GET", server.imageUrl() + "/v2/images/" + image, reader, null).statusCode())
        .isEqualTo(200);
    assertThat(call("GET", server.computeUrl() + "/v2.1/" + P + "/images/detail", reader, null).body())
        .contains(image);
    assertThat(
            call("GET", server.computeUrl() + "/v2.1/" + P + "/images/" + image + "/metadata",
                    reader, null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aReaderCannotWriteOnTheImageService() {
    String base = server.imageUrl() + "/v2/images";
    Map<String, HttpResponse<String>> denied =
        Map.of(
            "add_image",
            call("POST", base, reader, "{\"name\": \"nope\"}"),
            "modify_image",
            call(server, "PATCH", base + "/" + image, reader,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"x\"}]",
                "application/openstack-images-v2.1-json-patch"),
            "delete_image",
            call("DELETE", base + "/" + image, reader, null),
            "upload_image",
            call(server, "PUT", base + "/" + image + "/file", reader, "data",
                "application/octet-stream"),
            "deactivate",
            call("POST", base + "/" + image + "/actions/deactivate", reader, null),
            "add_member",
            call("POST", base + "/" + image + "/members", reader,
                "{\"member\": \"fedcba9876543210fedcba9876543210\"}"));
    denied.forEach(
        (rule, r) -> {
          assertThat(r.statusCode()).as(rule).isEqualTo(403);
          assertThat(r.body()).as(rule)
              .contains("You are not authorized to complete " + rule + " action.");
        });
    assertThat(call("PUT", base + "/" + image + "/tags/t1", reader, null).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", base + "/" + image, member, null).body()).contains("policy-probe");
  }

  @Test
  void aReaderCannotWriteOnTheComputeApi() {
    String base = server.computeUrl() + "/v2.1/" + P + "/images/" + image;
    for (HttpResponse<String> r :
        new HttpResponse[] {
          call("DELETE", base, reader, null),
          call("POST", base + "/metadata", reader, "{\"metadata\": {\"k\": \"v\"}}"),
          call("PUT", base + "/metadata/k", reader, "{\"meta\": {\"k\": \"v\"}}"),
          call("DELETE", base + "/metadata/k", reader, null)
        }) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(TestServer.json(r.body()).at("/forbidden/code").asInt()).isEqualTo(403);
      assertThat(TestServer.json(r.body()).at("/forbidden/message").asText())
          .matches("Policy doesn't allow (delete_image|modify_image) to be performed\\.");
    }
    assertThat(call("POST", base + "/metadata", member, "{\"metadata\": {\"k\": \"v\"}}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aReaderCannotWriteOnTheIdentityApi() {
    String admin = server.tokenFor(P, "reader");
    HttpResponse<String> r =
        call("POST", server.identityUrl() + "/v3/users", admin, "{\"user\": {\"name\": \"eve\"}}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(TestServer.json(r.body()).at("/error/message").asText())
        .isEqualTo("You are not authorized to perform the requested action: identity:create_user.");
    assertThat(call("GET", server.identityUrl() + "/v3/users", admin, null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void aPolicyFileOverridesRulesOnEveryApi() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        """
        # members may not create images; nobody lists through either API; readers list users
        "add_image": "role:admin"
        "get_images": "!"
        "identity:list_users": "role:admin or role:reader"
        """);
    try (TestServer s = TestServer.start(Map.of("policy.file", file.toString()))) {
      String m = s.tokenFor(P, "member");
      HttpResponse<String> add =
          call(s, "POST", s.imageUrl() + "/v2/images", m, "{\"name\": \"x\"}", "application/json");
      assertThat(add.statusCode()).isEqualTo(403);
      assertThat(add.body()).contains("You are not authorized to complete add_image action.");
      assertThat(call(s, "GET", s.imageUrl() + "/v2/images", m, null, null).statusCode())
          .isEqualTo(403);
      HttpResponse<String> list = call(s, "GET", s.computeUrl() + "/v2.1/" + P + "/images", m, null, null);
      assertThat(list.statusCode()).isEqualTo(403);
      assertThat(list.body()).contains("Policy doesn't allow get_images to be performed.");
      assertThat(
              call(s, "GET", s.identityUrl() + "/v3/users", s.tokenFor(P, "reader"), null, null)
                  .statusCode())
          .isEqualTo(200);
      // Untouched rules keep their defaults.
      assertThat(call(s, "GET", s.imageUrl() + "/v2/images/" + image, m, null, null).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void aBrokenPolicyFileStopsStartUp() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "\"delete_image\": \"role:admin or\"\n");
    assertThatThrownBy(() -> TestServer.start(Map.of("policy.file", file.toString())))
        .hasMessageContaining("rule delete_image")
        .hasMessageContaining("ends too soon");
  }
}
