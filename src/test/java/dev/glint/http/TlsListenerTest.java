package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.config.ConfigLoader;
import dev.glint.testing.SelfSignedCert;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in TLS listener: a self-signed certificate made in the test (JDK keytool), the real
 * server started with it as PEM files, called over HTTPS by a client that trusts exactly that
 * certificate. Plain HTTP and clients that do not trust it get no answer.
 */
class TlsListenerTest {
  static Path dir;
  static SelfSignedCert cert;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("glint-tls");
    cert = SelfSignedCert.create(dir, "EC");
    server =
        TestServer.start(
            Map.of("tls.cert", cert.cert().toString(), "tls.key", cert.key().toString()));
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void allThreeApisAnswerOverHttpsAndTheirLinksSayHttps() {
    assertThat(List.of(server.identityUrl(), server.imageUrl(), server.computeUrl()))
        .allSatisfy(url -> assertThat(url).startsWith("https://127.0.0.1:"));

    // Identity: a token, and a service catalog whose every endpoint is https.
    HttpResponse<String> auth =
        server.post(
            server.identityUrl() + "/v3/auth/tokens",
            """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
              "domain": {"name": "Default"}, "password": "%s"}}},
              "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}"""
                .formatted(TestServer.ADMIN_PASSWORD));
    assertThat(auth.statusCode()).isEqualTo(201);
    String token = auth.headers().firstValue("X-Subject-Token").orElseThrow();
    List<String> endpoints = new ArrayList<>();
    TestServer.json(auth.body()).at("/token/catalog")
        .forEach(s -> s.get("endpoints").forEach(e -> endpoints.add(e.get("url").asText())));
    assertThat(endpoints).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith("https://"));
    JsonNode v3 = TestServer.json(server.get(server.identityUrl() + "/v3", null).body());
    assertThat(v3.at("/version/links/0/href").asText()).startsWith(server.identityUrl());

    // Image: create, upload, download over TLS.
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"name\": \"tls-image\", \"disk_format\": \"raw\","
                        + " \"container_format\": \"bare\"}"))
                .build());
    assertThat(created.statusCode()).isEqualTo(201);
    String id = TestServer.json(created.body()).get("id").asText();
    HttpResponse<String> upload =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString("bytes over tls"))
                .build());
    assertThat(upload.statusCode()).isEqualTo(204);
    HttpResponse<String> data = server.get(server.imageUrl() + "/v2/images/" + id + "/file", token);
    assertThat(data.statusCode()).isEqualTo(200);
    assertThat(data.body()).isEqualTo("bytes over tls");

    // Compute: the image, with https links on this listener and the image one.
    HttpResponse<String> show = server.get(server.computeUrl() + "/v2.1/images/" + id, token);
    assertThat(show.statusCode()).isEqualTo(200);
    List<String> links = new ArrayList<>();
    TestServer.json(show.body()).at("/image/links").forEach(l -> links.add(l.get("href").asText()));
    assertThat(links)
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).startsWith(server.computeUrl() + "/v2.1/"))
        .anySatisfy(l -> assertThat(l).startsWith(server.imageUrl() + "/"))
        .allSatisfy(l -> assertThat(l).startsWith("https://"));
  }

  @Test
  void plainHttpGetsNoAnswer() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (String url : List.of(server.identityUrl(), server.imageUrl(), server.computeUrl())) {
      URI http = URI.create(url.replace("https://", "http://") + "/");
      assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(20)).build(),
                      HttpResponse.BodyHandlers.ofString()))
          .as("plain HTTP to %s", http)
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    HttpClient strict = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(
            () ->
                strict.send(
                    HttpRequest.newBuilder(URI.create(server.computeUrl() + "/"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void anRsaCertificateServesToo(@TempDir Path tmp) {
    SelfSignedCert rsa = SelfSignedCert.create(tmp, "RSA");
    try (TestServer other =
        TestServer.start(
            Map.of("tls.cert", rsa.cert().toString(), "tls.key", rsa.key().toString()))) {
      HttpResponse<String> versions = other.get(other.imageUrl() + "/versions", null);
      assertThat(versions.statusCode()).isEqualTo(200);
      assertThat(versions.body()).contains(other.imageUrl());
    }
  }

  /**
   * The listener limits hold over TLS: a connection that never sends a request head (nor a
   * handshake) is closed at the header deadline, while a kept-alive connection that did is not.
   */
  @Test
  void theHeaderDeadlineClosesSilentConnectionsButNotKeptAliveOnes() throws Exception {
    try (TestServer strict =
        TestServer.start(
            Map.of(
                "tls.cert", cert.cert().toString(),
                "tls.key", cert.key().toString(),
                "listener.header.timeout.ms", "2000"))) {
      int port = URI.create(strict.computeUrl()).getPort();
      try (java.net.Socket silent = new java.net.Socket("127.0.0.1", port)) {
        silent.setSoTimeout(30_000);
        long t0 = System.nanoTime();
        int read;
        try {
          read = silent.getInputStream().read();
        } catch (java.net.SocketException reset) {
          read = -1;
        }
        assertThat(read).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
      }
      javax.net.ssl.SSLSocketFactory factory =
          SelfSignedCert.trusting(cert.cert()).getSocketFactory();
      try (javax.net.ssl.SSLSocket tls =
          (javax.net.ssl.SSLSocket) factory.createSocket("127.0.0.1", port)) {
        tls.setSoTimeout(30_000);
        var in = new java.io.BufferedReader(
            new java.io.InputStreamReader(tls.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
        var out = tls.getOutputStream();
        for (int i = 0; i < 2; i++) {
          out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes());
          out.flush();
          assertThat(in.readLine()).as("answer %d on one connection", i).startsWith("HTTP/1.1 200");
          int length = 0;
          for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          in.skip(length);
          // Past the header deadline: a connection whose first head arrived stays open.
          Thread.sleep(3_000);
        }
      }
    }
  }

  @Test
  void keyAndCertificateGoTogetherAndMustBeReadable() {
    assertThatThrownBy(
            () -> ConfigLoader.defaults().set("tls.cert", cert.cert().toString()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.cert and tls.key go together");
    assertThatThrownBy(
            () ->
                ConfigLoader.defaults()
                    .set("tls.cert", cert.cert().toString())
                    .set("tls.key", dir.resolve("missing.pem").toString())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls.key")
        .hasMessageContaining("cannot be read");
  }
}
