package dev.glint.compute;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.OTHER;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.Visibility;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compute listener's hot lane ({@code dev.glint.http.HotLane}, {@link ComputeListLane}): what
 * it answers is what the pipeline answers, byte for byte and field for field; it shows a write at
 * once; and it answers nothing the pipeline would refuse. A request with {@code Accept-Encoding:
 * identity} always goes through the pipeline (the lane hands on any request naming a coding), so
 * the two answers to one request can be compared on one server.
 */
class ComputeListLaneTest {
  static TestServer server;
  static ComputeHttp http;
  static String demo;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new ComputeHttp(server);
    demo = server.tokenFor(DEMO, "member");
    admin = server.tokenFor(ADMIN, "admin", "member");
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String owner = i % 3 == 0 ? DEMO : i % 3 == 1 ? ADMIN : OTHER;
      var b = image().id(String.format("00000000-0000-4000-8000-%012d", i)).owner(owner)
          .name("img-" + (i % 7)).createdPlus(i);
      if (i % 5 == 0) {
        b.visibility(Visibility.PUBLIC);
      }
      if (i % 4 == 0) {
        b.properties(Map.of("image_type", "snapshot", "instance_uuid", "11111111-2222-4333-8444-555555555555"));
      }
      images.add(b.build());
    }
    server.app().catalog().addAll(images);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void whatTheLaneAnswersIsWhatThePipelineAnswers() {
    List<String> paths = new ArrayList<>();
    for (String root : List.of("/v2/" + DEMO, "/v2.1/" + DEMO, "/v2", "/v2.1")) {
      for (String list : List.of("/images", "/images/detail")) {
        for (String query : List.of("", "?limit=3", "?limit=5&marker=00000000-0000-4000-8000-000000000015",
            "?name=img-3", "?status=ACTIVE&limit=2", "?type=snapshot",
            "?server=11111111-2222-4333-8444-555555555555", "?limit=0", "?limit=x", "?minDisk=0",
            "?changes-since=2020-01-01T00:00:00Z&limit=4", "?marker=ffffffff-0000-4000-8000-000000000000",
            "?unknown=1&limit=2")) {
          paths.add(root + list + query);
        }
      }
    }
    paths.add("/v2/" + ADMIN + "/images"); // another project's URL: 400 from the pipeline
    paths.add("/v2/" + DEMO + "/images/"); // trailing slash: the pipeline's matching
    double before = server.hotAnswers("compute");
    int ok = 0;
    for (String path : paths) {
      for (String[] version : List.of(new String[0], new String[] {"OpenStack-API-Version", "compute 2.35"},
          new String[] {"X-OpenStack-Nova-API-Version", "2.36"}, new String[] {"OpenStack-API-Version", "compute latest"})) {
        for (int round = 0; round < 2; round++) { // the second round finds the page cached
          HttpResponse<String> hot = http.get(path, demo, version);
          String[] viaPipeline = new String[version.length + 2];
          System.arraycopy(version, 0, viaPipeline, 0, version.length);
          viaPipeline[version.length] = "Accept-Encoding";
          viaPipeline[version.length + 1] = "identity";
          HttpResponse<String> piped = http.get(path, demo, viaPipeline);
          String what = path + " " + String.join(" ", version);
          assertThat(hot.statusCode()).as(what).isEqualTo(piped.statusCode());
          assertThat(hot.body()).as(what).isEqualTo(piped.body());
          assertThat(TestServer.stableFields(hot)).as(what).isEqualTo(TestServer.stableFields(piped));
          if (hot.statusCode() == 200) {
            ok++;
          }
        }
      }
    }
    assertThat(ok).isGreaterThan(100);
    // Most of those 200s came from the lane (a page whose images were not yet in the index's cache
    // went through the pipeline once).
    assertThat(server.hotAnswers("compute") - before).isGreaterThan(ok / 2.0);
  }

  @Test
  void pagesAfterMarkersAreSlicedFromTheWholeListAsThePipelineWalksThem() throws Exception {
    // Names every encoder path meets: escapes, a DEL, UTF-8, a code point above U+FFFF (written
    // as two escapes), none, and lone surrogates (as the store reads them back).
    String[] odd = {"quote \" and \\ backslash", "tab\there", "del\u007f", "\u00e9mile",
        "\uD83D\uDE00 smile", null, "lone \uD800 surrogate", "</script>",
        "a \"quote\" then a lone \uDC00"};
    try (TestServer own = TestServer.start()) {
      ComputeHttp h = new ComputeHttp(own);
      String token = own.tokenFor(DEMO, "member");
      List<Image> images = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      // Ids that are not UUIDs, as older clouds hold: some the paging links carry as they are
      // (taken from the rendered items), some that need encoding (the links are written whole).
      String[] oddIds = {"LEGACY-IMAGE-%d", "img.%d_x*", "space %d", "quote\"%d", "\u00e9-%d",
          "AAAAAAAA-0000-4000-8000-%012d", "slash/%d"};
      for (int i = 0; i < 600; i++) { // more than two chunks of rendered items
        String id = i % 5 == 2 && i != 596
            ? String.format(oddIds[(i / 5) % oddIds.length], i)
            : String.format("00000000-0000-4000-8000-%012d", i);
        ids.add(id);
        var b = image().id(id).owner(i % 4 == 3 ? OTHER : DEMO).createdPlus(i)
            .name(i % 37 == 0 ? odd[(i / 37) % odd.length] : "n-" + i);
        if (i % 8 == 3) {
          b.visibility(Visibility.PUBLIC);
        }
        images.add(b.build());
      }
      own.app().catalog().addAll(images);
      // The run exists once a paged list asked for it; while it does, every page below is sliced.
      var caller = new dev.glint.catalog.CatalogScope(DEMO, List.of("member"), false);
      var paged = ComputeListParams.parse(Map.of("marker", List.of(ids.get(0))), 1000, false).query();
      String base = "/v2.1/" + DEMO + "/images";
      dev.glint.catalog.ListRun run = null;
      for (int i = 0; i < 400 && run == null; i++) {
        h.get(base + "?limit=2&marker=" + ids.get(596), token);
        run = own.app().catalog().listRun(caller, paged);
        Thread.sleep(10);
      }
      assertThat(run).as("the demo project's run").isNotNull();
      int pages = 0;
      for (int limit : new int[] {25, 7, 1000}) {
        String marker = ids.get(596); // the newest the demo project sees
        while (marker != null) {
          String path = base + "?limit=" + limit + "&marker="
              + java.net.URLEncoder.encode(marker, java.nio.charset.StandardCharsets.UTF_8);
          HttpResponse<String> hot = h.get(path, token);
          HttpResponse<String> piped = h.get(path, token, "Accept-Encoding", "identity");
          assertThat(hot.statusCode()).as(path).isEqualTo(200);
          assertThat(hot.body()).as(path).isEqualTo(piped.body());
          assertThat(TestServer.stableFields(hot)).as(path).isEqualTo(TestServer.stableFields(piped));
          var shown = Json.MAPPER.readTree(hot.body()).path("images");
          marker = shown.size() == limit ? shown.get(limit - 1).path("id").asText() : null;
          pages++;
        }
      }
      assertThat(pages).isGreaterThan(60);
      // A pager's query is read by the lane itself; its near misses go to the general parser.
      String m = ids.get(300);
      double before = own.hotAnswers("compute");
      for (String q : List.of("?marker=" + m + "&limit=3", "?limit=0&marker=" + m,
          "?limit=0003&marker=" + m, "?limit=999999999&marker=" + m,
          "?limit=99999999999999999999&marker=" + m, "?marker=" + m,
          "?limit=2&marker=" + m + "&limit=3", "?marker=" + m + "&marker=" + ids.get(200),
          "?limit=%32&marker=" + m, "?limit=+2&marker=" + m, "?limit=-1&marker=" + m,
          "?limit=&marker=" + m, "?limit=2&marker=", "?limit=2&marker=" + m.toUpperCase(),
          "?limit=2&marker=" + m + "&", "?limit=2&marker=" + m + "&page_size=x",
          "?limit=2&marker=" + m.replace("-", ""), "?limit=2&marker=" + m + "x")) {
        String path = base + q;
        HttpResponse<String> hot = h.get(path, token);
        HttpResponse<String> piped = h.get(path, token, "Accept-Encoding", "identity");
        assertThat(hot.statusCode()).as(path).isEqualTo(piped.statusCode());
        assertThat(hot.body()).as(path).isEqualTo(piped.body());
        assertThat(TestServer.stableFields(hot)).as(path).isEqualTo(TestServer.stableFields(piped));
      }
      assertThat(own.hotAnswers("compute") - before).as("pages the lane answered").isGreaterThan(5);
      assertThat(own.app().catalog().listRun(caller, paged)).as("no write meanwhile").isSameAs(run);
      // A page after a marker outside the run (another project's private image) is the walk's.
      String foreign = base + "?limit=3&marker=" + ids.get(7);
      assertThat(h.get(foreign, token).body())
          .isEqualTo(h.get(foreign, token, "Accept-Encoding", "identity").body());
    }
  }

  @Test
  void aRepeatedFirstPageShowsEveryWriteAtOnce() throws Exception {
    String path = "/v2.1/" + DEMO + "/images?limit=1000";
    http.get(path, demo);
    assertThat(http.get(path, demo).body()).doesNotContain("lane-new");
    double before = server.hotAnswers("compute");
    String created = server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
        .header("X-Auth-Token", demo).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"lane-new\"}")).build()).body();
    String id = Json.MAPPER.readTree(created).path("id").asText();
    assertThat(http.get(path, demo).body()).contains("lane-new").contains(id);
    server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id))
        .header("X-Auth-Token", demo).header("Content-Type", "application/openstack-images-v2.1-json-patch")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(
            "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"lane-renamed\"}]")).build());
    String renamed = http.get(path, demo).body();
    assertThat(renamed).contains("lane-renamed").doesNotContain("lane-new");
    server.send(HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id))
        .header("X-Auth-Token", demo).DELETE().build());
    assertThat(http.get(path, demo).body()).doesNotContain(id);
    assertThat(server.hotAnswers("compute")).isGreaterThan(before); // the lane answered after the writes
  }

  @Test
  void aRevokedTokenIsRefusedAtOnce() {
    String token = server.tokenFor(DEMO, "member");
    String path = "/v2/" + DEMO + "/images?limit=2";
    assertThat(http.get(path, token).statusCode()).isEqualTo(200);
    double before = server.hotAnswers("compute");
    assertThat(http.get(path, token).statusCode()).isEqualTo(200);
    assertThat(server.hotAnswers("compute")).isGreaterThan(before);
    HttpResponse<String> revoked = server.send(HttpRequest.newBuilder(
            URI.create(server.identityUrl() + "/v3/auth/tokens"))
        .header("X-Auth-Token", admin).header("X-Subject-Token", token).DELETE().build());
    assertThat(revoked.statusCode()).isEqualTo(204);
    HttpResponse<String> after = http.get(path, token);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("requires authentication");
  }

  @Test
  void compressedAndCrossOriginRequestsGoThroughThePipeline() {
    String path = "/v2/" + DEMO + "/images?limit=1000";
    http.get(path, demo);
    double before = server.hotAnswers("compute");
    HttpResponse<String> gz = http.get(path, demo, "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(server.hotAnswers("compute")).isEqualTo(before);
  }
}
