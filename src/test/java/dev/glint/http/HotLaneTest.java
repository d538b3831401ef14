package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * What the hot lane reports of an answer (the request timer, the hot-answer counter and the access
 * line, through {@link ExchangeLog}) is reported before the answer's first byte goes out: a client
 * that reads {@code /metrics} or the access log once it has its answer finds the request there.
 * Reported after the write, a fast client could look first (CI's ImageListLaneTest did, once).
 */
class HotLaneTest {
  @Test
  void anAnswerIsReportedBeforeTheClientHasIt() throws Exception {
    ConcurrentLinkedQueue<String> reported = new ConcurrentLinkedQueue<>();
    ExchangeLog slowLog =
        (api, requestId, global, method, path, route, status, nanos, caller) -> {
          try {
            Thread.sleep(300); // a slow appender: whatever is reported after the write is late
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reported.add(requestId + " " + path + " " + status);
        };
    byte[] one = "{\"one\": true}".getBytes(StandardCharsets.UTF_8);
    HotRoute route =
        request ->
            switch (request.path()) {
              case "/one" ->
                  new HotRoute.Answer("/one", null, Responses.JSON, List.of(), List.of(), one);
              case "/parts" ->
                  new HotRoute.Answer("/parts", null, Responses.JSON, List.of(), List.of(),
                      new ByteBuffer[] {
                        ByteBuffer.wrap("{\"parts\": ".getBytes(StandardCharsets.UTF_8)),
                        ByteBuffer.wrap("2}".getBytes(StandardCharsets.UTF_8))
                      });
              default -> null;
            };
    Server server = new Server();
    ServerConnector connector =
        (ServerConnector) Connectors.plain("127.0.0.1", 0).apply(server, new HttpConfiguration());
    server.addConnector(connector);
    server.setHandler(new HotLane("image", false, route, slowLog));
    server.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (String path : List.of("/one", "/parts", "/one")) {
        int before = reported.size();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connector.getLocalPort() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(path.equals("/one") ? "{\"one\": true}" : "{\"parts\": 2}");
        // No waiting: the line must be there already, under the id the answer carries.
        assertThat(reported).hasSize(before + 1);
        String id = r.headers().firstValue("x-openstack-request-id").orElseThrow();
        assertThat(List.copyOf(reported).get(before)).isEqualTo(id + " " + path + " 200");
      }
    } finally {
      server.stop();
    }
  }
}
