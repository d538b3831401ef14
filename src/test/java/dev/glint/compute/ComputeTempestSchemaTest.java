package dev.glint.compute;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every compute images response kind validated against tempest 33's own response schemas
 * ({@code tempest/lib/api_schema/response/compute/v2_1/images.py}), exported to
 * {@code src/test/resources/tempest/} by {@code scripts/export-tempest-schemas.py}. As in tempest's
 * client, the status code must be one the schema lists and a schema without a body means no body.
 */
class ComputeTempestSchemaTest {
  /** oslo's parse_isotime accepts more, but Nova writes exactly this; tempest's format check. */
  static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static Image snapshot;
  static Image queued;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("api.max.limit", "2"));
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin");
    snapshot =
        image().name("snap").createdPlus(3)
            .properties(Map.of("instance_uuid", "b8004092-f9e2-4b92-9b38-eefa6bced784",
                "image_type", "snapshot", "auto_disk_config", "True",
                "block_device_mapping", "[{\"boot_index\": 0}]"))
            .build();
    queued = image().name(null).status(ImageStatus.QUEUED).size(null).createdPlus(2).build();
    server.app().catalog().addAll(List.of(snapshot, queued, image().name("third").createdPlus(1).build()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode tempest(String kind) {
    try (InputStream in =
        ComputeTempestSchemaTest.class.getResourceAsStream("/tempest/compute-images-" + kind + ".json")) {
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> violations(String kind, HttpResponse<String> r) {
    JsonNode schema = tempest(kind);
    List<String> out = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    schema.path("status_code").forEach(c -> codes.add(c.asInt()));
    if (!codes.contains(r.statusCode())) {
      out.add("status " + r.statusCode() + " not in " + codes);
    }
    if (!schema.has("response_body")) {
      if (!r.body().isEmpty()) {
        out.add("a body where tempest expects none: " + r.body());
      }
      return out;
    }
    Schema body =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(schema.path("response_body").toString(), InputFormat.JSON);
    for (Error e : body.validate(r.body(), InputFormat.JSON)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    // tempest's custom format, which the generic validator cannot know.
    JsonNode parsed = ComputeHttp.json(r);
    for (String field : List.of("created", "updated")) {
      for (JsonNode v : parsed.findValues(field)) {
        if (!ISO_TIME.matcher(v.asText()).matches()) {
          out.add(field + " is not ISO 8601: " + v);
        }
      }
    }
    return out;
  }

  @Test
  void theSchemasAreStrictEnoughToCatchAnExtraKey() {
    HttpResponse<String> r = http.get("/v2.1/images/" + snapshot.id(), admin);
    assertThat(violations("get-image", r)).isEmpty();
    String tampered = r.body().replace("\"minRam\"", "\"min_ram\"");
    JsonNode schema = tempest("get-image").path("response_body");
    List<Error> errors =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(schema.toString(), InputFormat.JSON)
            .validate(tampered, InputFormat.JSON);
    assertThat(errors).isNotEmpty();
    assertThat(violations("list-images", http.get("/v2.1/images/detail", admin))).isNotEmpty();
  }

  @Test
  void listAndDetailPagesValidate() {
    for (String root : List.of("/v2.1", "/v2", "/v2.1/" + ADMIN, "/v2/" + ADMIN)) {
      HttpResponse<String> first = http.get(root + "/images", admin);
      assertThat(ComputeHttp.json(first).has("images_links")).isTrue();
      assertThat(violations("list-images", first)).as(root).isEmpty();
      String marker = ComputeHttp.json(first).at("/images/1/id").asText();
      // A page with both next and previous links.
      HttpResponse<String> middle = http.get(root + "/images/detail?limit=1&marker=" + marker, admin);
      assertThat(ComputeHttp.json(middle).path("images_links")).hasSize(2);
      assertThat(violations("list-images-details", middle)).as(root).isEmpty();
      assertThat(violations("list-images-details", http.get(root + "/images/detail", admin))).isEmpty();
      assertThat(violations("list-images", http.get(root + "/images?name=none", admin))).isEmpty();
    }
  }

  @Test
  void showValidatesWithServerDiskConfigNullNameAndNoSize() {
    assertThat(ComputeHttp.json(http.get("/v2.1/images/" + snapshot.id(), admin)).path("image").has("server"))
        .isTrue();
    assertThat(violations("get-image", http.get("/v2.1/images/" + snapshot.id(), admin))).isEmpty();
    assertThat(violations("get-image", http.get("/v2.1/images/" + queued.id(), admin))).isEmpty();
  }

  @Test
  void metadataResponsesValidate() {
    String md = "/v2.1/images/" + snapshot.id() + "/metadata";
    assertThat(violations("image-metadata", http.get(md, admin))).isEmpty();
    assertThat(violations("image-metadata", http.call("POST", md, admin, "{\"metadata\": {\"a\": \"1\"}}")))
        .isEmpty();
    assertThat(violations("image-meta-item", http.get(md + "/a", admin))).isEmpty();
    assertThat(violations("image-meta-item", http.call("PUT", md + "/a", admin, "{\"meta\": {\"a\": \"2\"}}")))
        .isEmpty();
    assertThat(violations("delete", http.call("DELETE", md + "/a", admin, null))).isEmpty();
    Image mine = image().name("mine").build();
    server.app().catalog().addAll(List.of(mine));
    String other = "/v2.1/images/" + mine.id() + "/metadata";
    assertThat(violations("image-metadata", http.call("PUT", other, admin, "{\"metadata\": {\"b\": \"1\"}}")))
        .isEmpty();
  }

  @Test
  void deleteValidates() {
    Image doomed = image().name("doomed").build();
    server.app().catalog().addAll(List.of(doomed));
    assertThat(violations("delete", http.call("DELETE", "/v2.1/images/" + doomed.id(), admin, null))).isEmpty();
  }
}
