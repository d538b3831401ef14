package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.OTHER;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.catalog.MemberStatus;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Images shared with a project: listed once accepted, shown to any member, usable as a marker.
 * Memberships are written straight into the store (the members API is the image service's).
 */
class ComputeSharedImagesTest {
  static TestServer server;
  static ComputeHttp http;
  static String demo;
  static Image accepted;
  static Image pending;
  static Image notShared;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new ComputeHttp(server);
    demo = server.tokenFor(DEMO, "member");
    accepted = image().owner(ADMIN).visibility(Visibility.SHARED).name("shared-accepted").createdPlus(3).build();
    pending = image().owner(ADMIN).visibility(Visibility.SHARED).name("shared-pending").createdPlus(2).build();
    notShared = image().owner(ADMIN).visibility(Visibility.SHARED).name("shared-elsewhere").createdPlus(1).build();
    server.app().catalog().addAll(List.of(accepted, pending, notShared, image().name("public").build()));
    // Shares made through the catalog, as the image service's members API makes them.
    CatalogService catalog = server.app().catalog();
    CatalogScope owner = server.callerFor(ADMIN, "member");
    catalog.addMember(owner, accepted.id(), DEMO);
    catalog.updateMember(server.callerFor(DEMO, "member"), accepted.id(), DEMO, MemberStatus.ACCEPTED);
    catalog.addMember(owner, pending.id(), DEMO);
    catalog.addMember(owner, notShared.id(), OTHER);
    catalog.updateMember(
        server.callerFor(OTHER, "member"), notShared.id(), OTHER, MemberStatus.ACCEPTED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void listsAcceptedSharesOnly() {
    assertThat(json(http.get("/v2.1/images", demo)).findValuesAsText("name"))
        .containsExactly("shared-accepted", "public");
  }

  @Test
  void anyMemberSeesTheImageDirectlyAndOthersDoNot() {
    assertThat(http.get("/v2.1/images/" + accepted.id(), demo).statusCode()).isEqualTo(200);
    assertThat(http.get("/v2.1/images/" + pending.id(), demo).statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.get("/v2.1/images/" + notShared.id(), demo);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("Image not found.");
  }

  @Test
  void aSharedImageEndingAPageIsAValidMarker() {
    HttpResponse<String> first = http.get("/v2.1/images?limit=1", demo);
    assertThat(json(first).at("/images/0/id").asText()).isEqualTo(accepted.id());
    String next = json(first).at("/images_links/0/href").asText();
    HttpResponse<String> second = http.get(next.substring(server.computeUrl().length()), demo);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(json(second).findValuesAsText("name")).containsExactly("public");
  }

  @Test
  void membersMayNotDeleteOrWriteMetadata() {
    HttpResponse<String> del = http.call("DELETE", "/v2.1/images/" + accepted.id(), demo, null);
    assertThat(fault(del, "forbidden")).isEqualTo("You are not allowed to delete the image.");
    HttpResponse<String> md =
        http.call("POST", "/v2.1/images/" + accepted.id() + "/metadata", demo, "{\"metadata\": {\"a\": \"b\"}}");
    assertThat(fault(md, "forbidden")).isEqualTo("Not authorized for image " + accepted.id() + ".");
  }
}
