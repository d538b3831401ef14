package dev.glint.image;

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
import java.util.Map;

/** Calls the image service of a {@link TestServer} as one project, over real HTTP. */
final class ImageClient {
  static final String PATCH_21 = "application/openstack-images-v2.1-json-patch";

  final TestServer server;
  final String token;

  ImageClient(TestServer server, String token) {
    this.server = server;
    this.token = token;
  }

  static ImageClient of(TestServer server, String project, String... roles) {
    return new ImageClient(server, server.tokenFor(project, roles));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.imageUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json");
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    return b;
  }

  /** What a streamed download of an image's data brought: status, byte count, hex MD5. */
  record Download(int status, long bytes, String md5) {}

  /**
   * Downloads {@code /v2/images/{id}/file} as a stream, hashing as it reads, so a payload larger
   * than the test heap never sits in memory.
   */
  Download downloadHashed(String id) throws IOException, InterruptedException {
    HttpResponse<java.io.InputStream> response =
        server
            .http()
            .send(
                request("/v2/images/" + id + "/file").timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    java.security.MessageDigest md5;
    try {
      md5 = java.security.MessageDigest.getInstance("MD5");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long received = 0;
    try (java.io.InputStream in = response.body()) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) != -1) {
        md5.update(buf, 0, n);
        received += n;
      }
    }
    return new Download(
        response.statusCode(), received, java.util.HexFormat.of().formatHex(md5.digest()));
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

  HttpResponse<String> put(String path, String contentType, byte[] body) {
    HttpRequest.Builder b = request(path);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return server.send(
        b.PUT(body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body)).build());
  }

  HttpResponse<String> patch(String path, String contentType, String json) {
    return server.send(
        request(path)
            .header("Content-Type", contentType)
            .method("PATCH", BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> patch(String id, String json) {
    return patch("/v2/images/" + id, PATCH_21, json);
  }

  /** Creates an image and returns its JSON (asserting 201 is the caller's business). */
  JsonNode create(String json) {
    HttpResponse<String> r = post("/v2/images", json);
    if (r.statusCode() != 201) {
      throw new AssertionError("create gave " + r.statusCode() + ": " + r.body());
    }
    return json(r);
  }

  JsonNode create(Map<String, Object> fields) {
    return create(new String(Json.bytes(fields), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Creates a raw/bare image with data. */
  String createWithData(String json, byte[] data) {
    String id = create(json).get("id").asText();
    HttpResponse<String> r = put("/v2/images/" + id + "/file", "application/octet-stream", data);
    if (r.statusCode() != 204) {
      throw new AssertionError("upload gave " + r.statusCode() + ": " + r.body());
    }
    return id;
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
