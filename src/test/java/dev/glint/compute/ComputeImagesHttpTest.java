package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.glint.catalog.Image;
import dev.glint.identity.FernetKeys;
import dev.glint.identity.TokenClaims;
import dev.glint.identity.TokenService;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The seed issue's (#2) HTTP contract around the list: routes, the exact body, headers, content
 * coding, and every error it names (400, 401, 405, 413, 503), each a Nova fault.
 */
class ComputeImagesHttpTest {
  static final String REQ_ID = "req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static Image only;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("store.busy.timeout.ms", "300"));
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin", "member");
    only = image().id("75fa6d4c-51fe-46db-b4c3-e5b48070115f").name("golden-base").build();
    server.app().catalog().addAll(List.of(only));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static int port() {
    return URI.create(server.computeUrl()).getPort();
  }

  @ParameterizedTest
  @CsvSource({
    "/v2/" + ADMIN + "/images, /v2/" + ADMIN + ", /" + ADMIN,
    "/v2.1/" + ADMIN + "/images, /v2.1/" + ADMIN + ", /" + ADMIN,
    "/v2.1/images, /v2.1, ''",
    "/v2/images, /v2, ''",
  })
  void everyRootServesTheSameListWithLinksFollowingTheUrl(String path, String self, String bookmark) {
    HttpResponse<String> r = http.get(path, admin);
    assertThat(r.statusCode()).isEqualTo(200);
    String c = server.computeUrl();
    String id = only.id();
    assertThat(r.body())
        .isEqualTo(
            "{\"images\":[{\"id\":\"" + id + "\",\"name\":\"golden-base\",\"links\":["
                + "{\"rel\":\"self\",\"href\":\"" + c + self + "/images/" + id + "\"},"
                + "{\"rel\":\"bookmark\",\"href\":\"" + c + bookmark + "/images/" + id + "\"},"
                + "{\"rel\":\"alternate\",\"type\":\"application/vnd.openstack.image\",\"href\":\""
                + server.imageUrl() + "/" + ADMIN + "/images/" + id + "\"}]}]}");
  }

  @Test
  void bookmarkLinksResolveToTheImage() {
    for (String path : List.of("/" + ADMIN + "/images/" + only.id(), "/images/" + only.id())) {
      HttpResponse<String> r = http.get(path, admin);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(json(r).at("/image/id").asText()).isEqualTo(only.id());
      assertThat(r.headers().firstValue("OpenStack-API-Version")).isEmpty();
    }
    HttpResponse<String> other = http.get("/" + DEMO + "/images/" + only.id(), admin);
    assertThat(other.statusCode()).isEqualTo(400);
  }

