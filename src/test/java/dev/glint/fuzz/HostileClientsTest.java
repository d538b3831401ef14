package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.GlintProcess;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: Glint as its own process with {@code -Xmx256m} under the hostile clients of the issue
 * at once (thousands of idle connections, slow headers, slow uploads, images with the largest
 * properties allowed listed in big pages) keeps answering a normal client, and stays up.
 */
class HostileClientsTest {
  static final int IDLE_CONNECTIONS = 2_500;
  static final Duration WINDOW = Duration.ofSeconds(20);

  @Test
  void aNormalClientIsServedWhileHostileClientsPress() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "the listeners are the subject: SQLite only");
    Path dir = Files.createTempDirectory("glint-hostile");
    try (GlintProcess node =
        GlintProcess.start(
            dir,
            "jdbc:sqlite:" + dir.resolve("glint.db"),
            Map.of(
                "GLINT_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "GLINT_DEMO_PASSWORD", TestServer.DEMO_PASSWORD,
                "GLINT_LOG_LEVEL", "WARN"))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String token = token(http, node.identityUrl());
      AtomicBoolean stop = new AtomicBoolean();
      List<Socket> sockets = new ArrayList<>();
      List<Thread> attackers = new ArrayList<>();
      AtomicInteger bigImages = new AtomicInteger();
      try {
        // Thousands of idle connections on the compute listener.
        for (int i = 0; i < IDLE_CONNECTIONS; i++) {
          sockets.add(new Socket("127.0.0.1", URI.create(node.computeUrl()).getPort()));
        }
        // Slow headers and slow uploads on the image listener.
        for (int i = 0; i < 20; i++) {
          boolean upload = i % 2 == 0;
          attackers.add(Thread.ofVirtual().start(() -> trickle(node.imageUrl(), token, upload, stop)));
        }
        // Images with the largest properties allowed, listed a thousand at a time.
        attackers.add(
            Thread.ofVirtual().start(() -> {
              String big = "v".repeat(65_000);
              while (!stop.get()) {
                try {
                  HttpResponse<Void> r = http.send(
                      HttpRequest.newBuilder(URI.create(node.imageUrl() + "/v2/images"))
                          .header("X-Auth-Token", token)
                          .header("Content-Type", "application/json")
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.ofString(
                              "{\"name\": \"big\", \"disk_format\": \"raw\", \"container_format\":"
                                  + " \"bare\", \"p\": \"" + big + "\"}"))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
                  if (r.statusCode() == 201) {
                    bigImages.incrementAndGet();
                  }
                  http.send(
                      HttpRequest.newBuilder(URI.create(node.imageUrl() + "/v2/images?limit=1000"))
                          .header("X-Auth-Token", token)
                          .timeout(Duration.ofSeconds(30))
                          .build(),
                      HttpResponse.BodyHandlers.discarding());
                } catch (IOException | InterruptedException e) {
                  // the attacker does not care
                }
              }
            }));

        // The normal client: every call answered 200 within its timeout, all window long.
        long end = System.nanoTime() + WINDOW.toNanos();
        int calls = 0;
        long slowest = 0;
        while (System.nanoTime() < end) {
          for (String url : List.of(node.computeUrl() + "/v2.1/images?limit=5",
              node.imageUrl() + "/v2/images?limit=5")) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token)
                    .timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            calls++;
          }
          Thread.sleep(250);
        }
        System.out.println("hostile clients: " + calls + " normal calls answered 200, slowest "
            + slowest + " ms, " + IDLE_CONNECTIONS + " idle connections, " + bigImages.get()
            + " images of 65 000-byte properties");
        assertThat(calls).isGreaterThan(10);
        assertThat(bigImages.get()).isPositive();
      } finally {
        stop.set(true);
        for (Socket s : sockets) {
          s.close();
        }
        for (Thread t : attackers) {
          t.join(20_000);
        }
      }
      assertThat(node.computeUrl()).isNotNull();
      HttpResponse<String> after = http.send(
          HttpRequest.newBuilder(URI.create(node.computeUrl() + "/v2.1/images?limit=1"))
              .header("X-Auth-Token", token).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).as("still up after the attack").isEqualTo(200);
    }
  }

  /** A slow-header client (one header line a second) or a slow upload (one byte a second). */
  private static void trickle(String base, String token, boolean upload, AtomicBoolean stop) {
    while (!stop.get()) {
      try (Socket s = new Socket("127.0.0.1", URI.create(base).getPort())) {
        OutputStream out = s.getOutputStream();
        if (upload) {
          out.write(("PUT /v2/images/00000000-0000-4000-8000-000000000000/file HTTP/1.1\r\nHost: x\r\n"
              + "X-Auth-Token: " + token + "\r\nContent-Type: application/octet-stream\r\n"
              + "Content-Length: 100000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
          out.write("GET /v2/images HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (int i = 0; i < 60 && !stop.get(); i++) {
          out.write(upload ? "x".getBytes(StandardCharsets.US_ASCII)
              : ("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(1_000);
        }
      } catch (IOException | InterruptedException e) {
        // cut off by the server: start again
      }
    }
  }

  private static String token(HttpClient http, String identity) throws Exception {
    String body =
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\":"
            + " \"demo\", \"domain\": {\"name\": \"Default\"}, \"password\": \"" + TestServer.DEMO_PASSWORD
            + "\"}}}, \"scope\": {\"project\": {\"name\": \"demo\", \"domain\": {\"name\": \"Default\"}}}}}";
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(identity + "/v3/auth/tokens?nocatalog"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String token = r.headers().firstValue("X-Subject-Token").orElseThrow();
    dev.glint.testing.SecretsSeen.add(token); // for the suite's log-leak check
    return token;
  }
}
