package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version discovery and microversion negotiation, against recorded exchanges 100-111. */
class ComputeMicroversionTest {
  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static final String LIST = "/v2.1/" + ADMIN + "/images?limit=1";

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin");
    server.app().catalog().addAll(List.of(image().build()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void assertVersionHeaders(HttpResponse<String> r, String version) {
    assertThat(r.headers().firstValue("OpenStack-API-Version")).hasValue("compute " + version);
    assertThat(r.headers().firstValue("X-OpenStack-Nova-API-Version")).hasValue(version);
    assertThat(r.headers().allValues("Vary"))
        .containsExactly("OpenStack-API-Version", "X-OpenStack-Nova-API-Version");
  }

  @ParameterizedTest
  @CsvSource({
    "'', '', 2.1",
    "OpenStack-API-Version, compute 2.35, 2.35",
    "OpenStack-API-Version, 'volume 3.0, COMPUTE 2.20', 2.20",
    "OpenStack-API-Version, 'compute 2.3, compute 2.30', 2.30",
    "X-OpenStack-Nova-API-Version, 2.35, 2.35",
    "X-OpenStack-Nova-API-Version, 2.10, 2.10",
  })
  void versionsUpTo235ServeImages(String header, String value, String echoed) {
    HttpResponse<String> r = header.isEmpty() ? http.get(LIST, admin) : http.get(LIST, admin, header, value);
    assertThat(r.statusCode()).isEqualTo(200);
    assertVersionHeaders(r, echoed);
  }

  @Test
  void theStandardHeaderWinsOverTheLegacyOne() {
    HttpResponse<String> r =
        http.get(LIST, admin, "OpenStack-API-Version", "compute 2.30", "X-OpenStack-Nova-API-Version", "2.50");
    assertThat(r.statusCode()).isEqualTo(200);
    assertVersionHeaders(r, "2.30");
  }

  /** Fixtures 100, 101, 107: the images proxy is gone from 2.36, `latest` included. */
  @ParameterizedTest
  @CsvSource({
    "X-OpenStack-Nova-API-Version, 2.36, 2.36",
    "OpenStack-API-Version, compute 2.36, 2.36",
    "X-OpenStack-Nova-API-Version, latest, 2.93",
    "OpenStack-API-Version, compute latest, 2.93",
  })
  void imagesAreGoneFrom236(String header, String value, String echoed) {
    String id = json(http.get(LIST, admin)).at("/images/0/id").asText();
    for (String path : List.of(LIST, "/v2.1/images/detail", "/v2.1/images/" + id)) {
      HttpResponse<String> r = http.get(path, admin, header, value);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
      assertVersionHeaders(r, echoed);
      assertThat(r.body())
          .isEqualTo("{\"itemNotFound\":{\"code\":404,\"message\":\"The resource could not be found.\"}}");
    }
  }

  /** Fixture 102: 406 is a computeFault and still echoes the requested version. */
  @Test
  void outOfRangeIs406ComputeFaultEchoingTheVersion() {
    for (String v : List.of("2.999", "2.0", "3.0", "1.1")) {
      HttpResponse<String> r = http.get(LIST, admin, "X-OpenStack-Nova-API-Version", v);
      assertThat(r.statusCode()).isEqualTo(406);
      assertVersionHeaders(r, v);
      assertThat(fault(r, "computeFault"))
          .isEqualTo("Version " + v + " is not supported by the API. Minimum is 2.1 and maximum is 2.93.");
    }
  }

  /** Fixture 103: a malformed version is a 400 without version headers. */
  @ParameterizedTest
  @CsvSource({"garbage", "2.a", "2", "02.1", "2.01", "Latest", "2.1.1"})
  void malformedIs400WithoutVersionHeaders(String v) {
    HttpResponse<String> r = http.get(LIST, admin, "X-OpenStack-Nova-API-Version", v);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("OpenStack-API-Version")).isEmpty();
    assertThat(fault(r, "badRequest"))
        .isEqualTo("API Version String " + v + " is of invalid format. Must be of format MajorNum.MinorNum.");
  }

  /** Fixture 106: the legacy root ignores version headers and sends none. */
  @Test
  void legacyV2IgnoresVersionHeaders() {
    for (String v : List.of("2.36", "garbage", "2.999")) {
      HttpResponse<String> r =
          http.get("/v2/" + ADMIN + "/images?limit=1", admin, "X-OpenStack-Nova-API-Version", v,
              "OpenStack-API-Version", "compute " + v);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("OpenStack-API-Version")).isEmpty();
      assertThat(r.headers().firstValue("X-OpenStack-Nova-API-Version")).isEmpty();
      assertThat(r.headers().allValues("Vary")).isEmpty();
    }
  }

  /** Fixture 108: GET / lists both versions, needs no token, sends no request id. */
  @Test
  void rootListsBothVersions() {
    HttpResponse<String> r = http.get("/", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-compute-request-id")).isEmpty();
    assertThat(r.headers().firstValue("x-openstack-request-id")).isEmpty();
    String c = server.computeUrl();
    assertThat(r.body())
        .isEqualTo(
            "{\"versions\":[{\"id\":\"v2.0\",\"status\":\"SUPPORTED\",\"version\":\"\",\"min_version\":\"\","
                + "\"updated\":\"2011-01-21T11:33:21Z\",\"links\":[{\"rel\":\"self\",\"href\":\"" + c + "/v2/\"}]},"
                + "{\"id\":\"v2.1\",\"status\":\"CURRENT\",\"version\":\"2.93\",\"min_version\":\"2.1\","
                + "\"updated\":\"2013-07-23T11:33:21Z\",\"links\":[{\"rel\":\"self\",\"href\":\"" + c + "/v2.1/\"}]}]}");
  }

  /** Fixtures 109-111: one version document each, with and without the trailing slash. */
  @Test
  void versionDocuments() {
    for (String path : List.of("/v2.1", "/v2.1/")) {
      HttpResponse<String> r = http.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertVersionHeaders(r, "2.1");
      JsonNode v = json(r).path("version");
      assertThat(v.path("id").asText()).isEqualTo("v2.1");
      assertThat(v.path("version").asText()).isEqualTo("2.93");
      assertThat(v.path("min_version").asText()).isEqualTo("2.1");
      assertThat(v.at("/media-types/0/type").asText())
          .isEqualTo("application/vnd.openstack.compute+json;version=2.1");
      assertThat(v.at("/links/1/rel").asText()).isEqualTo("describedby");
    }
    for (String path : List.of("/v2", "/v2/")) {
      HttpResponse<String> r = http.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("OpenStack-API-Version")).isEmpty();
      JsonNode v = json(r).path("version");
      assertThat(v.path("id").asText()).isEqualTo("v2.0");
      assertThat(v.path("status").asText()).isEqualTo("SUPPORTED");
      assertThat(v.path("version").asText()).isEmpty();
      assertThat(v.at("/links/0/href").asText()).isEqualTo(server.computeUrl() + "/v2/");
      assertThat(v.at("/media-types/0/type").asText())
          .isEqualTo("application/vnd.openstack.compute+json;version=2");
    }
    HttpResponse<String> tenant = http.get("/v2.1/" + ADMIN + "/", admin);
    assertThat(tenant.statusCode()).isEqualTo(200);
    assertThat(json(tenant).at("/version/id").asText()).isEqualTo("v2.1");
  }
}
