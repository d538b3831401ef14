package dev.glint.openapi;

import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.testing.TestImages;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The validator behind {@link OpenApiConformanceTest} can fail: real responses pass against the
 * documents as they are, and fail once a document is made wrong (a required key the view never
 * writes, a status left out) or the response is (an undeclared status, content type or route).
 */
class OpenApiValidatorTest {
  static TestServer server;
  static String token;
  static Image snapshot;

  @BeforeAll
  static void start() {
    Assumptions.assumeFalse(TestStores.postgres(), "no store involved: runs in the SQLite execution");
    server = TestServer.start();
    token = server.tokenFor(TestImages.ADMIN, "admin");
    snapshot = image().name("snap").build();
    server.app().catalog().addAll(List.of(snapshot));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Exchange show() {
    HttpResponse<String> r = server.get(server.computeUrl() + "/v2.1/images/" + snapshot.id(), token);
    assertThat(r.statusCode()).isEqualTo(200);
    return exchange("GET", "/v2.1/images/" + snapshot.id(), r);
  }

  private static Exchange exchange(String method, String path, HttpResponse<String> r) {
    return new Exchange(
        "compute", method, path, null, r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(null), null,
        r.body().getBytes(StandardCharsets.UTF_8));
  }

  private static OpenApiValidator compute() {
    return OpenApiValidator.forListener("compute");
  }

  @Test
  void aRealShowAndARealFaultPass() {
    assertThat(compute().validate(show()).problems()).isEmpty();
    HttpResponse<String> missing = server.get(server.computeUrl() + "/v2.1/images/nope", token);
    assertThat(compute().validate(exchange("GET", "/v2.1/images/nope", missing)).problems()).isEmpty();
  }

  @Test
  void aWrongSchemaInTheDocumentFails() {
    JsonNode doc = compute().document();
    ObjectNode detail = (ObjectNode) doc.at("/components/schemas/ImageDetail");
    ((ArrayNode) detail.get("required")).add("bogus");
    List<String> problems = OpenApiValidator.of("compute", doc).validate(show()).problems();
    assertThat(problems).singleElement().asString().contains("bogus");
  }

  @Test
  void aStatusTheDocumentLeavesOutFails() {
    JsonNode doc = compute().document();
    ObjectNode responses = (ObjectNode) doc.at("/components/pathItems/Image/get/responses");
    responses.remove("200");
    assertThat(OpenApiValidator.of("compute", doc).validate(show()).problems())
        .singleElement().asString().contains("status 200 is not declared");
  }

  @Test
  void anUndeclaredStatusContentTypeOrRouteFails() {
    Exchange ok = show();
    Exchange teapot = new Exchange("compute", "GET", ok.path(), null, 418, ok.contentType(), null, ok.body());
    assertThat(compute().validate(teapot).problems()).singleElement().asString().contains("status 418");
    Exchange xml = new Exchange("compute", "GET", ok.path(), null, 200, "text/xml", null, ok.body());
    assertThat(compute().validate(xml).problems()).singleElement().asString().contains("content type text/xml");
    Exchange route = new Exchange("compute", "GET", "/v9/x", "/v9/{x}", 200, ok.contentType(), null, ok.body());
    assertThat(compute().validate(route).problems()).singleElement().asString().contains("not described");
    Exchange body = new Exchange("compute", "GET", ok.path(), null, 200, ok.contentType(), null,
        "{\"image\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8));
    assertThat(compute().validate(body).problems()).isNotEmpty();
    Exchange notJson = new Exchange("compute", "GET", ok.path(), null, 200, ok.contentType(), null,
        "<html/>".getBytes(StandardCharsets.UTF_8));
    assertThat(compute().validate(notJson).problems()).singleElement().asString().contains("not JSON");
  }

  @Test
  void aRequiredHeaderMissingFails() {
    HttpResponse<String> r = server.get(server.computeUrl() + "/v2.1/images", null);
    assertThat(r.statusCode()).isEqualTo(401);
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    Exchange full = new Exchange("compute", "GET", "/v2.1/images", null, 401,
        headers.get("content-type"), null, r.body().getBytes(StandardCharsets.UTF_8), headers);
    assertThat(compute().validate(full).problems()).isEmpty();
    headers.remove("www-authenticate");
    Exchange without = new Exchange("compute", "GET", "/v2.1/images", null, 401,
        headers.get("content-type"), null, r.body().getBytes(StandardCharsets.UTF_8), headers);
    assertThat(compute().validate(without).problems())
        .singleElement().asString().contains("no WWW-Authenticate header");
  }

  @Test
  void notYetDescribedLinesAreGlobs() {
    var line = NotYetDescribed.glob("image * /v2*/metadefs/**");
    assertThat(line.matcher("image GET /v2.1/metadefs/namespaces/{namespace}").matches()).isTrue();
    assertThat(line.matcher("image GET /v2/images").matches()).isFalse();
    assertThat(NotYetDescribed.glob("image GET /v2/*").matcher("image GET /v2/a/b").matches())
        .isFalse();
  }

  @Test
  void templatesMatchConcreteSegmentsFirst() {
    OpenApiValidator v = compute();
    assertThat(v.match("/v2.1/images/detail")).isEqualTo("/v2.1/images/detail");
    assertThat(v.match("/v2.1/images/abc")).isEqualTo("/v2.1/images/{image_id}");
    assertThat(v.match("/v2.1/0123abcd/images")).isEqualTo("/v2.1/{tenant_id}/images");
    assertThat(v.match("/v2.1/images/images")).isEqualTo("/v2.1/images/{image_id}");
    assertThat(v.match("/nothing/here/at/all")).isNull();
  }
}
