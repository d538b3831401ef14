package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.OTHER;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /images} and {@code /images/detail}: the seed issue's (#2) pages, links, markers and
 * filters over a known catalog, with {@code api.max.limit} set to 5 so the cap shows.
 */
class ComputeImagesListTest {
  static final String SERVER_UUID = "b8004092-f9e2-4b92-9b38-eefa6bced784";
  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static String demo;
  static final List<Image> all = new ArrayList<>();
  static Image recentlyDeleted;
  static Image longDeleted;

  @BeforeAll
  static void start() {
    // demo-saving is inserted with no upload lease: with the default 60 s lease, a sweep on a
    // slow run put it back to queued mid-class (statusFiltersInNovaAndGlanceTerms saw it so).
    server = TestServer.start(Map.of("api.max.limit", "5", "upload.lease.seconds", "86400"));
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin", "member");
    demo = server.tokenFor(DEMO, "member");
    for (int i = 0; i < 12; i++) {
      // Two images share each creation time: the id breaks the tie.
      all.add(image().name("public-" + i).createdPlus(i / 2).build());
    }
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("demo-private").createdPlus(20)
        .minRam(1024).minDisk(20).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("demo-queued").status(ImageStatus.QUEUED).size(null).createdPlus(21).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("demo-saving").status(ImageStatus.SAVING).createdPlus(22).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("demo-killed").status(ImageStatus.KILLED).createdPlus(23).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("demo-deactivated").status(ImageStatus.DEACTIVATED).createdPlus(24).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("snap-web").createdPlus(25)
        .properties(Map.of("image_type", "snapshot", "instance_uuid", SERVER_UUID)).build());
    all.add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("backup-db").createdPlus(26)
        .properties(Map.of("image_type", "backup", "instance_uuid", "0aa1e1f2-0000-4000-8000-000000000001")).build());
    all.add(image().owner(DEMO).visibility(Visibility.COMMUNITY).name("demo-community").createdPlus(27).build());
    all.add(image().owner(ADMIN).visibility(Visibility.PRIVATE).name("admin-private").createdPlus(30).build());
    all.add(image().owner(OTHER).visibility(Visibility.COMMUNITY).name("other-community").createdPlus(31).build());
    all.add(image().owner(OTHER).visibility(Visibility.SHARED).name("other-shared").createdPlus(32).build());
    all.add(image().name("hidden-public").hidden().createdPlus(33).build());
    all.add(image().name("name with spaces").createdPlus(34).build());
    all.add(image().name("caf\u00e9-\u65e5\u672c").createdPlus(35).build());
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    recentlyDeleted =
        image().owner(DEMO).name("deleted-recently").createdPlus(40).deletedAt(now.minus(1, ChronoUnit.HOURS)).build();
    longDeleted =
        image().owner(DEMO).name("deleted-long-ago").createdPlus(41).deletedAt(now.minus(40, ChronoUnit.DAYS)).build();
    all.add(recentlyDeleted);
    all.add(longDeleted);
    server.app().catalog().addAll(all);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What Glance lists for the demo project, in Nova's order (created_at desc, id desc). */
  static List<String> visibleToDemo() {
    Set<String> names =
        Set.of("demo-private", "demo-queued", "demo-saving", "demo-deactivated", "snap-web",
            "backup-db", "demo-community", "name with spaces", "caf\u00e9-\u65e5\u672c");
    return all.stream()
        .filter(i -> names.contains(i.name()) || i.name().startsWith("public-"))
        .sorted(Comparator.comparing(Image::createdAt).thenComparing(Image::id).reversed())
        .map(Image::id)
        .toList();
  }

  /** Every page of a list, following next links (pages hold at most api.max.limit = 5). */
  static List<JsonNode> walk(String start, String token) {
    List<JsonNode> out = new ArrayList<>();
    String next = start;
    for (int pages = 0; next != null && pages < 50; pages++) {
      HttpResponse<String> r = http.get(next, token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      json(r).path("images").forEach(out::add);
      String href = link(r, "next");
      next = href == null ? null : path(href);
    }
    return out;
  }

  static List<String> allNames(String start, String token) {
    return walk(start, token).stream().map(i -> i.path("name").asText()).toList();
  }

  static List<String> ids(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(r).path("images").forEach(i -> out.add(i.path("id").asText()));
    return out;
  }

  static List<String> names(HttpResponse<String> r) {
    List<String> out = new ArrayList<>();
    json(r).path("images").forEach(i -> out.add(i.path("name").asText()));
    return out;
  }

  static String link(HttpResponse<String> r, String rel) {
    for (JsonNode l : json(r).path("images_links")) {
      if (l.path("rel").asText().equals(rel)) {
        return l.path("href").asText();
      }
    }
    return null;
  }

  static String path(String href) {
    URI u = URI.create(href);
    assertThat(href).startsWith(server.computeUrl());
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void noLimitAndLimitZeroGiveAFullPageOfMaxLimitWithANextLink() {
    for (String q : List.of("", "?limit=0", "?limit=100000")) {
      HttpResponse<String> r = http.get("/v2.1/images" + q, demo);
      assertThat(ids(r)).as(q).isEqualTo(visibleToDemo().subList(0, 5));
      assertThat(link(r, "next")).as(q).endsWith("marker=" + visibleToDemo().get(4));
      assertThat(link(r, "previous")).isNull();
    }
  }

  @Test
  void walkingNextLinksReturnsEveryVisibleImageOnceInOrder() {
    for (String start : List.of("/v2.1/images?limit=4", "/v2/" + DEMO + "/images/detail", "/v2.1/images?limit=3&name=")) {
      List<String> seen = new ArrayList<>();
      String next = start;
      int pages = 0;
      while (next != null && pages++ < 50) {
        HttpResponse<String> r = http.get(next, demo);
        List<String> page = ids(r);
        seen.addAll(page);
        String href = link(r, "next");
        next = href == null ? null : path(href);
        if (next == null) {
          assertThat(page.size()).as("only a short last page ends the walk").isLessThan(5);
        }
      }
      if (start.contains("name=")) {
        assertThat(seen).isEmpty(); // name= (empty) matches no image name
      } else {
        assertThat(seen).as(start).isEqualTo(visibleToDemo());
      }
    }
  }

  @Test
  void aFullLastPageStillGetsANextLinkThatLeadsToAnEmptyPage() {
    int n = visibleToDemo().size();
    HttpResponse<String> r = http.get("/v2.1/images?limit=5&marker=" + visibleToDemo().get(n - 6), demo);
    assertThat(ids(r)).hasSize(5);
    HttpResponse<String> after = http.get(path(link(r, "next")), demo);
    assertThat(ids(after)).isEmpty();
    assertThat(json(after).has("images_links")).isTrue(); // previous only
    assertThat(link(after, "next")).isNull();
  }

  @Test
  void previousLinkLeadsBackOnePage() {
    List<String> v = visibleToDemo();
    HttpResponse<String> page1 = http.get("/v2.1/images?limit=3", demo);
    HttpResponse<String> page2 = http.get(path(link(page1, "next")), demo);
    HttpResponse<String> page3 = http.get(path(link(page2, "next")), demo);
    assertThat(ids(page3)).isEqualTo(v.subList(6, 9));
    assertThat(ids(http.get(path(link(page3, "previous")), demo))).isEqualTo(v.subList(3, 6));
    String toFirst = link(page2, "previous");
    assertThat(toFirst).doesNotContain("marker=");
    assertThat(ids(http.get(path(toFirst), demo))).isEqualTo(v.subList(0, 3));
  }

  @Test
  void nextLinkKeepsEveryParameterSortedWithTheMarkerReplaced() {
    HttpResponse<String> r =
        http.get("/v2/" + DEMO + "/images?zeta=1&limit=2&marker=" + visibleToDemo().get(0) + "&sort_key=name", demo);
    assertThat(link(r, "next"))
        .isEqualTo(server.computeUrl() + "/v2/" + DEMO + "/images?limit=2&marker="
            + visibleToDemo().get(2) + "&sort_key=name&zeta=1");
  }

  @Test
  void markerValidUnknownGarbageAndDeleted() {
    List<String> v = visibleToDemo();
    assertThat(ids(http.get("/v2.1/images?limit=2&marker=" + v.get(3), demo))).isEqualTo(v.subList(4, 6));
    for (String marker : List.of("7a4b1f6e-0000-4000-8000-000000000000", "garbage")) {
      HttpResponse<String> r = http.get("/v2.1/images?marker=" + marker, demo);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(fault(r, "badRequest")).isEqualTo("HTTP 400 Bad Request: No image found with ID " + marker);
    }
    // Another project's private image is no marker for the demo project either.
    String adminPrivate = byName("admin-private").id();
    assertThat(fault(http.get("/v2.1/images?marker=" + adminPrivate, demo), "badRequest"))
        .isEqualTo("HTTP 400 Bad Request: No image found with ID " + adminPrivate);
    // A deleted image still marks its place (fixture 18).
    HttpResponse<String> afterDeleted = http.get("/v2.1/images?limit=2&marker=" + recentlyDeleted.id(), demo);
    assertThat(ids(afterDeleted)).isEqualTo(v.subList(0, 2));
  }

  static Image byName(String name) {
    return all.stream().filter(i -> name.equals(i.name())).findFirst().orElseThrow();
  }

  @Test
  void nameIsExactAndLiteral() {
    assertThat(names(http.get("/v2.1/images?name=public-3", demo))).containsExactly("public-3");
    assertThat(names(http.get("/v2.1/images?name=public", demo))).isEmpty();
    assertThat(names(http.get("/v2.1/images?name=" + enc("name with spaces"), demo)))
        .containsExactly("name with spaces");
    assertThat(names(http.get("/v2.1/images?name=" + enc("caf\u00e9-\u65e5\u672c"), demo)))
        .containsExactly("caf\u00e9-\u65e5\u672c");
    assertThat(names(http.get("/v2.1/images?name=admin-private", demo))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SAVING|demo-queued,demo-saving",
        "saving|demo-queued,demo-saving",
        "queued|demo-queued",
        "ERROR|demo-killed",
        "killed|demo-killed",
        "UNKNOWN|demo-deactivated",
        "deactivated|demo-deactivated",
        "DELETED|",
      })
  void statusFiltersInNovaAndGlanceTerms(String status, String expected) {
    List<String> want = expected == null ? List.of() : List.of(expected.split(","));
    List<String> got =
        allNames("/v2.1/images?status=" + status, demo).stream()
            .filter(n -> !n.startsWith("public-"))
            .toList();
    assertThat(got).containsExactlyInAnyOrderElementsOf(want);
  }

  @Test
  void statusActiveListsOnlyActiveImages() {
    List<JsonNode> images = walk("/v2.1/images/detail?status=ACTIVE", demo);
    images.forEach(i -> assertThat(i.path("status").asText()).isEqualTo("ACTIVE"));
    assertThat(images).hasSize(visibleToDemo().size() - 3);
  }

  @Test
  void garbageStatusIs400NamingIt() {
    HttpResponse<String> r = http.get("/v2.1/images?status=SLEEPING", demo);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(fault(r, "badRequest")).contains("'SLEEPING'");
  }

  @Test
  void typeAndServerFilterOnTheSnapshotProperties() {
    assertThat(names(http.get("/v2.1/images?type=snapshot", demo))).containsExactly("snap-web");
    assertThat(names(http.get("/v2.1/images?type=backup", demo))).containsExactly("backup-db");
    assertThat(names(http.get("/v2.1/images?type=garbage", demo))).isEmpty();
    assertThat(names(http.get("/v2.1/images?server=" + SERVER_UUID, demo))).containsExactly("snap-web");
    assertThat(names(http.get("/v2.1/images?server=" + enc("http://nova:8774/v2.1/servers/" + SERVER_UUID), demo)))
        .containsExactly("snap-web");
    assertThat(names(http.get("/v2.1/images?server=7a4b1f6e-0000-4000-8000-000000000000", demo))).isEmpty();
    HttpResponse<String> garbage = http.get("/v2.1/images?server=not-a-server", demo);
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(fault(garbage, "badRequest")).contains("'not-a-server'");
  }

  @Test
  void propertyAndMinimumFilters() {
    assertThat(names(http.get("/v2.1/images?property-image_type=backup", demo))).containsExactly("backup-db");
    assertThat(names(http.get("/v2.1/images?property-instance_uuid=" + SERVER_UUID, demo)))
        .containsExactly("snap-web");
    assertThat(allNames("/v2.1/images?minRam=512", demo)).containsExactly("demo-private");
    assertThat(allNames("/v2.1/images?minDisk=20", demo)).containsExactly("demo-private");
    assertThat(allNames("/v2.1/images?minDisk=21", demo)).isEmpty();
    assertThat(allNames("/v2.1/images?minRam=0", demo)).hasSize(visibleToDemo().size());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-11-01T10:19:00Z", "2026-11-01T11:19:00%2B01:00", "2026-11-01T05:19:00-05:00",
      "2026-11-01T11:19:00%2B0100", "2026-11-01T10:19:00", "2026-11-01T10:19:00.000000Z",
      "2026-11-01%2010:19:00", "2026-11-01T11:19:00+01:00", "2026-11-01T10:19"})
  void changesSinceInEachFormListsNewerUpdatesAndRecentDeletions(String since) {
    List<JsonNode> images = walk("/v2.1/images/detail?changes-since=" + since, demo);
    Map<String, String> statusByName = new java.util.TreeMap<>();
    images.forEach(i -> statusByName.put(i.path("name").asText(), i.path("status").asText()));
    assertThat(statusByName)
        .containsEntry("deleted-recently", "DELETED")
        .containsEntry("demo-private", "ACTIVE")
        .doesNotContainKey("deleted-long-ago")
        .doesNotContainKey("public-11")
        .doesNotContainKey("demo-killed");
    assertThat(statusByName.keySet())
        .containsExactlyInAnyOrder("demo-private", "demo-queued", "demo-saving", "demo-deactivated",
            "snap-web", "backup-db", "demo-community", "name with spaces", "caf\u00e9-\u65e5\u672c",
            "deleted-recently");
    JsonNode deleted = null;
    for (JsonNode i : images) {
      if (i.path("name").asText().equals("deleted-recently")) {
        deleted = i;
      }
    }
    assertThat(deleted.path("progress").asInt()).isZero();
  }

  @Test
  void changesSinceDateOnlyAndFuture() {
    assertThat(walk("/v2.1/images?changes-since=2026-11-01", demo)).hasSize(visibleToDemo().size() + 1);
    assertThat(ids(http.get("/v2.1/images?changes-since=2099-01-01T00:00:00Z", demo))).isEmpty();
  }

  @Test
  void deletedImagesNeverShowOutsideChangesSince() {
    assertThat(allNames("/v2.1/images", demo)).doesNotContain("deleted-recently");
    assertThat(allNames("/v2.1/images?status=DELETED", demo)).isEmpty();
    assertThat(allNames("/v2.1/images?status=DELETED&changes-since=2026-01-01", demo))
        .containsExactly("deleted-recently");
    HttpResponse<String> show = http.get("/v2.1/images/" + recentlyDeleted.id(), demo);
    assertThat(show.statusCode()).isEqualTo(404);
    assertThat(fault(show, "itemNotFound")).isEqualTo("Image not found.");
  }

  @Test
  void badChangesSinceIs400NamingTheValue() {
    for (String bad : List.of("garbage", "2015-1-2T3:4:5Z")) {
      HttpResponse<String> r = http.get("/v2.1/images?changes-since=" + bad, demo);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(fault(r, "badRequest")).contains("'" + bad + "'").contains("ISO 8601");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-1|Invalid input received: limit must be >= 0",
        "abc|Invalid input received: limit must be an integer",
        "1.5|Invalid input received: limit must be an integer",
        "|Invalid input received: limit must be an integer",
      })
  void badLimitIsNovasMessage(String limit, String message) {
    HttpResponse<String> r = http.get("/v2.1/images?limit=" + (limit == null ? "" : limit), demo);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
    assertThat(r.body()).isEqualTo("{\"badRequest\":{\"code\":400,\"message\":\"" + message + "\"}}");
  }

  @Test
  void adminsSeeEveryProjectsNonCommunityImagesAndTheirOwnCommunityOnes() {
    List<String> names = allNames("/v2.1/images", admin);
    assertThat(names)
        .contains("admin-private", "demo-private", "other-shared", "snap-web")
        .doesNotContain("other-community", "demo-community", "hidden-public", "demo-killed");
    // A project sees its own community image but nobody else's, and never others' private ones.
    assertThat(allNames("/v2.1/images", demo))
        .contains("demo-community")
        .doesNotContain("other-community", "admin-private", "other-shared");
  }

  @Test
  void anotherProjectsPrivateImageIsInvisibleToShow() {
    HttpResponse<String> r = http.get("/v2.1/images/" + byName("admin-private").id(), demo);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("Image not found.");
    assertThat(http.get("/v2.1/images/" + byName("admin-private").id(), admin).statusCode()).isEqualTo(200);
    assertThat(http.get("/v2.1/images/" + byName("other-community").id(), demo).statusCode()).isEqualTo(200);
  }
}
