package dev.glint.compute;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import dev.glint.http.Json;
import dev.glint.testing.TestImages;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays recorded Nova (Zed) exchanges against Glint and compares status, header set and values
 * that matter, and the body field for field in Nova's key order. Ids and times come out equal
 * because the catalog is seeded from the recording; hosts are normalised. The deliberate
 * differences (docs/compatibility.md) are spelled out below, each in one place.
 */
class ComputeGoldenTest {
  static final String NOVA = "http://127.0.0.1:8774";
  static final String GLANCE = "http://127.0.0.1:9292";
  static final String KEYSTONE = "http://127.0.0.1:5000";

  /** Glint sends Date (Jetty); Nova behind uwsgi did not. Never Connection-sensitive. */
  static final Set<String> IGNORED_HEADERS = Set.of("date", "connection", "content-length");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "06-limit-1", "08-limit-minus1", "09-limit-abc", "10-limit-1.5", "11-limit-empty",
        "16-marker-unknown-uuid", "17-marker-garbage", "58-tenant-mismatch-v2",
        "59-tenant-mismatch-v21", "60-tenant-mismatch-unknown", "61-no-token", "62-bad-token",
        "63-bad-token-fernet-shaped", "72-accept-encoding-gzip", "73-accept-xml",
        "74-accept-text-plain", "75-no-accept", "79-detail-limit-3", "81-show-active",
        "83-show-auto-disk-config", "84-show-queued", "85-show-deactivated", "86-show-deleted",
        "87-show-unknown", "88-show-garbage-id", "89-show-other-project-private",
        "90-metadata-get", "92-metadata-get-missing-key", "93-metadata-unknown-image",
        "94-delete-own", "96-delete-other-private", "100-mv-nova-header-2.36",
        "101-mv-nova-header-latest", "102-mv-nova-header-2.999", "103-mv-nova-header-garbage",
        "105-mv-openstack-api-version-2.35", "106-mv-v2-legacy-2.36", "107-mv-2.36-show",
        "108-versions-root", "109-versions-v21", "111-versions-v2", "112-post-body-too-large",
      })
  void glintAnswersAsNovaDid(String name) throws Exception {
    NovaExchange nova = NovaExchange.load(name);
    try (TestServer server = TestServer.start()) {
      server.app().catalog().addAll(seed(nova));
      HttpResponse<String> glint = replay(server, nova);

      assertThat(glint.statusCode()).as(nova.title()).isEqualTo(nova.status());
      assertHeaders(server, nova, glint);
      assertBody(server, nova, glint);
    }
  }

  /** The images the recording shows or names, as the catalog would hold them. */
  static List<Image> seed(NovaExchange nova) throws IOException {
    List<Image> out = new ArrayList<>();
    String path = URI.create(nova.target()).getPath();
    String[] segments = path.split("/");
    if (nova.status() == 200 && !nova.body().isEmpty()) {
      JsonNode body = Json.MAPPER.readTree(nova.body());
      if (body.has("image")) {
        out.add(fromView(body.path("image")));
      }
      for (JsonNode i : body.path("images")) {
        out.add(fromView(i));
      }
      if (body.has("metadata")) {
        Map<String, String> props = new LinkedHashMap<>();
        body.path("metadata").properties().forEach(e -> props.put(e.getKey(), e.getValue().asText()));
        out.add(TestImages.image().id(segments[segments.length - 2]).properties(props).build());
      }
      return out;
    }
    String title = nova.title();
    int images = List.of(segments).indexOf("images");
    if (images < 0 || images + 1 >= segments.length) {
      return out;
    }
    String id = segments[images + 1];
    if (title.contains("admin-owned private") || name(nova).startsWith("96-")) {
      out.add(TestImages.image().id(id).owner(ADMIN).visibility(Visibility.PRIVATE).build());
    } else if (name(nova).startsWith("94-")) {
      out.add(TestImages.image().id(id).owner(DEMO).visibility(Visibility.PRIVATE)
          .status(ImageStatus.QUEUED).size(null).build());
    } else if (name(nova).startsWith("86-")) {
      out.add(TestImages.image().id(id).deletedAt(Instant.now().minusSeconds(60)).build());
    } else if (name(nova).startsWith("92-")) {
      out.add(TestImages.image().id(id).properties(Map.of("image_type", "snapshot")).build());
    }
    return out;
  }

  static String name(NovaExchange nova) {
    return nova.name();
  }

  /** Back from Nova's detail (or basic) view to a catalog record. */
  static Image fromView(JsonNode v) {
    TestImages.Builder b = TestImages.image().id(v.path("id").asText())
        .name(v.path("name").isNull() ? null : v.path("name").asText());
    if (v.has("status")) {
      int progress = v.path("progress").asInt();
      ImageStatus status =
          switch (v.path("status").asText()) {
            case "ACTIVE" -> ImageStatus.ACTIVE;
            case "SAVING" -> progress == 25 ? ImageStatus.QUEUED : ImageStatus.SAVING;
            case "ERROR" -> ImageStatus.KILLED;
            default -> ImageStatus.DEACTIVATED;
          };
      long size = v.path("OS-EXT-IMG-SIZE:size").asLong();
      Map<String, String> props = new LinkedHashMap<>();
      v.path("metadata").properties().forEach(e -> props.put(e.getKey(),
          e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      b.status(status)
          .size(size == 0 && status != ImageStatus.ACTIVE ? null : Long.valueOf(size))
          .minRam(v.path("minRam").asInt())
          .minDisk(v.path("minDisk").asInt())
          .created(Instant.parse(v.path("created").asText()))
          .updated(Instant.parse(v.path("updated").asText()))
          .properties(props);
    }
    return b.build();
  }

  static HttpResponse<String> replay(TestServer server, NovaExchange nova) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.computeUrl() + nova.target()))
            .timeout(Duration.ofSeconds(30));
    boolean demo = nova.target().contains(DEMO) && !nova.title().startsWith("tenant-mismatch");
    String token = demo ? server.tokenFor(DEMO, "member", "reader") : server.tokenFor(ADMIN, "admin", "member", "reader");
    boolean hasBody = false;
    for (String[] h : nova.requestHeaders()) {
      switch (h[0].toLowerCase(Locale.ROOT)) {
        case "host", "user-agent", "connection", "content-length" -> {}
        case "x-auth-token" -> {
          String sent =
              switch (nova.name().substring(0, 3)) {
                case "62-" -> "bad-token";
                case "63-" -> "gAAAAABpJ" + "x".repeat(180);
                default -> token;
              };
          b.header("X-Auth-Token", sent);
        }
        case "content-type" -> {
          hasBody = true;
          b.header(h[0], h[1]);
        }
        default -> b.header(h[0], h[1]);
      }
    }
    if (hasBody) {
      String body = "{\"a\": \"" + "x".repeat(120_000) + "\"}";
      b.method(nova.method(), HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(nova.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> raw = server.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    byte[] body = raw.body();
    if (raw.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return new HttpResponse<>() {
      public int statusCode() { return raw.statusCode(); }
      public HttpRequest request() { return raw.request(); }
      public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
      public java.net.http.HttpHeaders headers() { return raw.headers(); }
      public String body() { return text; }
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return raw.sslSession(); }
      public URI uri() { return raw.uri(); }
      public java.net.http.HttpClient.Version version() { return raw.version(); }
    };
  }

  static void assertHeaders(TestServer server, NovaExchange nova, HttpResponse<String> glint) {
    Set<String> want = new TreeSet<>();
    nova.responseHeaders().forEach(h -> want.add(h[0].toLowerCase(Locale.ROOT)));
    Set<String> got = new TreeSet<>(glint.headers().map().keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList());
    want.removeAll(IGNORED_HEADERS);
    got.removeAll(IGNORED_HEADERS);
    if (glint.headers().firstValue("Content-Encoding").isPresent()) {
      // Deliberate: the seed asks for gzip/deflate; Nova ignores Accept-Encoding (fixture 72).
      assertThat(glint.headers().allValues("Vary")).contains("Accept-Encoding");
      want.add("content-encoding");
      want.add("vary");
    }
    assertThat(got).as(nova.title() + " header set").isEqualTo(want);
    if (nova.status() != 204) {
      assertThat(glint.headers().firstValue("Content-Length")).as("content-length").isPresent();
    }
    for (String name : List.of("Content-Type", "OpenStack-API-Version", "X-OpenStack-Nova-API-Version")) {
      assertThat(glint.headers().firstValue(name).orElse(null)).as(name).isEqualTo(nova.responseHeader(name));
    }
    List<String> vary = new ArrayList<>(glint.headers().allValues("Vary"));
    vary.remove("Accept-Encoding");
    assertThat(vary).isEqualTo(nova.responseHeaders("Vary"));
    String auth = nova.responseHeader("WWW-Authenticate");
    if (auth != null) {
      assertThat(glint.headers().firstValue("WWW-Authenticate").orElseThrow())
          .isEqualTo(auth.replace(KEYSTONE, server.identityUrl()));
    }
    String id = nova.responseHeader("x-compute-request-id");
    if (id != null) {
      assertThat(glint.headers().firstValue("x-compute-request-id").orElseThrow())
          .matches("req-[0-9a-f-]{36}")
          .isEqualTo(glint.headers().firstValue("x-openstack-request-id").orElseThrow());
    }
  }

  static void assertBody(TestServer server, NovaExchange nova, HttpResponse<String> glint)
      throws IOException {
    if (nova.body().isEmpty()) {
      assertThat(glint.body()).isEmpty();
      return;
    }
    JsonNode want = normalise(Json.MAPPER.readTree(nova.body()), NOVA, GLANCE, null);
    JsonNode got = normalise(Json.MAPPER.readTree(glint.body()), server.computeUrl(), server.imageUrl(), server);
    if (nova.status() == 401) {
      // Deliberate: Glint's 401 carries keystonemiddleware's {"error": ...} and, beside it, the
      // seed's Nova fault {"unauthorized": ...}. The Keystone part must be exactly Nova's.
      assertThat(got.path("unauthorized").path("code").asInt()).isEqualTo(401);
      ((ObjectNode) got).remove("unauthorized");
    }
    assertSameTree("", want, got);
  }

  /**
   * Hosts become placeholders; Glint's seed-form alternate link (DESIGN ruling, with the project)
   * becomes Nova's form.
   */
  static JsonNode normalise(JsonNode node, String compute, String image, TestServer server) {
    if (node.isTextual()) {
      String s = node.asText().replace(compute, "<compute>").replace(image, "<image>");
      if (server != null) {
        for (String project : List.of(ADMIN, DEMO)) {
          s = s.replace("<image>/" + project + "/images/", "<image>/images/");
        }
      }
      return TextNode.valueOf(s);
    }
    if (node.isArray()) {
      var out = Json.MAPPER.createArrayNode();
      node.forEach(n -> out.add(normalise(n, compute, image, server)));
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      node.properties().forEach(e -> out.set(e.getKey(), normalise(e.getValue(), compute, image, server)));
      return out;
    }
    return node;
  }

  /** Same keys in the same order, same scalar values and types, all the way down. */
  static void assertSameTree(String at, JsonNode want, JsonNode got) {
    assertThat(got.getNodeType()).as(at + " type").isEqualTo(want.getNodeType());
    if (want.isObject()) {
      List<String> wantKeys = new ArrayList<>();
      want.fieldNames().forEachRemaining(wantKeys::add);
      List<String> gotKeys = new ArrayList<>();
      got.fieldNames().forEachRemaining(gotKeys::add);
      if (at.endsWith("/metadata")) {
        // Glance returns extra properties in storage order, which nothing defines; Glint sorts
        // them by key. The set must be equal.
        assertThat(gotKeys).as(at + " keys").containsExactlyInAnyOrderElementsOf(wantKeys);
      } else {
        assertThat(gotKeys).as(at + " keys in order").isEqualTo(wantKeys);
      }
      for (Iterator<String> it = wantKeys.iterator(); it.hasNext(); ) {
        String k = it.next();
        assertSameTree(at + "/" + k, want.get(k), got.get(k));
      }
    } else if (want.isArray()) {
      assertThat(got.size()).as(at + " size").isEqualTo(want.size());
      for (int i = 0; i < want.size(); i++) {
        assertSameTree(at + "/" + i, want.get(i), got.get(i));
      }
    } else {
      assertThat(got).as(at).isEqualTo(want);
    }
  }
}
