package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static dev.glint.image.ImageDataTest.RAW;
import static dev.glint.image.ImageDataTest.awaitStatus;
import static dev.glint.image.ImageImportTest.DIRECT;
import static dev.glint.image.ImageImportTest.OCTETS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Glance's unified-limits quotas per project, their 413s and {@code GET /v2/info/usage}. */
class ImageQuotaTest {
  static final String COUNT = "c0000000000000000000000000000001";
  static final String SIZE = "c0000000000000000000000000000002";
  static final String UPLOADING = "c0000000000000000000000000000003";
  static final String STAGE = "c0000000000000000000000000000004";
  static final String PLAIN = "c0000000000000000000000000000005";
  static final String OVER =
      "The request returned a 413 Request Entity Too Large. This generally means that rate"
          + " limiting or a quota threshold was breached.\n\nThe response body:\nProject ";
  /** 1.5 MiB: counts as 1 MiB against the size quotas, which Glance keeps in whole MiB. */
  static final byte[] DATA = new byte[3 << 19];

  static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            Map.of(
                "quota.image.count.total", "3",
                "quota.projects",
                String.join(
                    ",",
                    COUNT + "/image_count_total=1",
                    SIZE + "/image_size_total=0",
                    UPLOADING + "/image_count_uploading=1",
                    STAGE + "/image_stage_total=0")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ImageClient client(String project) {
    return ImageClient.of(server, project, "member");
  }

  static String over(String project, String quota, long limit, long usage, long delta) {
    return OVER + project + " is over a limit for [Resource " + quota + " is over limit of "
        + limit + " due to current usage " + usage + " and delta " + delta + "]";
  }

  @Test
  void usageListsTheFourQuotasInGlancesOrderWithDefaultsAndOverrides() {
    ImageClient c = client(PLAIN);
    c.createWithData(RAW, DATA);
    c.create(RAW);
    HttpResponse<String> r = c.get("/v2/info/usage");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode usage = json(r).get("usage");
    List<String> names = new ArrayList<>();
    usage.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "image_size_total", "image_stage_total", "image_count_total", "image_count_uploading");
    assertThat(usage.get("image_size_total").get("usage").asLong()).isEqualTo(1);
    assertThat(usage.get("image_size_total").get("limit").asLong()).isEqualTo(-1);
    assertThat(usage.get("image_count_total").get("usage").asLong()).isEqualTo(2);
    assertThat(usage.get("image_count_total").get("limit").asLong()).isEqualTo(3);
    assertThat(usage.get("image_count_uploading").get("usage").asLong()).isZero();
    assertThat(usage.get("image_stage_total").get("usage").asLong()).isZero();
    // another project's override does not leak into this one, nor its usage
    JsonNode other = json(client(COUNT).get("/v2/info/usage")).get("usage");
    assertThat(other.get("image_count_total").get("limit").asLong()).isEqualTo(1);
    assertThat(other.get("image_size_total").get("usage").asLong()).isZero();
  }

  @Test
  void imageCountTotalRefusesTheCreateOverTheLimitWith413() {
    ImageClient c = client(COUNT);
    String first = c.create(RAW).get("id").asText();
    HttpResponse<String> r = c.post("/v2/images", RAW);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).isEqualTo(over(COUNT, "image_count_total", 1, 1, 1));
    assertThat(json(c.get("/v2/images")).get("images")).hasSize(1);
    // a deleted image no longer counts
    assertThat(c.delete("/v2/images/" + first).statusCode()).isEqualTo(204);
    assertThat(c.post("/v2/images", RAW).statusCode()).isEqualTo(201);
  }

  @Test
  void imageSizeTotalRefusesUploadAndImportOnceOverAndStoresNothing() throws Exception {
    ImageClient c = client(SIZE);
    // Glance checks the usage before the upload (delta 0): a limit of 0 lets the first one in.
    c.createWithData(RAW, DATA);
    String second = c.create(RAW).get("id").asText();
    HttpResponse<String> r = c.put("/v2/images/" + second + "/file", OCTETS, DATA);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).isEqualTo(over(SIZE, "image_size_total", 0, 1, 0));
    JsonNode img = json(c.get("/v2/images/" + second));
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.get("size").isNull()).isTrue();
    // staging is not image_size_total's business; the import is
    assertThat(c.put("/v2/images/" + second + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    r = c.post("/v2/images/" + second + "/import", DIRECT);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).isEqualTo(over(SIZE, "image_size_total", 0, 1, 0));
    img = json(c.get("/v2/images/" + second));
    assertThat(img.get("status").asText()).isEqualTo("uploading");
    assertThat(img.get("size").asLong()).isEqualTo(DATA.length);
    assertThat(img.has("os_glance_import_task")).isFalse();
  }

  @Test
  void imageCountUploadingCountsStagedImagesAndRefusesTheNextUpload() throws Exception {
    ImageClient c = client(UPLOADING);
    String staged = c.create(RAW).get("id").asText();
    assertThat(c.put("/v2/images/" + staged + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    String other = c.create(RAW).get("id").asText();
    HttpResponse<String> r = c.put("/v2/images/" + other + "/file", OCTETS, DATA);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).isEqualTo(over(UPLOADING, "image_count_uploading", 1, 2, 0));
    assertThat(json(c.get("/v2/images/" + other)).get("status").asText()).isEqualTo("queued");
    r = c.put("/v2/images/" + other + "/stage", OCTETS, DATA);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(c.get("/v2/images/" + other)).get("status").asText()).isEqualTo("queued");
    JsonNode usage = json(c.get("/v2/info/usage")).get("usage");
    assertThat(usage.get("image_count_uploading").get("usage").asLong()).isEqualTo(1);
    // once the staged image is imported, the slot is free again
    assertThat(c.post("/v2/images/" + staged + "/import", DIRECT).statusCode()).isEqualTo(202);
    awaitStatus(c, staged, "active");
    assertThat(c.put("/v2/images/" + other + "/file", OCTETS, DATA).statusCode()).isEqualTo(204);
  }

  @Test
  void imageStageTotalCountsStagedBytesAndRefusesTheNextStage() {
    ImageClient c = client(STAGE);
    String first = c.create(RAW).get("id").asText();
    assertThat(c.put("/v2/images/" + first + "/stage", OCTETS, DATA).statusCode()).isEqualTo(204);
    JsonNode usage = json(c.get("/v2/info/usage")).get("usage");
    assertThat(usage.get("image_stage_total").get("usage").asLong()).isEqualTo(1);
    assertThat(usage.get("image_stage_total").get("limit").asLong()).isZero();
    String second = c.create(RAW).get("id").asText();
    HttpResponse<String> r = c.put("/v2/images/" + second + "/stage", OCTETS, DATA);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(message(r)).isEqualTo(over(STAGE, "image_stage_total", 0, 1, 0));
    assertThat(json(c.get("/v2/images/" + second)).get("status").asText()).isEqualTo("queued");
    // uploads do not use staging
    assertThat(c.put("/v2/images/" + second + "/file", OCTETS, DATA).statusCode()).isEqualTo(204);
  }
}