  @Test
  void headersAreNovasWithOneFreshRequestIdUnderBothNames() {
    HttpResponse<String> a = http.get("/v2.1/images", admin);
    HttpResponse<String> b = http.get("/v2.1/images", admin);
    assertThat(a.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(a.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(a.body().getBytes(StandardCharsets.UTF_8).length));
    assertThat(a.headers().firstValue("Date")).isPresent();
    assertThat(a.headers().firstValue("Server")).isEmpty();
    String id = a.headers().firstValue("x-compute-request-id").orElseThrow();
    assertThat(id).matches(REQ_ID);
    assertThat(a.headers().firstValue("x-openstack-request-id")).hasValue(id);
    assertThat(b.headers().firstValue("x-compute-request-id")).isNotEqualTo(a.headers().firstValue("x-compute-request-id"));
    assertThat(a.headers().allValues("Vary"))
        .containsExactly("OpenStack-API-Version", "X-OpenStack-Nova-API-Version");
    // Legacy /v2 sends no version headers at all.
    HttpResponse<String> legacy = http.get("/v2/images", admin);
    assertThat(legacy.headers().firstValue("OpenStack-API-Version")).isEmpty();
    assertThat(legacy.headers().allValues("Vary")).isEmpty();
    assertThat(legacy.headers().firstValue("x-compute-request-id")).isPresent();
    // Faults carry the ids too.
    assertThat(http.get("/v2.1/images?limit=x", admin).headers().firstValue("x-compute-request-id").orElseThrow())
        .matches(REQ_ID);
  }

  @ParameterizedTest
  @CsvSource({"gzip, gzip", "deflate, deflate", "'gzip;q=0, deflate', deflate", "'deflate;q=0.5, gzip', gzip"})
  void responsesAreCompressedWhenAsked(String accept, String coding) throws IOException {
    // Over Responses.COMPRESS_MIN (1 KiB); this class's one-image list is not.
    byte[] plain = bytes("/openapi.json", "identity").body();
    HttpResponse<byte[]> z = bytes("/openapi.json", accept);
    assertThat(z.headers().firstValue("Content-Encoding")).hasValue(coding);
    assertThat(z.headers().firstValue("Content-Length")).hasValue(Integer.toString(z.body().length));
    try (InputStream in =
        coding.equals("gzip")
            ? new GZIPInputStream(new ByteArrayInputStream(z.body()))
            : new InflaterInputStream(new ByteArrayInputStream(z.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"compress", "br", "identity", "gzip;q=0"})
  void otherCodingsGetIdentity(String accept) {
    HttpResponse<byte[]> r = bytes("/v2.1/images", accept);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"images\":[");
  }

  @Test
  void aBodyUnderOneKibibyteIsSentAsIsEvenWhenGzipIsAsked() {
    // A 404 fault is a few dozen bytes: gzip would cost more than it saves.
    HttpResponse<byte[]> r = bytes("/v2.1/images/" + java.util.UUID.randomUUID(), "gzip");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body().length).isLessThan(1024);
    assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"itemNotFound\"");
    // So is this class's one-image list (618 bytes).
    HttpResponse<byte[]> list = bytes("/v2.1/images/detail", "gzip, deflate");
    assertThat(list.body().length).isLessThan(1024);
    assertThat(list.headers().firstValue("Content-Encoding")).isEmpty();
    // The document the compression test gets gzipped is over the threshold.
    assertThat(bytes("/openapi.json", "identity").body().length).isGreaterThan(1024);
  }

