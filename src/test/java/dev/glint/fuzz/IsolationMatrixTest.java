package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.identity.TokenClaims;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The isolation matrix (issue 10, point 6): every route of the image and compute APIs that
 * touches an image × every kind of caller × every kind of image, each cell asserting the status
 * Glance (and Nova in front of it) gives, and for lists whether the image is listed. The identity
 * API has no route that touches an image.
 *
 * <p>All images belong to project {@link #OWNER}; {@link #OTHER} is a member of another project,
 * and the project the shared images are shared with. For every answer to {@code OTHER}, the
 * names of the images it must not see (private, deleted) appear nowhere, their ids only where
 * the request itself named them, and its answer about such an image is the answer about an id
 * that does not exist (same status, same body once the id is replaced): nothing tells "hidden"
 * from "absent".
 *
 * <p>Reads and refused writes use one image per kind, made before the matrix and checked
 * unchanged after it; each write that is allowed gets an image of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationMatrixTest {
  static final String OWNER = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
  static final String OTHER = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
  static final String ADMIN_PROJECT = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
  static final String NEW_MEMBER = "d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4";
  static final String PATCH = "application/openstack-images-v2.1-json-patch";

  enum Who {
    OWNER_MEMBER, OTHER_PROJECT, ADMIN, READER, ANONYMOUS, EXPIRED, REVOKED;

    boolean authenticated() {
      return this != ANONYMOUS && this != EXPIRED && this != REVOKED;
    }

    /** The owner's project, whatever the role. */
    boolean ownProject() {
      return this == OWNER_MEMBER || this == READER;
    }
  }

  enum Kind {
    PRIVATE, SHARED_PENDING, SHARED_ACCEPTED, PUBLIC, COMMUNITY, DEACTIVATED, DELETED;

    boolean shared() {
      return this == SHARED_PENDING || this == SHARED_ACCEPTED;
    }

    boolean live() {
      return this != DELETED;
    }

    /** Whether another project may see it: Glance's is_image_visible (spec §10.1). */
    boolean visibleToOthers() {
      return this != PRIVATE && this != DELETED;
    }
  }

  /** One route; {@code write} routes change the image when allowed. */
  enum Route {
    // lists: the status, and whether the image is listed
    GLANCE_LIST("GET", "/v2/images?limit=1000", null, null, false, true, false),
    GLANCE_LIST_ALL("GET", "/v2/images?visibility=all&limit=1000", null, null, false, true, false),
    NOVA_LIST("GET", "/v2.1/images?limit=1000", null, null, false, true, true),
    NOVA_DETAIL("GET", "/v2.1/images/detail?limit=1000", null, null, false, true, true),
    NOVA_CHANGES_SINCE("GET", "/v2.1/images/detail?limit=1000&changes-since={since}", null, null,
        false, true, true),
    // reads of one image
    GLANCE_SHOW("GET", "/v2/images/{id}", null, null, false, false, false),
    GLANCE_DOWNLOAD("GET", "/v2/images/{id}/file", null, null, false, false, false),
    GLANCE_MEMBERS("GET", "/v2/images/{id}/members", null, null, false, false, false),
    GLANCE_MEMBER("GET", "/v2/images/{id}/members/" + OTHER, null, null, false, false, false),
    NOVA_SHOW("GET", "/v2.1/images/{id}", null, null, false, false, true),
    NOVA_METADATA("GET", "/v2.1/images/{id}/metadata", null, null, false, false, true),
    NOVA_METADATA_KEY("GET", "/v2.1/images/{id}/metadata/matrix_key", null, null, false, false,
        true),
    // writes
    GLANCE_PATCH("PATCH", "/v2/images/{id}",
        "[{\"op\": \"add\", \"path\": \"/matrix_patched\", \"value\": \"yes\"}]", PATCH, true,
        false, false),
    GLANCE_TAG_ADD("PUT", "/v2/images/{id}/tags/added", null, null, true, false, false),
    GLANCE_TAG_DELETE("DELETE", "/v2/images/{id}/tags/matrix", null, null, true, false, false),
    GLANCE_DEACTIVATE("POST", "/v2/images/{id}/actions/deactivate", null, null, true, false,
        false),
    GLANCE_REACTIVATE("POST", "/v2/images/{id}/actions/reactivate", null, null, true, false,
        false),
    GLANCE_UPLOAD("PUT", "/v2/images/{id}/file", "more data", "application/octet-stream", true,
        false, false),
    GLANCE_MEMBER_ADD("POST", "/v2/images/{id}/members", "{\"member\": \"" + NEW_MEMBER + "\"}",
        "application/json", true, false, false),
    GLANCE_MEMBER_UPDATE("PUT", "/v2/images/{id}/members/" + OTHER,
        "{\"status\": \"accepted\"}", "application/json", true, false, false),
    GLANCE_MEMBER_DELETE("DELETE", "/v2/images/{id}/members/" + OTHER, null, null, true, false,
        false),
    GLANCE_DELETE("DELETE", "/v2/images/{id}", null, null, true, false, false),
    NOVA_METADATA_MERGE("POST", "/v2.1/images/{id}/metadata",
        "{\"metadata\": {\"added\": \"v\"}}", "application/json", true, false, true),
    NOVA_METADATA_REPLACE("PUT", "/v2.1/images/{id}/metadata",
        "{\"metadata\": {\"matrix_key\": \"v\"}}", "application/json", true, false, true),
    NOVA_METADATA_KEY_SET("PUT", "/v2.1/images/{id}/metadata/matrix_key",
        "{\"meta\": {\"matrix_key\": \"w\"}}", "application/json", true, false, true),
    NOVA_METADATA_KEY_DELETE("DELETE", "/v2.1/images/{id}/metadata/matrix_key", null, null, true,
        false, true),
    NOVA_DELETE("DELETE", "/v2.1/images/{id}", null, null, true, false, true);

    final String method;
    final String path;
    final String body;
    final String contentType;
    final boolean write;
    final boolean list;
    final boolean compute;

    Route(String method, String path, String body, String contentType, boolean write,
        boolean list, boolean compute) {
      this.method = method;
      this.path = path;
      this.body = body;
      this.contentType = contentType;
      this.write = write;
      this.list = list;
      this.compute = compute;
    }
  }

  /** What a cell expects: a status, and for lists whether the image is in the page. */
  record Outcome(int status, boolean listed) {
    static Outcome of(int status) {
      return new Outcome(status, false);
    }
  }

  record Cell(Route route, Who who, Kind kind) {
    @Override
    public String toString() {
      return route + " by " + who + " on " + kind;
    }
  }

  /** The table: what Glance and Nova answer (spec image-service §5.3, §10, §11; compute §6). */
  static Outcome expected(Route route, Who who, Kind kind) {
    if (!who.authenticated()) {
      return Outcome.of(401);
    }
    boolean admin = who == Who.ADMIN;
    boolean sees = admin || who.ownProject() || kind.visibleToOthers();
    boolean seesLive = sees && kind.live();
    if (route.list) {
      return new Outcome(200, listed(route, who, kind));
    }
    if (!route.write) {
      if (!seesLive) {
        return Outcome.of(404);
      }
      return switch (route) {
        case GLANCE_DOWNLOAD ->
            Outcome.of(kind == Kind.DEACTIVATED && !admin ? 403 : 200);
        case GLANCE_MEMBERS -> Outcome.of(kind.shared() ? 200 : 403);
        case GLANCE_MEMBER -> Outcome.of(kind.shared() ? 200 : 404);
        default -> Outcome.of(200);
      };
    }
    // Writes need the member or admin role (policy), checked before the image is looked up.
    if (who == Who.READER) {
      return Outcome.of(403);
    }
    if (!seesLive) {
      return Outcome.of(404);
    }
    if (route == Route.GLANCE_MEMBER_UPDATE) {
      // Only the member itself (or an admin) answers a share; the owner may not.
      if (!kind.shared()) {
        return Outcome.of(404);
      }
      return Outcome.of(admin || who == Who.OTHER_PROJECT ? 200 : 403);
    }
    if (who == Who.OTHER_PROJECT) {
      return Outcome.of(403); // sees it, does not own it
    }
    return switch (route) {
      case GLANCE_PATCH, NOVA_METADATA_MERGE, NOVA_METADATA_REPLACE, NOVA_METADATA_KEY_SET ->
          Outcome.of(200);
      case GLANCE_UPLOAD -> Outcome.of(409); // every image here already has its data
      case GLANCE_MEMBER_ADD -> Outcome.of(kind.shared() ? 200 : 403);
      case GLANCE_MEMBER_DELETE -> Outcome.of(kind.shared() ? 204 : 404);
      default -> Outcome.of(204);
    };
  }

  static boolean listed(Route route, Who who, Kind kind) {
    boolean own = who.ownProject();
    boolean admin = who == Who.ADMIN;
    if (kind == Kind.DELETED) {
      // Only changes-since reports deleted images (the seed's ruling), to those who saw them.
      return route == Route.NOVA_CHANGES_SINCE && (own || admin);
    }
    if (own) {
      return true;
    }
    return switch (kind) {
      case PRIVATE, SHARED_PENDING -> admin;
      case SHARED_ACCEPTED, PUBLIC, DEACTIVATED -> true;
      // Another project's community images are listed only on request (visibility=all).
      case COMMUNITY -> route == Route.GLANCE_LIST_ALL;
      case DELETED -> false;
    };
  }

  static TestServer server;
  static final Map<Who, String> tokens = new EnumMap<>(Who.class);
  /** The image of each kind that reads and refused writes use. */
  static final Map<Kind, Fixture> base = new EnumMap<>(Kind.class);
  /** Admin's view of each base image before the matrix (show + members). */
  static final Map<Kind, String> before = new EnumMap<>(Kind.class);
  static String since;
  static int cells;

  record Fixture(String id, String name) {}

  @BeforeAll
  static void start() {
    server = TestServer.startUnrecorded();
    since = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    tokens.put(Who.OWNER_MEMBER, server.tokenFor(OWNER, "member", "reader"));
    tokens.put(Who.OTHER_PROJECT, server.tokenFor(OTHER, "member", "reader"));
    tokens.put(Who.ADMIN, server.tokenFor(ADMIN_PROJECT, "admin", "member", "reader"));
    tokens.put(Who.READER, server.tokenFor(OWNER, "reader"));
    tokens.put(
        Who.EXPIRED,
        server
            .app()
            .tokens()
            .issue(TokenClaims.user(
                    "u-expired", "expired", "default", List.of("member", "reader"), List.of("password"))
                        .withProject(OWNER, "p-" + OWNER, "default")
                        .withExpiry(Instant.now().minus(1, ChronoUnit.HOURS)))
            .id());
    String revoked = server.tokenFor(OWNER, "member", "reader");
    HttpResponse<String> revoke =
        server.send(
            HttpRequest.newBuilder(URI.create(server.identityUrl() + "/v3/auth/tokens"))
                .header("X-Auth-Token", server.adminToken())
                .header("X-Subject-Token", revoked)
                .DELETE()
                .build());
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(204);
    tokens.put(Who.REVOKED, revoked);
    for (Kind kind : Kind.values()) {
      base.put(kind, make(kind));
    }
    for (Kind kind : Kind.values()) {
      before.put(kind, adminView(base.get(kind).id()));
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** An image of this kind, owned by OWNER, with data, a property and a tag. */
  static Fixture make(Kind kind) {
    String name = "matrix-" + kind.name().toLowerCase() + "-" + UUID.randomUUID();
    String visibility =
        switch (kind) {
          case SHARED_PENDING, SHARED_ACCEPTED -> "shared";
          case COMMUNITY -> "community";
          default -> "private";
        };
    String owner = tokens.get(Who.OWNER_MEMBER);
    HttpResponse<String> created =
        call(owner, "POST", "/v2/images",
            "{\"name\": \"" + name + "\", \"disk_format\": \"raw\", \"container_format\":"
                + " \"bare\", \"visibility\": \"" + visibility + "\", \"matrix_key\": \"v\","
                + " \"tags\": [\"matrix\"]}",
            "application/json", false);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = TestServer.json(created.body()).get("id").asText();
    expect(call(owner, "PUT", "/v2/images/" + id + "/file", "data of " + name,
        "application/octet-stream", false), 204);
    if (kind == Kind.PUBLIC || kind == Kind.DEACTIVATED) {
      expect(call(tokens.get(Who.ADMIN), "PATCH", "/v2/images/" + id,
          "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]", PATCH,
          false), 200);
    }
    if (kind.shared()) {
      expect(call(owner, "POST", "/v2/images/" + id + "/members",
          "{\"member\": \"" + OTHER + "\"}", "application/json", false), 200);
    }
    if (kind == Kind.SHARED_ACCEPTED) {
      expect(call(tokens.get(Who.OTHER_PROJECT), "PUT", "/v2/images/" + id + "/members/" + OTHER,
          "{\"status\": \"accepted\"}", "application/json", false), 200);
    }
    if (kind == Kind.DEACTIVATED) {
      expect(call(owner, "POST", "/v2/images/" + id + "/actions/deactivate", null, null, false),
          204);
    }
    if (kind == Kind.DELETED) {
      expect(call(owner, "DELETE", "/v2/images/" + id, null, null, false), 204);
    }
    return new Fixture(id, name);
  }

  static void expect(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isEqualTo(status);
  }

  static String adminView(String id) {
    String admin = tokens.get(Who.ADMIN);
    HttpResponse<String> show = call(admin, "GET", "/v2/images/" + id, null, null, false);
    HttpResponse<String> members =
        call(admin, "GET", "/v2/images/" + id + "/members", null, null, false);
    return show.statusCode() + " " + show.body() + " | " + members.statusCode() + " "
        + members.body();
  }

  static HttpResponse<String> call(
      String token, String method, String path, String body, String contentType,
      boolean compute) {
    String base = compute ? server.computeUrl() : server.imageUrl();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return server.send(b.build());
  }

  static Stream<Cell> cells() {
    // Reads first, on the base images; then writes (allowed ones on images of their own).
    List<Cell> all = new ArrayList<>();
    for (boolean writes : new boolean[] {false, true}) {
      for (Route route : Route.values()) {
        if (route.write != writes) {
          continue;
        }
        for (Who who : Who.values()) {
          for (Kind kind : Kind.values()) {
            all.add(new Cell(route, who, kind));
          }
        }
      }
    }
    return all.stream();
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void cell(Cell cell) {
    Outcome want = expected(cell.route(), cell.who(), cell.kind());
    boolean allowedWrite = cell.route().write && want.status() / 100 == 2;
    Fixture image = allowedWrite ? make(cell.kind()) : base.get(cell.kind());
    String token = tokens.get(cell.who());
    HttpResponse<String> r = request(cell.route(), token, image.id());
    cells++;
    assertThat(r.statusCode()).as("%s: %s", cell, r.body()).isEqualTo(want.status());
    if (cell.route().list && want.status() == 200) {
      JsonNode page = TestServer.json(r.body());
      Map<String, String> statuses = new LinkedHashMap<>();
      page.get("images").forEach(i -> statuses.put(i.get("id").asText(),
          i.has("status") ? i.get("status").asText() : ""));
      assertThat(statuses.containsKey(image.id())).as("%s listed", cell).isEqualTo(want.listed());
      if (cell.route() == Route.NOVA_CHANGES_SINCE && want.listed()) {
        assertThat(statuses.get(image.id()))
            .isEqualTo(
                switch (cell.kind()) {
                  case DELETED -> "DELETED";
                  case DEACTIVATED -> "UNKNOWN"; // Nova's view of any other Glance status
                  default -> "ACTIVE";
                });
      }
    }
    if (cell.who() == Who.OTHER_PROJECT) {
      assertNoLeak(cell, r, image);
    }
  }

  static HttpResponse<String> request(Route route, String token, String id) {
    String path = route.path.replace("{id}", id).replace("{since}", since);
    return call(token, route.method, path, route.body, route.contentType, route.compute);
  }

  /**
   * Nothing of OWNER's hidden images in an answer to OTHER; and about a hidden image, the very
   * answer an id that never existed gets.
   */
  static void assertNoLeak(Cell cell, HttpResponse<String> r, Fixture image) {
    String text = r.headers().map() + " " + r.body();
    for (Kind hidden : List.of(Kind.PRIVATE, Kind.DELETED)) {
      Fixture h = base.get(hidden);
      assertThat(text).as("%s leaks the name of the %s image", cell, hidden)
          .doesNotContain(h.name()).doesNotContain(h.name().substring(0, h.name().length() - 37));
      if (!r.uri().toString().contains(h.id())) {
        assertThat(text).as("%s leaks the id of the %s image", cell, hidden)
            .doesNotContain(h.id());
      }
    }
    if (!cell.kind().visibleToOthers() && !cell.route().list) {
      String absent = UUID.randomUUID().toString();
      HttpResponse<String> control = request(cell.route(), tokens.get(Who.OTHER_PROJECT), absent);
      assertThat(r.statusCode()).as("%s vs an absent id", cell).isEqualTo(control.statusCode());
      assertThat(scrub(r.body(), image.id()))
          .as("%s vs an absent id", cell)
          .isEqualTo(scrub(control.body(), absent));
    }
  }

  private static String scrub(String body, String id) {
    return body.replace(id, "<id>").replaceAll("req-[0-9a-f-]{36}", "<req>");
  }

  @Order(2)
  @Test
  void theSharedImagesAreUnchangedByEveryRefusal() {
    assertThat(cells).as("cells run before this check").isGreaterThan(0);
    Set<Kind> changed = new HashSet<>();
    for (Kind kind : Kind.values()) {
      if (!adminView(base.get(kind).id()).equals(before.get(kind))) {
        changed.add(kind);
      }
    }
    assertThat(changed).isEmpty();
  }
}
