package dev.glint.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Compute API calls over real HTTP for the tests of this package. */
final class ComputeHttp {
  private final TestServer server;

  ComputeHttp(TestServer server) {
    this.server = server;
  }

  /** {@code method path} with a token, an optional JSON body and extra header pairs. */
  HttpResponse<String> call(String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.computeUrl() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (body != null && !typed) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return server.send(b.build());
  }

  HttpResponse<String> get(String path, String token, String... headers) {
    return call("GET", path, token, null, headers);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /** The {@code message} of a Nova fault {@code {"<name>": {"code", "message"}}}. */
  static String fault(HttpResponse<String> response, String name) {
    JsonNode f = json(response).path(name);
    if (f.isMissingNode()) {
      throw new AssertionError("no " + name + " fault in " + response.statusCode() + " " + response.body());
    }
    if (f.path("code").asInt() != response.statusCode()) {
      throw new AssertionError("fault code differs from status: " + response.body());
    }
    return f.path("message").asText();
  }
}