  static HttpResponse<byte[]> bytes(String path, String acceptEncoding) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(server.computeUrl() + path))
            .header("X-Auth-Token", admin)
            .header("Accept-Encoding", acceptEncoding)
            .build();
    try {
      return server.http().send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @CsvSource({DEMO, "b17a6492bfa54441910e15f07983384"})
  void tenantMismatchIsTheSeedsExactMessage(String tenant) {
    for (String root : List.of("/v2/", "/v2.1/")) {
      HttpResponse<String> r = http.get(root + tenant + "/images", admin);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      assertThat(r.body())
          .isEqualTo(
              "{\"badRequest\":{\"code\":400,\"message\":\"Malformed request URL: URL's project_id '"
                  + tenant + "' doesn't match Context's project_id '" + ADMIN + "'\"}}");
    }
  }

  @Test
  void nonHexProjectSegmentsDoNotRoute() {
    HttpResponse<String> r = http.get("/v2/openstack/images", admin);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("The resource could not be found.");
  }

  static void assertUnauthorized(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValue("Keystone uri=\"" + server.identityUrl() + "\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(r).path("error").path("message").asText())
        .isEqualTo("The request you have made requires authentication.");
    assertThat(json(r).path("error").path("code").asInt()).isEqualTo(401);
    assertThat(r.headers().firstValue("x-compute-request-id")).isPresent();
  }

  @Test
  void missingMalformedAndFernetShapedGarbageTokensAre401() {
    assertUnauthorized(http.get("/v2.1/images", null));
    assertUnauthorized(http.get("/v2.1/images", "not-a-token"));
    assertUnauthorized(http.get("/v2.1/images", "gAAAAABpJ" + "A".repeat(200)));
    assertUnauthorized(http.get("/v2.1/images", ""));
  }

  @Test
  void tokenSignedWithAnotherKeyRepositoryIs401() throws IOException {
    Path elsewhere = Files.createTempDirectory("glint-other-keys");
    TokenService foreign =
        new TokenService(FernetKeys.loadOrCreate(elsewhere), Clock.systemUTC(), Duration.ofHours(1));
    String forged =
        foreign.issue(TokenClaims.user(
                "u", "admin", "default", List.of("admin"), List.of("password"))
                    .withProject(ADMIN, "admin", "default"))
            .id();
    assertUnauthorized(http.get("/v2.1/images", forged));
  }

  @Test
  void expiredTokenIs401() {
    // Same keys as the server, but issued two hours ago for one hour.
    TokenService past =
        new TokenService(
            FernetKeys.loadOrCreate(server.dataDir().resolve("fernet-keys")),
            Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC),
            Duration.ofHours(1));
    String expired =
        past.issue(TokenClaims.user(
                "u", "admin", "default", List.of("admin"), List.of("password"))
                    .withProject(ADMIN, "admin", "default"))
            .id();
    assertThat(server.app().tokens().validate(expired)).isEmpty();
    assertUnauthorized(http.get("/v2.1/images", expired));
  }

  @Test
  void tokenOutlivingItsConfiguredExpirationIs401() throws InterruptedException {
    // Three seconds, not one: a loaded CI machine can take over a second between issuing the
    // token and the first call. The sleep is counted from after that call, so it always expires.
    try (TestServer shortLived = TestServer.start(Map.of("token.expiration", "3"))) {
      String token = shortLived.tokenFor(ADMIN, "admin");
      ComputeHttp h = new ComputeHttp(shortLived);
      assertThat(h.get("/v2.1/images", token).statusCode()).isEqualTo(200);
      Thread.sleep(4100);
      assertThat(h.get("/v2.1/images", token).statusCode()).isEqualTo(401);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
  void otherMethodsOnTheCollectionAre405WithAllow(String method) {
    for (String path : List.of("/v2.1/images", "/v2/" + ADMIN + "/images", "/v2.1/images/detail")) {
      if (method.equals("DELETE") && path.endsWith("/detail")) {
        continue; // Nova's route order: DELETE .../images/detail is a delete of image "detail"
      }
      HttpResponse<String> r = http.call(method, path, admin, method.equals("DELETE") ? null : "{}");
      assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).hasValue("GET");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      assertThat(fault(r, "badMethod")).isEqualTo("The method is not allowed for the requested URL.");
    }
  }

  @Test
  void otherMethodsOnOneImageAre405WithAllow() {
    HttpResponse<String> r = http.call("PUT", "/v2.1/images/" + only.id(), admin, "{}");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow").orElseThrow().split(",\\s*"))
        .containsExactlyInAnyOrder("GET", "DELETE");
  }

  @Test
  void deleteOnDetailIsADeleteOfAnImageCalledDetail() {
    HttpResponse<String> r = http.call("DELETE", "/v2.1/images/detail", admin, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("Image not found.");
  }

  @Test
  void metadataPathsStateTheirMethods() {
    String md = "/v2.1/images/" + only.id() + "/metadata";
    HttpResponse<String> collection = http.call("DELETE", md, admin, null);
    assertThat(collection.statusCode()).isEqualTo(405);
    assertThat(collection.headers().firstValue("Allow")).hasValue("GET, POST, PUT");
    HttpResponse<String> item = http.call("POST", md + "/k", admin, "{}");
    assertThat(item.statusCode()).isEqualTo(405);
    assertThat(item.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
    assertThat(fault(item, "badMethod")).isEqualTo("The method is not allowed for the requested URL.");
  }

  /** Nova checks Content-Type on every call, body or not. */
  @Test
  void unsupportedContentTypeIs415EvenWithoutABody() {
    HttpResponse<String> r = http.get("/v2.1/images", admin, "Content-Type", "application/xml");
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(fault(r, "badMediaType")).isEqualTo("Unsupported Content-Type");
    assertThat(http.get("/v2.1/images", admin, "Content-Type", "text/plain").statusCode()).isEqualTo(200);
  }

  /** Nova serves no HEAD; Glint says so with a 405 rather than an empty 200. */
  @Test
  void headIsNotServed() {
    for (String path : List.of("/v2.1/images", "/v2/" + ADMIN + "/images/" + only.id())) {
      String raw =
          RawHttp.exchange(
              port(),
              "HEAD " + path + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + admin
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.head(raw)).as(path).startsWith("HTTP/1.1 405 ").contains("Allow: GET");
      assertThat(RawHttp.body(raw)).isEmpty();
    }
  }

  @Test
  void unknownPathsAre404Faults() {
    HttpResponse<String> r = http.get("/v2.1/flavors-that-do-not-exist/x/y", admin);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("The resource could not be found.");
  }

  @Test
  void overLongRequestLineIs413OverLimit() {
    String raw =
        RawHttp.exchange(
            port(),
            "GET /v2.1/images?name=" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nX-Auth-Token: "
                + admin + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.head(raw)).startsWith("HTTP/1.1 413 ");
    assertThat(RawHttp.head(raw)).contains("Content-Type: application/json; charset=UTF-8");
    assertThat(RawHttp.body(raw)).isEqualTo(
        "{\"overLimit\":{\"code\":413,\"message\":\"Request line or header block is too large.\"}}");
  }

  /** Jetty refuses a NUL in the path before routing; the answer is still a Nova fault. */
  @Test
  void uriJettyRefusesIsANovaFaultNotAnHtmlPage() throws IOException {
    String raw =
        RawHttp.exchange(
            port(),
            "GET /v2.1/images/x/metadata/%00 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + admin
                + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.head(raw))
        .startsWith("HTTP/1.1 400 ")
        .contains("Content-Type: application/json; charset=UTF-8")
        .containsPattern("x-compute-request-id: " + REQ_ID);
    assertThat(dev.glint.http.Json.MAPPER.readTree(RawHttp.body(raw)).at("/badRequest/message").asText())
        .isEqualTo("Malformed request URL.");
  }

  @Test
  void overLongHeaderBlockIs413OverLimit() throws IOException {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      headers.append("X-Padding-").append(i).append(": ").append("y".repeat(400)).append("\r\n");
    }
    String raw =
        RawHttp.exchange(
            port(),
            "GET /v2.1/images HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + admin + "\r\n" + headers
                + "Connection: close\r\n\r\n");
    assertThat(RawHttp.head(raw)).startsWith("HTTP/1.1 413 ");
    assertThat(RawHttp.body(raw)).contains("\"overLimit\"");
    assertThat(dev.glint.http.Json.MAPPER.readTree(RawHttp.body(raw)).at("/overLimit/code").asInt())
        .isEqualTo(413);
  }

  /**
   * Another process holding SQLite's write lock past store.busy.timeout.ms (300 here) makes the
   * store unavailable for writes: 503 with Retry-After, then recovery without a restart. In WAL
   * mode readers never wait for a writer (and an EXCLUSIVE locking-mode connection cannot even
   * start while Glint's connections hold their shared locks), so reads stay 200 throughout.
   */
  @Test
  void lockedStoreIs503WithRetryAfterAndRecoversWithoutRestart() throws Exception {
    Image victim = image().owner(ADMIN).name("locked-out").build();
    server.app().catalog().addAll(List.of(victim));
    boolean pg = TestStores.postgres();
    String url =
        pg
            ? server.app().config().storeUrl()
            : "jdbc:sqlite:" + server.dataDir().resolve("glint.db");
    try (Connection locker = DriverManager.getConnection(url);
        Statement st = locker.createStatement()) {
      if (pg) {
        // PostgreSQL: another session holds the table; Glint's lock_timeout gives up.
        locker.setAutoCommit(false);
        st.execute("LOCK TABLE images IN ACCESS EXCLUSIVE MODE");
      } else {
        st.execute("PRAGMA busy_timeout = 5000");
        st.execute("BEGIN EXCLUSIVE");
        st.executeUpdate("UPDATE images SET name = name WHERE id = '" + only.id() + "'");
      }
      HttpResponse<String> down = http.call("DELETE", "/v2.1/images/" + victim.id(), admin, null);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      assertThat(down.headers().firstValue("x-compute-request-id")).isPresent();
      assertThat(fault(down, "serviceUnavailable"))
          .isEqualTo("The image catalog is temporarily unavailable. Please retry shortly.");
      assertThat(json(down).at("/serviceUnavailable/retryAfter").asInt()).isEqualTo(1);
      HttpResponse<String> metadata =
          http.call("POST", "/v2.1/images/" + victim.id() + "/metadata", admin, "{\"metadata\": {\"a\": \"b\"}}");
      assertThat(metadata.statusCode()).isEqualTo(503);
      // SQLite's WAL readers never wait for the writer; PostgreSQL's ACCESS EXCLUSIVE blocks reads.
      assertThat(http.get("/v2.1/images/" + victim.id(), admin).statusCode())
          .isEqualTo(pg ? 503 : 200);
      if (pg) {
        locker.rollback();
      } else {
        st.execute("ROLLBACK");
      }
    }
    assertThat(http.call("DELETE", "/v2.1/images/" + victim.id(), admin, null).statusCode()).isEqualTo(204);
    assertThat(http.get("/v2.1/images/" + victim.id(), admin).statusCode()).isEqualTo(404);
  }

  @Test
  void eachRequestsIdIsInItsAccessLogLine() throws InterruptedException {
    Logger access = (Logger) LoggerFactory.getLogger("glint.access");
    List<ILoggingEvent> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing(); // capture the MDC on the request's thread
            lines.add(e);
          }
        };
    appender.start();
    access.addAppender(appender);
    try {
      HttpResponse<String> ok = http.get("/v2.1/images", admin);
      HttpResponse<String> bad = http.get("/v2.1/images?limit=-1", admin);
      for (HttpResponse<String> r : List.of(ok, bad)) {
        String id = r.headers().firstValue("x-compute-request-id").orElseThrow();
        // The line is written once the response is complete, which may be after the client
        // has read it.
        ILoggingEvent line = null;
        for (int i = 0; i < 100 && line == null; i++) {
          line = lines.stream().filter(e -> e.getFormattedMessage().contains(id)).findFirst().orElse(null);
          if (line == null) {
            Thread.sleep(50);
          }
        }
        assertThat(line).as("access log line for " + id).isNotNull();
        assertThat(line.getFormattedMessage())
            .contains("GET /v2.1/images")
            .contains(" " + r.statusCode() + " ");
        assertThat(line.getMDCPropertyMap()).containsEntry("request_id", id);
      }
    } finally {
      access.detachAppender(appender);
    }
  }

  @Test
  void deletedImagesLeaveChangesSinceAfterTheRetentionWindow() {
    Instant now = Instant.now();
    try (TestServer s = TestServer.start(Map.of("retention.days", "1"))) {
      s.app().catalog().addAll(List.of(
          image().owner(ADMIN).name("gone-2-days").deletedAt(now.minus(Duration.ofDays(2))).build(),
          image().owner(ADMIN).name("gone-1-hour").deletedAt(now.minus(Duration.ofHours(1))).build()));
      HttpResponse<String> r =
          new ComputeHttp(s).get("/v2.1/images/detail?changes-since=2026-01-01", s.tokenFor(ADMIN, "admin"));
      assertThat(json(r).path("images")).hasSize(1);
      assertThat(json(r).at("/images/0/name").asText()).isEqualTo("gone-1-hour");
      assertThat(json(r).at("/images/0/status").asText()).isEqualTo("DELETED");
    }
  }

  @Test
  void zedModeNeverListsDeletedImages() {
    Instant now = Instant.now();
    try (TestServer s = TestServer.start(Map.of("compat.deleted.in.changes.since", "false"))) {
      s.app().catalog().addAll(List.of(
          image().owner(ADMIN).name("gone-1-hour").deletedAt(now.minus(Duration.ofHours(1))).build(),
          image().owner(ADMIN).name("live").build()));
      ComputeHttp h = new ComputeHttp(s);
      String token = s.tokenFor(ADMIN, "admin");
      assertThat(json(h.get("/v2.1/images?changes-since=2026-01-01", token)).findValuesAsText("name"))
          .containsExactly("live");
      assertThat(json(h.get("/v2.1/images?changes-since=2026-01-01&status=DELETED", token)).path("images"))
          .isEmpty();
    }
  }
}
