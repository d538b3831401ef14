package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v2/images}: filters, sorts, keyset pages and links, over a fixed set of images. */
class ImageListTest {
  static final String P1 = "11111111111111111111111111111111";
  static TestServer server;
  static ImageClient owner;
  static List<String> created = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
    // 7 images, created a few ms apart (ids random): names b, a, null, c, a, d, e.
    String[] names = {"\"b\"", "\"a\"", "null", "\"c\"", "\"a\"", "\"d\"", "\"e\""};
    for (int i = 0; i < names.length; i++) {
      String json =
          "{\"name\": "
              + names[i]
              + ", \"disk_format\": \""
              + (i % 2 == 0 ? "raw" : "qcow2")
              + "\", \"container_format\": \"bare\", \"min_ram\": "
              + (i * 128)
              + ", \"seq\": \""
              + i
              + "\", \"visibility\": \"private\""
              + (i == 3 ? ", \"protected\": true, \"tags\": [\"gold\", \"x\"]" : "")
              + (i == 4 ? ", \"tags\": [\"gold\"], \"os_hidden\": true" : "")
              + "}";
      created.add(owner.create(json).get("id").asText());
      Thread.sleep(3);
    }
    owner.put("/v2/images/" + created.get(5) + "/file", "application/octet-stream", new byte[10]);
    owner.put("/v2/images/" + created.get(6) + "/file", "application/octet-stream", new byte[20]);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<String> seqs(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(r).get("images").forEach(i -> out.add(i.get("seq").asText()));
    return out;
  }

  @Test
  void defaultListIsNewestFirstWithoutHiddenImages() {
    HttpResponse<String> r = owner.get("/v2/images");
    assertThat(seqs(r)).containsExactly("6", "5", "3", "2", "1", "0");
    JsonNode body = json(r);
    List<String> keys = new ArrayList<>();
    body.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("images", "first", "schema");
    assertThat(body.get("first").asText()).isEqualTo("/v2/images");
    assertThat(body.get("schema").asText()).isEqualTo("/v2/schemas/images");
    assertThat(seqs(owner.get("/v2/images?os_hidden=true"))).containsExactly("4");
    assertThat(seqs(owner.get("/v2/images?os_hidden=TRUE"))).containsExactly("4");
  }

  @Test
  void pagesFollowNextLinksToTheEnd() {
    List<String> all = new ArrayList<>();
    String next = "/v2/images?limit=2&sort_key=name&sort_dir=asc";
    int pages = 0;
    while (next != null) {
      JsonNode body = json(owner.get(next));
      body.get("images").forEach(i -> all.add(i.get("seq").asText()));
      assertThat(body.get("first").asText()).isEqualTo("/v2/images?limit=2&sort_key=name&sort_dir=asc");
      next = body.has("next") ? body.get("next").asText() : null;
      pages++;
    }
    // '' (null name) first, the two "a" by created_at asc, then b, c, d, e; full last page → one
    // more, empty, page (Glance emits next whenever a page is full).
    assertThat(all).containsExactly("2", "1", "0", "3", "5", "6");
    assertThat(pages).isEqualTo(4);
  }

