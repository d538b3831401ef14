package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one visibility rule, seen through both APIs: which images the owner, another project and an
 * admin may show and list, by visibility and membership status; and that the image service's writes
 * show in the compute API at once.
 */
class ImageVisibilityTest {
  static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static final String ADMIN = "dddddddddddddddddddddddddddddddd";
  static TestServer server;
  static ImageClient owner;
  static ImageClient other;
  static ImageClient admin;
  /** name → id */
  static final Map<String, String> ids = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, A, "member");
    other = ImageClient.of(server, B, "member");
    admin = ImageClient.of(server, ADMIN, "admin");
    ids.put("public", admin.create("{\"name\": \"public\", \"visibility\": \"public\", \"owner\": \"" + A + "\"}").get("id").asText());
    ids.put("private", owner.create("{\"name\": \"private\", \"visibility\": \"private\"}").get("id").asText());
    ids.put("community", owner.create("{\"name\": \"community\", \"visibility\": \"community\"}").get("id").asText());
    ids.put("shared-none", owner.create("{\"name\": \"shared-none\"}").get("id").asText());
    for (String status : new String[] {"pending", "accepted", "rejected"}) {
      String id = owner.create("{\"name\": \"shared-" + status + "\"}").get("id").asText();
      ids.put("shared-" + status, id);
      owner.post("/v2/images/" + id + "/members", "{\"member\": \"" + B + "\"}");
      if (!status.equals("pending")) {
        other.put("/v2/images/" + id + "/members/" + B, "application/json",
            ("{\"status\": \"" + status + "\"}").getBytes());
      }
    }
    // Made private after B accepted: members of a private image are ignored.
    String id = owner.create("{\"name\": \"private-with-member\"}").get("id").asText();
    owner.post("/v2/images/" + id + "/members", "{\"member\": \"" + B + "\"}");
    other.put("/v2/images/" + id + "/members/" + B, "application/json", "{\"status\": \"accepted\"}".getBytes());
    owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"private\"}]");
    ids.put("private-with-member", id);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final Set<String> ALL = Set.of(
      "public", "private", "community", "shared-none", "shared-pending", "shared-accepted",
      "shared-rejected", "private-with-member");

  Set<String> shownBy(ImageClient c, String project, boolean compute) {
    Set<String> shown = new TreeSet<>();
    for (Map.Entry<String, String> e : ids.entrySet()) {
      int status = compute
          ? server.get(server.computeUrl() + "/v2.1/" + project + "/images/" + e.getValue(), c.token).statusCode()
          : c.get("/v2/images/" + e.getValue()).statusCode();
      if (status == 200) {
        shown.add(e.getKey());
      } else {
        assertThat(status).as(e.getKey()).isEqualTo(404);
      }
    }
    return shown;
  }

  Set<String> listedBy(ImageClient c, String query) {
    Set<String> names = new TreeSet<>();
    json(c.get("/v2/images?limit=100" + query)).get("images").forEach(i -> names.add(i.get("name").asText()));
    return names;
  }

  Set<String> computeListedBy(ImageClient c, String project) {
    Set<String> names = new TreeSet<>();
    HttpResponse<String> r = server.get(server.computeUrl() + "/v2.1/" + project + "/images", c.token);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    json(r).get("images").forEach(i -> names.add(i.get("name").asText()));
    return names;
  }

  @Test
  void ownerSeesAndListsAllItsImages() {
    assertThat(shownBy(owner, A, false)).isEqualTo(ALL);
    assertThat(shownBy(owner, A, true)).isEqualTo(ALL);
    assertThat(listedBy(owner, "")).isEqualTo(ALL);
    assertThat(computeListedBy(owner, A)).isEqualTo(ALL);
  }

  @Test
  void anotherProjectSeesPublicCommunityAndSharesOfAnyStatusButListsAcceptedOnes() {
    Set<String> visible = Set.of("public", "community", "shared-pending", "shared-accepted", "shared-rejected");
    assertThat(shownBy(other, B, false)).isEqualTo(visible);
    assertThat(shownBy(other, B, true)).isEqualTo(visible);
    assertThat(listedBy(other, "")).containsExactlyInAnyOrder("public", "shared-accepted");
    assertThat(computeListedBy(other, B)).containsExactlyInAnyOrder("public", "shared-accepted");
    assertThat(listedBy(other, "&member_status=pending")).containsExactlyInAnyOrder("public", "shared-pending");
    assertThat(listedBy(other, "&member_status=rejected")).containsExactlyInAnyOrder("public", "shared-rejected");
    assertThat(listedBy(other, "&member_status=all"))
        .containsExactlyInAnyOrder("public", "shared-pending", "shared-accepted", "shared-rejected");
    assertThat(listedBy(other, "&visibility=community")).containsExactly("community");
    assertThat(listedBy(other, "&visibility=shared")).containsExactly("shared-accepted");
    assertThat(listedBy(other, "&visibility=private")).isEmpty();
    assertThat(listedBy(other, "&visibility=all")).containsExactlyInAnyOrder("public", "community", "shared-accepted");
  }

  @Test
  void adminSeesEverythingAndListsAllButOtherProjectsCommunityImages() {
    assertThat(shownBy(admin, ADMIN, false)).isEqualTo(ALL);
    assertThat(shownBy(admin, ADMIN, true)).isEqualTo(ALL);
    Set<String> listed = new TreeSet<>(ALL);
    listed.remove("community");
    assertThat(listedBy(admin, "")).isEqualTo(listed);
    assertThat(computeListedBy(admin, ADMIN)).isEqualTo(listed);
    assertThat(listedBy(admin, "&visibility=all")).isEqualTo(ALL);
  }

  @Test
  void imageServiceWritesShowInTheComputeApiAtOnce() {
    String id = owner.createWithData(
        "{\"name\": \"fresh\", \"disk_format\": \"raw\", \"container_format\": \"bare\", \"visibility\": \"private\"}",
        new byte[] {1, 2});
    String show = server.computeUrl() + "/v2.1/" + A + "/images/" + id;
    JsonNode image = json(server.get(show, owner.token)).get("image");
    assertThat(image.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(computeListedBy(owner, A)).contains("fresh");

    owner.post("/v2/images/" + id + "/actions/deactivate", null);
    assertThat(json(server.get(show, owner.token)).at("/image/status").asText()).isEqualTo("UNKNOWN");
    owner.post("/v2/images/" + id + "/actions/reactivate", null);

    String since = json(owner.get("/v2/images/" + id)).get("updated_at").asText();
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(server.get(show, owner.token).statusCode()).isEqualTo(404);
    JsonNode changes = json(server.get(
        server.computeUrl() + "/v2.1/" + A + "/images/detail?changes-since=" + since, owner.token));
    JsonNode deleted = null;
    for (JsonNode i : changes.get("images")) {
      if (i.get("id").asText().equals(id)) {
        deleted = i;
      }
    }
    assertThat(deleted).as(changes.toString()).isNotNull();
    assertThat(deleted.get("status").asText()).isEqualTo("DELETED");
  }

  @Test
  void computesAlternateLinkRedirectsToTheImageService() throws Exception {
    String id = ids.get("shared-accepted");
    JsonNode links = json(server.get(server.computeUrl() + "/v2.1/" + B + "/images/" + id, other.token))
        .at("/image/links");
    String alternate = null;
    for (JsonNode l : links) {
      if (l.get("rel").asText().equals("alternate")) {
        alternate = l.get("href").asText();
      }
    }
    assertThat(alternate).isEqualTo(server.imageUrl() + "/" + B + "/images/" + id);
    HttpResponse<String> r = server.get(alternate, other.token);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue(server.imageUrl() + "/v2/images/" + id);
    assertThat(json(server.get(r.headers().firstValue("Location").orElseThrow(), other.token))
        .get("id").asText()).isEqualTo(id);

    String hidden = server.imageUrl() + "/" + B + "/images/" + ids.get("private");
    assertThat(server.get(hidden, other.token).statusCode()).isEqualTo(404);
    assertThat(server.get(alternate, null).statusCode()).isEqualTo(401);
    HttpResponse<String> follow = server.http().send(
        HttpRequest.newBuilder(URI.create(alternate)).header("X-Auth-Token", other.token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(follow.statusCode()).isEqualTo(302);
  }
}
