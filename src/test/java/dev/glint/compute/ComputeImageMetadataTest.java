package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /images/{id}/metadata[/{key}]}: Nova's image-metadata proxy over the catalog. */
class ComputeImageMetadataTest {
  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static String demo;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("compute.metadata.items", "5"));
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin", "member");
    demo = server.tokenFor(DEMO, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A fresh image of the demo project, so each test owns what it changes. */
  static Image demoImage(Map<String, String> properties) {
    Image img = image().owner(DEMO).visibility(Visibility.PRIVATE).properties(properties).build();
    server.app().catalog().addAll(List.of(img));
    return img;
  }

  static int port() {
    return java.net.URI.create(server.computeUrl()).getPort();
  }

  static String md(Image img) {
    return "/v2.1/" + DEMO + "/images/" + img.id() + "/metadata";
  }

  @Test
  void getReturnsAllExtraPropertiesAndNoBaseAttributes() {
    Image img = demoImage(Map.of("os_distro", "ubuntu", "image_type", "snapshot"));
    HttpResponse<String> r = http.get(md(img), demo);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo("{\"metadata\":{\"image_type\":\"snapshot\",\"os_distro\":\"ubuntu\"}}");
  }

  @Test
  void getItemReturnsOneKeyAndMissingKeyIsBare404() {
    Image img = demoImage(Map.of("os_distro", "ubuntu"));
    HttpResponse<String> r = http.get(md(img) + "/os_distro", demo);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"meta\":{\"os_distro\":\"ubuntu\"}}");

    HttpResponse<String> missing = http.get(md(img) + "/nope", demo);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(fault(missing, "itemNotFound")).isEqualTo("The resource could not be found.");
  }

  @Test
  void unknownImageAndAnotherProjectsPrivateImageAre404ImageNotFound() {
    Image adminsPrivate = image().visibility(Visibility.PRIVATE).build();
    server.app().catalog().addAll(List.of(adminsPrivate));
    for (String path :
        List.of(
            "/v2.1/images/" + java.util.UUID.randomUUID() + "/metadata",
            "/v2.1/images/not-a-uuid/metadata",
            "/v2.1/images/" + adminsPrivate.id() + "/metadata",
            "/v2.1/images/" + adminsPrivate.id() + "/metadata/k")) {
      HttpResponse<String> r = http.get(path, demo);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(fault(r, "itemNotFound")).isEqualTo("Image not found.");
    }
    HttpResponse<String> write =
        http.call("POST", "/v2.1/images/" + adminsPrivate.id() + "/metadata", demo,
            "{\"metadata\": {\"a\": \"b\"}}");
    assertThat(write.statusCode()).isEqualTo(404);
    assertThat(fault(write, "itemNotFound")).isEqualTo("Image not found.");
  }

  @Test
  void postMergesAndReturnsTheWholeStoredSet() {
    Image img = demoImage(Map.of("os_distro", "ubuntu", "keep", "1"));
    HttpResponse<String> r =
        http.call("POST", md(img), demo, "{\"metadata\": {\"os_distro\": \"debian\", \"new\": \"x\"}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("metadata").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("keep", "new", "os_distro");
    assertThat(json(r).at("/metadata/os_distro").asText()).isEqualTo("debian");
    assertThat(server.app().catalog().find(server.callerFor(DEMO), img.id()).orElseThrow().properties())
        .isEqualTo(Map.of("os_distro", "debian", "keep", "1", "new", "x"));
  }

  @Test
  void putReplacesEverythingAndEchoesTheRequestInItsOrder() {
    Image img = demoImage(Map.of("gone", "1", "os_distro", "ubuntu"));
    HttpResponse<String> r =
        http.call("PUT", md(img), demo, "{\"metadata\": {\"z\": \"1\", \"a\": \"2\"}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"metadata\":{\"z\":\"1\",\"a\":\"2\"}}");
    assertThat(http.get(md(img), demo).body()).isEqualTo("{\"metadata\":{\"a\":\"2\",\"z\":\"1\"}}");
  }

  @Test
  void theStoreListGlintKeepsIsNeitherShownNorLostByAReplace() {
    Image img = demoImage(Map.of("os_distro", "ubuntu", "os_glance_stores", "fast,slow"));
    assertThat(http.get(md(img), demo).body()).isEqualTo("{\"metadata\":{\"os_distro\":\"ubuntu\"}}");
    HttpResponse<String> r = http.call("PUT", md(img), demo, "{\"metadata\": {\"a\": \"2\"}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(http.get(md(img), demo).body()).isEqualTo("{\"metadata\":{\"a\":\"2\"}}");
    assertThat(server.app().catalog().find(new dev.glint.catalog.CatalogScope(null, List.of("admin"), true), img.id()).orElseThrow()
            .properties())
        .containsEntry("os_glance_stores", "fast,slow");
  }

  @Test
  void putItemSetsOneKeyAndEchoes() {
    Image img = demoImage(Map.of("os_distro", "ubuntu"));
    HttpResponse<String> r =
        http.call("PUT", md(img) + "/hw_disk_bus", demo, "{\"meta\": {\"hw_disk_bus\": \"scsi\"}}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"meta\":{\"hw_disk_bus\":\"scsi\"}}");
    assertThat(json(http.get(md(img), demo)).path("metadata").size()).isEqualTo(2);
  }

  @Test
  void putItemWithAnotherKeyInTheBodyIs400BeforeTheImageIsLookedUp() {
    HttpResponse<String> r =
        http.call("PUT", "/v2.1/images/no-such-image/metadata/a", demo, "{\"meta\": {\"b\": \"1\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(fault(r, "badRequest")).isEqualTo("Request body and URI mismatch");
  }

  @Test
  void deleteItemIs204AndAMissingKeyIsInvalidMetadataKey() {
    Image img = demoImage(Map.of("os_distro", "ubuntu", "b", "2"));
    HttpResponse<String> r = http.call("DELETE", md(img) + "/os_distro", demo, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(http.get(md(img), demo).body()).isEqualTo("{\"metadata\":{\"b\":\"2\"}}");
    // Jetty never sends Content-Length on a 204 (RFC 9110 forbids it); Nova sends "0".
    // Either way the response has no body, and clients read none.
    String raw =
        RawHttp.exchange(
            port(),
            "DELETE " + md(img) + "/b HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + demo
                + "\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.head(raw)).startsWith("HTTP/1.1 204 ").contains("Content-Type: application/json");
    assertThat(RawHttp.body(raw)).isEmpty();

    HttpResponse<String> again = http.call("DELETE", md(img) + "/os_distro", demo, null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(fault(again, "itemNotFound")).isEqualTo("Invalid metadata key");
  }

  @Test
  void writesToAnotherProjectsPublicImageAreNotAuthorized() {
    Image pub = image().properties(Map.of("os_distro", "cirros")).build();
    server.app().catalog().addAll(List.of(pub));
    String base = "/v2.1/images/" + pub.id() + "/metadata";
    assertThat(http.get(base, demo).statusCode()).isEqualTo(200);
    for (HttpResponse<String> r :
        List.of(
            http.call("POST", base, demo, "{\"metadata\": {\"a\": \"b\"}}"),
            http.call("PUT", base, demo, "{\"metadata\": {\"a\": \"b\"}}"),
            http.call("PUT", base + "/a", demo, "{\"meta\": {\"a\": \"b\"}}"),
            http.call("DELETE", base + "/os_distro", demo, null))) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(fault(r, "forbidden")).isEqualTo("Not authorized for image " + pub.id() + ".");
    }
    // An admin may change any project's image, as in Glance.
    assertThat(http.call("POST", base, admin, "{\"metadata\": {\"a\": \"b\"}}").statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource({"name", "status", "owner", "visibility", "protected", "min_ram", "os_glance_import_task"})
  void baseAttributesAndReservedNamesAreNeverWritable(String key) {
    Image img = demoImage(Map.of());
    HttpResponse<String> r =
        http.call("POST", md(img), demo, "{\"metadata\": {\"" + key + "\": \"x\"}}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(fault(r, "forbidden")).isEqualTo("Not authorized for image " + img.id() + ".");
    Image after = server.app().catalog().find(server.callerFor(DEMO), img.id()).orElseThrow();
    assertThat(after.properties()).isEmpty();
    assertThat(after.name()).isEqualTo(img.name());
  }

  @Test
  void quotaCountsTheResultingSet() {
    Image img = demoImage(Map.of("a", "1", "b", "2", "c", "3", "d", "4"));
    HttpResponse<String> fits = http.call("POST", md(img), demo, "{\"metadata\": {\"e\": \"5\"}}");
    assertThat(fits.statusCode()).isEqualTo(200);
    HttpResponse<String> over = http.call("POST", md(img), demo, "{\"metadata\": {\"f\": \"6\"}}");
    assertThat(over.statusCode()).isEqualTo(403);
    assertThat(fault(over, "forbidden")).isEqualTo("Image metadata limit exceeded");
    HttpResponse<String> item = http.call("PUT", md(img) + "/f", demo, "{\"meta\": {\"f\": \"6\"}}");
    assertThat(fault(item, "forbidden")).isEqualTo("Image metadata limit exceeded");
    // Overwriting an existing key does not grow the set.
    assertThat(http.call("PUT", md(img) + "/a", demo, "{\"meta\": {\"a\": \"9\"}}").statusCode())
        .isEqualTo(200);
    Map<String, String> six = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      six.put("k" + i, "v");
    }
    HttpResponse<String> replace =
        http.call("PUT", md(img), demo, "{\"metadata\": " + dev.glint.http.Json.MAPPER.valueToTree(six) + "}");
    assertThat(fault(replace, "forbidden")).isEqualTo("Image metadata limit exceeded");
  }

  @ParameterizedTest(name = "[{index}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``|None is not of type 'object'",
        "null|None is not of type 'object'",
        "[]|[] is not of type 'object'",
        "{}|'metadata' is a required property",
        "{\"metadata\": \"x\"}|Invalid input for field/attribute metadata. Value: x. 'x' is not of type 'object'",
        "{\"metadata\": {\"a/b\": \"x\"}}|Invalid input for field/attribute metadata. Value: {'a/b': 'x'}. 'a/b' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
        "{\"metadata\": {\"a\": 1}}|Invalid input for field/attribute a. Value: 1. 1 is not of type 'string'",
        "{\"metadata\": {\"a\": null}}|Invalid input for field/attribute a. Value: None. None is not of type 'string'",
        "{\"metadata\": {\"a\": [true, 1.5]}}|Invalid input for field/attribute a. Value: [True, 1.5]. [True, 1.5] is not of type 'string'",
        "{\"metadata\": {\"a\": \"ok\"}, \"foo\": 1, \"bar\": 2}|Additional properties are not allowed ('bar', 'foo' were unexpected)",
        "{\"metadata\": {\"\": \"x\"}}|Invalid input for field/attribute metadata. Value: {'': 'x'}. '' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
      })
  void collectionBodiesAreValidatedWithNovasMessages(String body, String message) {
    Image img = demoImage(Map.of());
    for (String method : List.of("POST", "PUT")) {
      HttpResponse<String> r = http.call(method, md(img), demo, body.isEmpty() ? "" : body);
      assertThat(r.statusCode()).as(method + " " + body).isEqualTo(400);
      assertThat(fault(r, "badRequest")).isEqualTo(message);
    }
  }

  @ParameterizedTest(name = "[{index}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"meta\": {}}|Invalid input for field/attribute meta. Value: {}. {} does not have enough properties",
        "{\"meta\": {\"a\": \"1\", \"b\": \"2\"}}|Invalid input for field/attribute meta. Value: {'a': '1', 'b': '2'}. {'a': '1', 'b': '2'} has too many properties",
        "{\"metadata\": {\"a\": \"1\"}}|'meta' is a required property",
      })
  void itemBodiesAreValidatedWithNovasMessages(String body, String message) {
    Image img = demoImage(Map.of());
    HttpResponse<String> r = http.call("PUT", md(img) + "/a", demo, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(fault(r, "badRequest")).isEqualTo(message);
  }

  @Test
  void keyAndValueLengthsAreCappedAt255() {
    Image img = demoImage(Map.of());
    String k255 = "k".repeat(255);
    String v255 = "v".repeat(255);
    HttpResponse<String> ok =
        http.call("POST", md(img), demo, "{\"metadata\": {\"" + k255 + "\": \"" + v255 + "\"}}");
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> longValue =
        http.call("POST", md(img), demo, "{\"metadata\": {\"a\": \"" + v255 + "v\"}}");
    assertThat(fault(longValue, "badRequest"))
        .isEqualTo("Invalid input for field/attribute a. Value: " + v255 + "v. '" + v255 + "v' is too long");
    HttpResponse<String> longKey =
        http.call("POST", md(img), demo, "{\"metadata\": {\"" + k255 + "k\": \"x\"}}");
    assertThat(fault(longKey, "badRequest"))
        .startsWith("Invalid input for field/attribute metadata. Value: {'" + k255 + "k': 'x'}. '")
        .endsWith("' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'");
  }

  @Test
  void legacyV2DropsExtraTopLevelKeysButStillChecksKeyPatterns() {
    Image img = demoImage(Map.of());
    String base = "/v2/" + DEMO + "/images/" + img.id() + "/metadata";
    HttpResponse<String> relaxed =
        http.call("POST", base, demo, "{\"metadata\": {\"a\": \"1\"}, \"extra\": true}");
    assertThat(relaxed.statusCode()).isEqualTo(200);
    assertThat(relaxed.body()).isEqualTo("{\"metadata\":{\"a\":\"1\"}}");
    HttpResponse<String> badKey = http.call("POST", base, demo, "{\"metadata\": {\"a/b\": \"1\"}}");
    assertThat(fault(badKey, "badRequest"))
        .isEqualTo(
            "Invalid input for field/attribute metadata. Value: {'a/b': '1'}. Additional"
                + " properties are not allowed ('a/b' was unexpected)");
  }

  @Test
  void malformedJsonIs400MalformedRequestBody() {
    Image img = demoImage(Map.of());
    HttpResponse<String> r = http.call("POST", md(img), demo, "{\"metadata\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(fault(r, "badRequest")).isEqualTo("Malformed request body");
  }

  @ParameterizedTest
  @CsvSource({
    "application/json, 200",
    "application/json; charset=UTF-8, 200",
    "application/vnd.openstack.compute+json, 200",
    "text/plain, 200",
    "application/xml, 415",
    "application/x-www-form-urlencoded, 415",
  })
  void contentTypeIsCheckedAsNovaDoes(String type, int status) {
    Image img = demoImage(Map.of());
    HttpResponse<String> r =
        http.call("POST", md(img), demo, "{\"metadata\": {\"a\": \"1\"}}", "Content-Type", type);
    assertThat(r.statusCode()).isEqualTo(status);
    if (status == 415) {
      assertThat(fault(r, "badMediaType")).isEqualTo("Unsupported Content-Type");
    }
  }

  @Test
  void bodiesOverTheLimitAre413InWebobsShape() {
    Image img = demoImage(Map.of());
    String big = "{\"metadata\": {\"a\": \"" + "x".repeat(120_000) + "\"}}";
    HttpResponse<String> r = http.call("POST", md(img), demo, big, "Accept", "application/json");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"message\":\"Request is too large. Larger than max_request_body_size (114688).<br"
                + " /><br />\\n\\n\\n\",\"code\":\"413 Request Entity Too Large\",\"title\":\"Request"
                + " Entity Too Large\"}");
    // As in Nova the limiter runs before authentication and routing (fixture 112).
    HttpResponse<String> unrouted =
        http.call("POST", "/v2/" + DEMO + "/images", null, big, "Accept", "application/json");
    assertThat(unrouted.statusCode()).isEqualTo(413);
  }

  @Test
  void chunkedBodiesOverTheLimitAre413Too() {
    Image img = demoImage(Map.of());
    byte[] big = ("{\"metadata\": {\"a\": \"" + "x".repeat(120_000) + "\"}}").getBytes();
    java.net.http.HttpRequest req =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.computeUrl() + md(img)))
            .header("X-Auth-Token", demo)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    HttpResponse<String> r = server.send(req);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("message").asText())
        .startsWith("Request is too large. Larger than 114688.");
  }

  @Test
  void metadataIsServedUpTo238AndGoneAbove() {
    Image img = demoImage(Map.of("a", "1"));
    HttpResponse<String> at238 =
        http.get(md(img), demo, "OpenStack-API-Version", "compute 2.38");
    assertThat(at238.statusCode()).isEqualTo(200);
    assertThat(at238.headers().firstValue("OpenStack-API-Version")).hasValue("compute 2.38");
    HttpResponse<String> at239 = http.get(md(img), demo, "X-OpenStack-Nova-API-Version", "2.39");
    assertThat(at239.statusCode()).isEqualTo(404);
    assertThat(fault(at239, "itemNotFound")).isEqualTo("The resource could not be found.");
    HttpResponse<String> post239 =
        http.call("POST", md(img), demo, "{\"metadata\": {}}", "X-OpenStack-Nova-API-Version", "2.39");
    assertThat(post239.statusCode()).isEqualTo(404);
    // The image itself is gone from 2.36 while its metadata is still served.
    assertThat(
            http.get("/v2.1/images/" + img.id(), demo, "X-OpenStack-Nova-API-Version", "2.36")
                .statusCode())
        .isEqualTo(404);
  }
}