  @Test
  void mixedDirectionSortsPageByKeyset() {
    List<String> all = new ArrayList<>();
    String next = "/v2/images?limit=1&sort=disk_format:asc,name:desc";
    while (next != null) {
      JsonNode body = json(owner.get(next));
      body.get("images").forEach(i -> all.add(i.get("seq").asText()));
      next = body.has("next") ? body.get("next").asText() : null;
    }
    // qcow2: 1 (a), 3 (c), 5 (d) → name desc: 5, 3, 1; raw: 0 (b), 2 (null), 6 (e) → 6, 0, 2.
    assertThat(all).containsExactly("5", "3", "1", "6", "0", "2");
    JsonNode first = json(owner.get("/v2/images?limit=2&sort=disk_format:asc,name:desc"));
    assertThat(first.get("first").asText())
        .isEqualTo("/v2/images?limit=2&sort=disk_format%3Aasc%2Cname%3Adesc");
    assertThat(first.get("next").asText())
        .isEqualTo(
            "/v2/images?limit=2&sort=disk_format%3Aasc%2Cname%3Adesc&marker=" + created.get(3));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "name=a|1",
        "name=in:a,c|3,1",
        "name=in:\"a\",\"c\"|3,1",
        "status=active|6,5",
        "status=in:active,queued|6,5,3,2,1,0",
        "disk_format=qcow2|5,3,1",
        "min_ram=256|2",
        "min_ram_min=256&min_ram_max=640|5,3,2",
        "size_min=15|6",
        "size_max=15|5",
        "protected=true|3",
        "protected=false|6,5,2,1,0",
        "tag=gold|3",
        "tag=gold&tag=x|3",
        "tag=gold&os_hidden=true|4",
        "seq=2|2",
        "nosuchproperty=1|''",
        "owner=" + P1 + "|6,5,3,2,1,0",
        "visibility=private&limit=3|6,5,3",
        "visibility=public|''",
        "member_status=all|6,5,3,2,1,0",
        "created_at=gte:2000-01-01T00:00:00Z|6,5,3,2,1,0",
        "updated_at=lt:2000-01-01T00:00:00Z|''",
        "created_at=lt:2999-01-01T00:00:00%2B02:00|6,5,3,2,1,0",
      })
  void filtersSelect(String query, String expected) {
    List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
    assertThat(seqs(owner.get("/v2/images?" + query.replace("\"", "%22")))).containsExactlyElementsOf(want);
  }

  @Test
  void timeFiltersCompareTheShownSecond() {
    JsonNode img = json(owner.get("/v2/images/" + created.get(0)));
    String at = img.get("created_at").asText();
    assertThat(seqs(owner.get("/v2/images?created_at=eq:" + at))).contains("0");
    assertThat(seqs(owner.get("/v2/images?created_at=" + at))).contains("0");
    assertThat(seqs(owner.get("/v2/images?created_at=lte:" + at))).contains("0");
    assertThat(seqs(owner.get("/v2/images?created_at=gt:" + at))).doesNotContain("0");
    assertThat(seqs(owner.get("/v2/images?created_at=neq:" + at))).doesNotContain("0");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=abc|limit param must be an integer",
        "limit=-1|limit param must be positive",
        "updated_at=gte:yesterday|Bad \"updated_at\" query filter format. Use ISO 8601 DateTime notation.",
        "created_at=foo:2020-01-01T00:00:00Z|Unable to filter on a unknown operator.",
        "sort_key=owner|Invalid sort key: owner. It must be one of the following: name, status, container_format, disk_format, size, id, created_at, updated_at.",
        "sort=name:up|Invalid sort direction: up",
        "sort=name&sort_key=id|Old and new sorting syntax cannot be combined",
        "sort_key=name&sort_key=id&sort_dir=asc&sort_dir=desc&sort_dir=asc|Number of sort dirs does not match the number of sort keys",
        "visibility=everyone|Invalid visibility value: everyone",
        "member_status=maybe|Invalid status: maybe",
        "protected=yes|Invalid value 'yes' for 'protected' filter. Valid values are 'true' or 'false'.",
        "os_hidden=1|Invalid value '1' for 'os_hidden' filter. Valid values are 'true' or 'false'.",
        "size_min=big|Unable to filter on a range with a non-numeric value.",
        "name=like:a|Unable to filter by unknown operator 'like'.",
        "name=in:\"a|Invalid filter value \"a. The quote is not closed.",
        "name=in:\"a\"b|Invalid filter value \"a\"b. There is no comma after closing quotation mark.",
        "name=in:a\"b\"|Invalid filter value a\"b\". There is no comma before opening quotation mark.",
        "changes-since=2020-01-01|The \"changes-since\" filter is no longer available on v2.",
        "marker=00000000-0000-4000-8000-000000000000|No image found with ID 00000000-0000-4000-8000-000000000000",
      })
  void badParametersAre400WithGlanceMessages(String query, String expected) {
    HttpResponse<String> r = owner.get("/v2/images?" + query.replace("\"", "%22"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(message(r)).isEqualTo(expected);
  }

  @Test
  void limitZeroIsAnEmptyPageAndHugeLimitsAreCapped() {
    JsonNode zero = json(owner.get("/v2/images?limit=0"));
    assertThat(zero.get("images").size()).isZero();
    assertThat(zero.has("next")).isFalse();
    assertThat(seqs(owner.get("/v2/images?limit=100000"))).hasSize(6);
  }

  @Test
  void markerOfAnImageTheCallerCannotSeeIs403() {
    ImageClient stranger = ImageClient.of(server, "33333333333333333333333333333333", "member");
    HttpResponse<String> r = stranger.get("/v2/images?marker=" + created.get(0));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("Forbidding request, image " + created.get(0) + " not visible");
  }
}
