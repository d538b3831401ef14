package dev.glint.compute;

import static dev.glint.compute.ComputeHttp.fault;
import static dev.glint.compute.ComputeHttp.json;
import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code DELETE /images/{id}}: Glance's rules (owner or admin, not protected), Nova's texts. */
class ComputeImageDeleteTest {
  static TestServer server;
  static ComputeHttp http;
  static String admin;
  static String demo;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new ComputeHttp(server);
    admin = server.tokenFor(ADMIN, "admin", "member");
    demo = server.tokenFor(DEMO, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Image add(Image img) {
    server.app().catalog().addAll(List.of(img));
    return img;
  }

  @Test
  void ownerDeletesAndTheImageIsThenGoneFromShowAndLists() {
    Image img = add(image().owner(DEMO).visibility(Visibility.PRIVATE).name("to-delete").build());
    HttpResponse<String> r = http.call("DELETE", "/v2/" + DEMO + "/images/" + img.id(), demo, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("x-compute-request-id")).isPresent();

    HttpResponse<String> show = http.get("/v2.1/images/" + img.id(), demo);
    assertThat(show.statusCode()).isEqualTo(404);
    assertThat(fault(show, "itemNotFound")).isEqualTo("Image not found.");
    assertThat(json(http.get("/v2.1/images?name=to-delete", demo)).path("images")).isEmpty();

    HttpResponse<String> again = http.call("DELETE", "/v2.1/images/" + img.id(), demo, null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(fault(again, "itemNotFound")).isEqualTo("Image not found.");
  }

  @Test
  void anotherProjectsPublicImageIsForbidden() {
    Image img = add(image().owner(ADMIN).visibility(Visibility.PUBLIC).build());
    HttpResponse<String> r = http.call("DELETE", "/v2.1/images/" + img.id(), demo, null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
    assertThat(fault(r, "forbidden")).isEqualTo("You are not allowed to delete the image.");
    assertThat(http.get("/v2.1/images/" + img.id(), demo).statusCode()).isEqualTo(200);
  }

  @Test
  void anotherProjectsCommunityImageIsForbidden() {
    Image img = add(image().owner(ADMIN).visibility(Visibility.COMMUNITY).build());
    HttpResponse<String> r = http.call("DELETE", "/v2.1/images/" + img.id(), demo, null);
    assertThat(fault(r, "forbidden")).isEqualTo("You are not allowed to delete the image.");
  }

  @Test
  void protectedImageIsForbiddenEvenForItsOwnerAndAdmins() {
    Image img = add(image().owner(DEMO).protectedImage().build());
    for (String token : List.of(demo, admin)) {
      HttpResponse<String> r = http.call("DELETE", "/v2.1/images/" + img.id(), token, null);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(fault(r, "forbidden")).isEqualTo("You are not allowed to delete the image.");
    }
  }

  @Test
  void anotherProjectsPrivateImageAndUnknownIdsAreNotFound() {
    Image priv = add(image().owner(ADMIN).visibility(Visibility.PRIVATE).build());
    for (String id : List.of(priv.id(), UUID.randomUUID().toString(), "garbage", "detail")) {
      HttpResponse<String> r = http.call("DELETE", "/v2.1/" + DEMO + "/images/" + id, demo, null);
      assertThat(r.statusCode()).as(id).isEqualTo(404);
      assertThat(fault(r, "itemNotFound")).isEqualTo("Image not found.");
    }
    assertThat(http.get("/v2.1/images/" + priv.id(), admin).statusCode()).isEqualTo(200);
  }

  @Test
  void adminDeletesAnyProjectsImage() {
    Image img = add(image().owner(DEMO).visibility(Visibility.PRIVATE).build());
    assertThat(http.call("DELETE", "/v2.1/images/" + img.id(), admin, null).statusCode())
        .isEqualTo(204);
    assertThat(http.get("/v2.1/images/" + img.id(), demo).statusCode()).isEqualTo(404);
  }

  @Test
  void deleteIsGoneAbove235() {
    Image img = add(image().owner(DEMO).build());
    HttpResponse<String> r =
        http.call("DELETE", "/v2.1/images/" + img.id(), demo, null, "OpenStack-API-Version", "compute 2.36");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(fault(r, "itemNotFound")).isEqualTo("The resource could not be found.");
    assertThat(http.get("/v2.1/images/" + img.id(), demo).statusCode()).isEqualTo(200);
  }
}
