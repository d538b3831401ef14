package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: uploads in progress are capped per project and per node; over a cap, 413 with
 * Retry-After, and the slot comes back when the upload ends.
 */
class UploadSlotsTest {
  private static String create(TestServer server, String token) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"name\": \"u\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                .build());
    return TestServer.json(r.body()).get("id").asText();
  }

  private static HttpResponse<String> upload(TestServer server, String token, String id) {
    return server.send(
        HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
            .header("X-Auth-Token", token)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofString("data"))
            .build());
  }

  /** Starts an upload that sends its headers and 10 of 1 000 000 bytes, then waits. */
  private static Socket slowUpload(TestServer server, String token, String id) throws Exception {
    Socket s = new Socket("127.0.0.1", URI.create(server.imageUrl()).getPort());
    s.getOutputStream().write(
        ("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n"
                + "0123456789")
            .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    Thread.sleep(700);
    return s;
  }

  @Test
  void aProjectOverItsUploadCapGets413WithRetryAfterOthersDoNot() throws Exception {
    try (TestServer server = TestServer.start(Map.of("upload.max.per.project", "1"))) {
      String busy = server.tokenFor("uploader", "member");
      String other = server.tokenFor("someone-else", "member");
      String first = create(server, busy);
      String second = create(server, busy);
      String third = create(server, other);
      try (Socket held = slowUpload(server, busy, first)) {
        HttpResponse<String> refused = upload(server, busy, second);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("for this project");
        assertThat(upload(server, other, third).statusCode()).isEqualTo(204);
      }
      // The held upload is gone: its slot is back.
      long deadline = System.nanoTime() + 15_000_000_000L;
      int status;
      do {
        Thread.sleep(200);
        status = upload(server, busy, second).statusCode();
      } while (status == 413 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(204);
    }
  }

  @Test
  void theNodeCapAppliesAcrossProjects() throws Exception {
    try (TestServer server = TestServer.start(Map.of("upload.max.concurrent", "1"))) {
      String a = server.tokenFor("node-a", "member");
      String b = server.tokenFor("node-b", "member");
      String first = create(server, a);
      String second = create(server, b);
      try (Socket held = slowUpload(server, a, first)) {
        HttpResponse<String> refused = upload(server, b, second);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("on this server");
      }
    }
  }
}
