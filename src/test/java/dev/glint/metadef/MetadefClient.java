package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a {@link TestServer}'s image listener as one caller, over real HTTP, with JSON. */
final class MetadefClient {
  final TestServer server;
  final String token;

  MetadefClient(TestServer server, String token) {
    this.server = server;
    this.token = token;
  }

  static MetadefClient admin(TestServer server, String project) {
    return new MetadefClient(server, server.tokenFor(project, "admin", "member", "reader"));
  }

  static MetadefClient member(TestServer server, String project) {
    return new MetadefClient(server, server.tokenFor(project, "member", "reader"));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.imageUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    return b;
  }

  HttpResponse<String> get(String path) {
    return server.send(request(path).GET().build());
  }

  HttpResponse<String> delete(String path) {
    return server.send(request(path).DELETE().build());
  }

  HttpResponse<String> post(String path, String json) {
    return server.send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> put(String path, String json) {
    return server.send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(BodyPublishers.ofString(json))
            .build());
  }

  /** Creates a namespace and returns its name; fails the test unless 201. */
  String namespace(String json) {
    HttpResponse<String> r = post("/v2/metadefs/namespaces", json);
    if (r.statusCode() != 201) {
      throw new AssertionError("create namespace gave " + r.statusCode() + ": " + r.body());
    }
    return json(r).get("namespace").asText();
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }

  /** The explanation of a Glance JSON error body. */
  static String message(HttpResponse<String> r) {
    String m = json(r).path("message").asText();
    int br = m.indexOf("<br /><br />");
    return br < 0 ? m : m.substring(0, br);
  }
}
