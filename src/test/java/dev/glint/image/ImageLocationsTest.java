package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.P1;
import static dev.glint.image.ImageDataTest.P2;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.testing.S3Proxy;
import dev.glint.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Image locations ({@code show_multiple_locations}, {@code show_image_direct_url}): the views,
 * JSON-patch on {@code /locations} with Glance's rules and texts, http locations sized by a HEAD
 * to a local server (port 0, allowed explicitly) and downloaded from it, and the defaults (off).
 */
class ImageLocationsTest {
  static final byte[] DATA = new byte[200_000];
  static final byte[] UPLOADED = new byte[5_000];
  static HttpServer web;
  static int port;
  /** Every request the web server saw, {@code METHOD path}: Glint only reads external data. */
  static final List<String> seen = new CopyOnWriteArrayList<>();
  static TestServer server;
  static TestServer twoStores;
  static TestServer unfiltered;
  static TestServer off;
  static ImageClient owner;

  @BeforeAll
  static void start() throws Exception {
    new Random(5).nextBytes(DATA);
    new Random(6).nextBytes(UPLOADED);
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/data",
        ex -> {
          seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
          if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(DATA.length));
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
          }
          ex.sendResponseHeaders(200, DATA.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(DATA);
          }
        });
    web.createContext(
        "/missing",
        ex -> {
          seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    web.start();
    port = web.getAddress().getPort();
    Map<String, String> on =
        Map.of(
            "show.multiple.locations", "true",
            "show.image.direct.url", "true",
            "import.filtering.allowed.hosts", "127.0.0.1",
            "import.filtering.allowed.ports", Integer.toString(port));
    server = TestServer.start(on);
    Map<String, String> two = new java.util.HashMap<>(on);
    two.put("enabled.backends", "fast:file, slow:file");
    two.put("import.enabled.methods", "glance-direct,copy-image");
    twoStores = TestServer.start(two);
    // Locations on, but the web-download filter as it ships: no loopback.
    unfiltered = TestServer.start(Map.of("show.multiple.locations", "true"));
    off = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
    twoStores.close();
    unfiltered.close();
    off.close();
    web.stop(0);
  }

  static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  static String add(String position, String url, String metadata) {
    return "[{\"op\": \"add\", \"path\": \"/locations/" + position + "\", \"value\": {\"url\": \""
        + url + "\", \"metadata\": " + metadata + "}}]";
  }

  static String queued(ImageClient client) {
    return client.create(RAW).get("id").asText();
  }

  @Test
  void offByDefaultAsGlance() {
    ImageClient c = ImageClient.of(off, P1, "member");
    JsonNode image = c.create(RAW);
    assertThat(image.has("locations")).isFalse();
    assertThat(image.has("direct_url")).isFalse();
    HttpResponse<String> r = c.patch(image.get("id").asText(), add("-", url("/data"), "{}"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("It's not allowed to add locations if locations are invisible.");
  }

  @Test
  void anUploadedImageShowsItsStoreAsItsLocation() throws Exception {
    String id = owner.createWithData(RAW, UPLOADED);
    JsonNode image = json(owner.get("/v2/images/" + id));
    assertThat(image.get("locations")).hasSize(1);
    JsonNode loc = image.get("locations").get(0);
    Path blob = server.dataDir().resolve("images").resolve(id).toAbsolutePath();
    assertThat(loc.get("url").asText()).isEqualTo("file://" + blob);
    assertThat(loc.get("metadata").get("store").asText()).isEqualTo("file");
    assertThat(image.get("direct_url").asText()).isEqualTo(loc.get("url").asText());
    // A queued image: locations [] and no direct_url; the list shows them too.
    JsonNode empty = owner.create(RAW);
    assertThat(empty.get("locations")).isEmpty();
    assertThat(empty.has("direct_url")).isFalse();
    JsonNode listed = json(owner.get("/v2/images?id=in:" + id)).get("images").get(0);
    assertThat(listed.get("locations").get(0).get("url").asText()).isEqualTo("file://" + blob);
  }

  @Test
  void anHttpLocationActivatesAQueuedImageAndIsDownloadedFrom() throws Exception {
    String id = queued(owner);
    seen.clear();
    HttpResponse<String> r = owner.patch(id, add("-", url("/data"), "{\"foo\": \"bar\"}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode image = json(r);
    assertThat(image.get("status").asText()).isEqualTo("active");
    assertThat(image.get("size").asLong()).isEqualTo(DATA.length);
    assertThat(image.get("checksum").isNull()).isTrue();
    assertThat(image.get("os_hash_value").isNull()).isTrue();
    assertThat(image.get("stores").asText()).isEmpty();
    assertThat(image.get("locations")).hasSize(1);
    assertThat(image.get("locations").get(0).get("url").asText()).isEqualTo(url("/data"));
    assertThat(image.get("locations").get(0).get("metadata").get("foo").asText()).isEqualTo("bar");
    assertThat(image.get("direct_url").asText()).isEqualTo(url("/data"));
    assertThat(image.has("os_glance_locations")).isFalse();
    assertThat(seen).containsExactly("HEAD /data");

    ImageClient.Download d = owner.downloadHashed(id);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.bytes()).isEqualTo(DATA.length);
    assertThat(d.md5()).isEqualTo(hex("MD5", DATA));
    HttpResponse<byte[]> part =
        server
            .http()
            .send(
                owner.request("/v2/images/" + id + "/file").header("Range", "bytes=10-19").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + DATA.length);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(DATA, 10, 20));

    // Deleting the image never touches the external data: only reads reached the server.
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(seen).allMatch(s -> s.startsWith("HEAD ") || s.startsWith("GET "));
  }

  @Test
  void validationDataSetsTheHashesOnceAndMustMatchAfter() throws Exception {
    String id = queued(owner);
    String md5 = "1".repeat(32);
    String sha = "deadbeef".repeat(16);
    String body =
        "[{\"op\": \"add\", \"path\": \"/locations/-\", \"value\": {\"url\": \"" + url("/data")
            + "\", \"metadata\": {}, \"validation_data\": {\"checksum\": \"" + md5
            + "\", \"os_hash_algo\": \"sha512\", \"os_hash_value\": \"" + sha + "\"}}}]";
    HttpResponse<String> r = owner.patch(id, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode image = json(r);
    assertThat(image.get("checksum").asText()).isEqualTo(md5);
    assertThat(image.get("os_hash_algo").asText()).isEqualTo("sha512");
    assertThat(image.get("os_hash_value").asText()).isEqualTo(sha);
    assertThat(image.get("locations").get(0).has("validation_data")).isFalse();

    String second = url("/data") + "#2";
    r = owner.patch(id, body.replace(url("/data"), second).replace(md5, "2".repeat(32)));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("checksum is already set with a different value");
    r = owner.patch(id, body.replace(url("/data"), second).replace("sha512\"", "sha256\""));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("os_hash_algo is already set with a different value");
    assertThat(json(owner.get("/v2/images/" + id)).get("locations")).hasSize(1);
    r = owner.patch(id, body.replace(url("/data"), second));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("locations")).hasSize(2);

    // On a queued image: the algorithm and the sizes are Glance's.
    String other = queued(owner);
    r = owner.patch(other, body.replace("sha512\"", "sha256\""));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("os_hash_algo must be sha512, not sha256");
    r = owner.patch(other, body.replace(sha, "beef"));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r))
        .isEqualTo("os_hash_value (beef) is not the correct size for sha512 (should be 64 bytes)");
    r = owner.patch(other, body.replace(md5, "x".repeat(32)));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("checksum (" + "x".repeat(32) + ") is not a valid hexadecimal value");
    assertThat(json(owner.get("/v2/images/" + other)).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void refusedLocations() {
    String id = queued(owner);
    for (String bad :
        new String[] {
          "gopher://info.cern.ch", "file:///etc/passwd", url("/missing"), "http://127.0.0.1:1/x",
          "s3://bucket/key"
        }) {
      HttpResponse<String> r = owner.patch(id, add("-", bad, "{}"));
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(message(r)).as(bad).isEqualTo("Invalid location");
    }
    // The web-download filter as shipped refuses loopback: the HEAD is never sent.
    ImageClient c = ImageClient.of(unfiltered, P1, "member");
    String other = queued(c);
    seen.clear();
    HttpResponse<String> r = c.patch(other, add("-", url("/data"), "{}"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Invalid location");
    assertThat(seen).isEmpty();

    r = owner.patch(id, add("-", url("/data"), "{\"n\": 1}"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .isEqualTo(
            "The image metadata key n has an invalid type of int.  Only dict, list, and unicode"
                + " are supported.");
    r = owner.patch(id, "[{\"op\": \"add\", \"path\": \"/locations/-\", \"value\": {\"url\": \"" + url("/data") + "\"}}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r))
        .isEqualTo("Provided object does not match schema 'image': 'metadata' is a required property");
    r = owner.patch(id, add("x", url("/data"), "{}"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Invalid position for adding a location.");
    r = owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/0\"}]");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r)).isEqualTo("It's not allowed to remove locations if image status is queued.");
    assertThat(json(owner.get("/v2/images/" + id)).get("status").asText()).isEqualTo("queued");

    // Another project's image: not found; a reader: modify_image refuses.
    HttpResponse<String> foreign = ImageClient.of(server, P2, "member").patch(id, add("-", url("/data"), "{}"));
    assertThat(foreign.statusCode()).isEqualTo(404);
    HttpResponse<String> reader = ImageClient.of(server, P1, "reader").patch(id, add("-", url("/data"), "{}"));
    assertThat(reader.statusCode()).isEqualTo(403);
  }

  @Test
  void duplicatesReplaceAndRemoveFollowGlance() {
    String id = queued(owner);
    assertThat(owner.patch(id, add("-", url("/data"), "{\"a\": \"1\"}")).statusCode()).isEqualTo(200);
    HttpResponse<String> r = owner.patch(id, add("-", url("/data"), "{}"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("The location " + url("/data") + " already exists");
    assertThat(owner.patch(id, add("0", url("/data#b"), "{\"b\": \"2\"}")).statusCode()).isEqualTo(200);
    JsonNode locs = json(owner.get("/v2/images/" + id)).get("locations");
    assertThat(locs.get(0).get("url").asText()).isEqualTo(url("/data#b"));
    assertThat(locs.get(1).get("url").asText()).isEqualTo(url("/data"));

    // Replace: the same URLs with new metadata, in a new order, is allowed; a new URL is not.
    String replaced =
        "[{\"op\": \"replace\", \"path\": \"/locations\", \"value\": [{\"url\": \"" + url("/data")
            + "\", \"metadata\": {\"a\": \"9\"}}, {\"url\": \"" + url("/data#b") + "\", \"metadata\": {}}]}]";
    r = owner.patch(id, replaced);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    locs = json(r).get("locations");
    assertThat(locs.get(0).get("metadata").get("a").asText()).isEqualTo("9");
    assertThat(locs.get(1).get("url").asText()).isEqualTo(url("/data#b"));
    r = owner.patch(id, replaced.replace("#b", "#c"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).startsWith("Original locations is not empty: [{'url': '" + url("/data"));
    r = owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/locations\", \"value\": []}]");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("Cannot set locations to empty list.");

    r = owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/2\"}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo("Invalid position for removing a location.");
    r = owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/0\"}]");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("locations")).hasSize(1);
    assertThat(json(r).get("direct_url").asText()).isEqualTo(url("/data#b"));
    r = owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/-\"}]");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("Cannot remove last location in the image.");

    // A queued image given a whole list becomes active too.
    String other = queued(owner);
    r = owner.patch(other, replaced);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("active");
    assertThat(json(r).get("locations")).hasSize(2);
  }

  @Test
  void removingAStoreLocationDropsThatCopyOnly() throws Exception {
    ImageClient c = ImageClient.of(twoStores, P1, "member");
    String id = c.createWithData(RAW, DATA);
    Path fast = twoStores.dataDir().resolve("stores").resolve("fast").resolve(id);
    assertThat(fast).exists();
    HttpResponse<String> r = c.patch(id, add("-", url("/data"), "{}"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode image = json(r);
    assertThat(image.get("size").asLong()).isEqualTo(DATA.length);
    assertThat(image.get("checksum").asText()).isEqualTo(hex("MD5", DATA)); // its hashes stay
    assertThat(image.get("stores").asText()).isEqualTo("fast");
    assertThat(image.get("locations").get(0).get("metadata").get("store").asText()).isEqualTo("fast");
    assertThat(image.get("direct_url").asText()).isEqualTo("file://" + fast.toAbsolutePath());

    // A store's location stands for the store: its metadata cannot change.
    String mine = image.get("locations").get(0).get("url").asText();
    r = c.patch(id, "[{\"op\": \"replace\", \"path\": \"/locations\", \"value\": [{\"url\": \"" + mine
        + "\", \"metadata\": {\"store\": \"slow\"}}, {\"url\": \"" + url("/data") + "\", \"metadata\": {}}]}]");
    assertThat(r.statusCode()).isEqualTo(400);

    // With an external location left, the store's copy is no longer the only one.
    r = c.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/0\"}]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("stores").asText()).isEmpty();
    assertThat(json(r).get("locations")).hasSize(1);
    assertThat(fast).doesNotExist();
    ImageClient.Download d = c.downloadHashed(id);
    assertThat(d.status()).isEqualTo(200);
    assertThat(d.md5()).isEqualTo(hex("MD5", DATA));
    assertThat(Files.exists(fast)).isFalse();
  }

  @Test
  void anS3StoresLocationIsItsObjectWithoutCredentials() throws Exception {
    S3Proxy proxy = S3Proxy.start();
    try (S3Client s3 = proxy.client()) {
      proxy.createBucket("glint-locations");
      Map<String, String> config = new java.util.HashMap<>(proxy.serverConfig("glint-locations"));
      config.put("show.multiple.locations", "true");
      config.put("import.filtering.allowed.hosts", "127.0.0.1");
      config.put("import.filtering.allowed.ports", Integer.toString(port));
      try (TestServer onS3 = TestServer.start(config)) {
        ImageClient c = ImageClient.of(onS3, P1, "member");
        String id = c.createWithData(RAW, DATA);
        JsonNode loc = json(c.get("/v2/images/" + id)).get("locations").get(0);
        assertThat(loc.get("url").asText()).isEqualTo("s3://glint-locations/images/" + id);
        assertThat(loc.get("metadata").get("store").asText()).isEqualTo("s3");
        assertThat(c.patch(id, add("-", url("/data"), "{}")).statusCode()).isEqualTo(200);
        HttpResponse<String> r = c.patch(id, "[{\"op\": \"remove\", \"path\": \"/locations/0\"}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("glint-locations").key("images/" + id)))
            .isInstanceOf(NoSuchKeyException.class);
        assertThat(c.downloadHashed(id).md5()).isEqualTo(hex("MD5", DATA));
      }
    } finally {
      proxy.close();
    }
  }

  @Test
  void deleteFromStoreCountsExternalLocations() {
    ImageClient c = ImageClient.of(twoStores, P1, "member");
    String id = c.createWithData(RAW, UPLOADED);
    assertThat(c.patch(id, add("-", url("/data"), "{}")).statusCode()).isEqualTo(200);
    assertThat(c.delete("/v2/stores/fast/" + id).statusCode()).isEqualTo(204);
    JsonNode image = json(c.get("/v2/images/" + id));
    assertThat(image.get("locations")).hasSize(1);
    assertThat(image.get("locations").get(0).get("url").asText()).isEqualTo(url("/data"));
  }
}
