package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, bounded listeners: slow headers are cut off, idle connections closed, requests over
 * the bound answered 503 with Retry-After after a short wait, and a flood of connections does not
 * keep a normal client out. Each with small limits set through the configuration.
 */
class ListenerLimitsTest {
  private static Socket open(String url) throws IOException {
    Socket s = new Socket("127.0.0.1", URI.create(url).getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  /** Whether the server closed the connection: a read returns end of stream (or a reset). */
  private static boolean closedByServer(Socket s) {
    try {
      InputStream in = s.getInputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Test
  void slowHeadersAreCutOffWhileANormalClientIsServed() throws Exception {
    try (TestServer server = TestServer.start(Map.of("listener.header.timeout.ms", "1500"))) {
      String token = server.tokenFor("limits", "member");
      try (Socket slow = open(server.computeUrl())) {
        OutputStream out = slow.getOutputStream();
        out.write("GET /v2.1/images HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        boolean cut = false;
        // One header line every 300 ms: never idle, never complete.
        for (int i = 0; i < 40 && !cut; i++) {
          try {
            out.write(("X-Slow-" + i + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException e) {
            cut = true;
          }
          Thread.sleep(300);
          assertThat(server.get(server.computeUrl() + "/v2.1/images", token).statusCode())
              .isEqualTo(200);
        }
        assertThat(cut || closedByServer(slow)).as("slow-header connection closed").isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(11_000);
      }
    }
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    try (TestServer server = TestServer.start(Map.of("listener.idle.timeout.ms", "1000"))) {
      try (Socket s = open(server.imageUrl())) {
        s.getOutputStream()
            .write("GET /versions HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5_000);
        assertThat(closedByServer(s)).isTrue();
      }
    }
  }

  @Test
  void requestsOverTheBoundGet503WithRetryAfterInTheApisFormat() throws Exception {
    try (TestServer server =
        TestServer.start(Map.of("listener.max.requests", "1", "listener.queue.wait.ms", "300"))) {
      String token = server.tokenFor("limits", "member");
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"slow\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      String id = TestServer.json(created.body()).get("id").asText();
      // A slow upload holds the only request slot: headers sent, 10 of 1 000 000 bytes.
      try (Socket upload = open(server.imageUrl())) {
        upload
            .getOutputStream()
            .write(
                ("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000"
                        + "\r\n\r\n0123456789")
                    .getBytes(StandardCharsets.US_ASCII));
        upload.getOutputStream().flush();
        Thread.sleep(500);
        long start = System.nanoTime();
        HttpResponse<String> busy =
            server.get(server.imageUrl() + "/v2/images", token, "Accept", "application/json");
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(busy.body()).contains("503 Service Unavailable").contains("retry");
        assertThat(waited).as("queued for the bounded wait, not forever").isBetween(250L, 5_000L);
      }
      // The slot is free again once the upload is gone.
      long deadline = System.nanoTime() + 10_000_000_000L;
      int status;
      do {
        status = server.get(server.imageUrl() + "/v2/images", token).statusCode();
      } while (status == 503 && System.nanoTime() < deadline);
      assertThat(status).isEqualTo(200);
    }
  }

  @Test
  void aFloodOfIdleConnectionsDoesNotKeepANormalClientOut() throws Exception {
    try (TestServer server = TestServer.start(Map.of("listener.max.connections", "20"))) {
      String token = server.tokenFor("limits", "member");
      List<Socket> flood = new ArrayList<>();
      try {
        for (int i = 0; i < 300; i++) {
          flood.add(open(server.computeUrl()));
        }
        long start = System.nanoTime();
        HttpResponse<String> r = server.get(server.computeUrl() + "/v2.1/images", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
      } finally {
        for (Socket s : flood) {
          s.close();
        }
      }
    }
  }
}
