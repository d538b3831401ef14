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

/** {@code /v2/images/{id}/members}: sharing, accepting, and who may do what. */
class ImageMembersTest {
  static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static final String C = "cccccccccccccccccccccccccccccccc";
  static TestServer server;
  static ImageClient owner;
  static ImageClient member;
  static ImageClient third;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, A, "member");
    member = ImageClient.of(server, B, "member");
    third = ImageClient.of(server, C, "member");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void ownerSharesMemberAcceptsOwnerRevokes() {
    String id = owner.create("{\"visibility\": \"shared\"}").get("id").asText();
    String members = "/v2/images/" + id + "/members";
    assertThat(member.get("/v2/images/" + id).statusCode()).isEqualTo(404);

    HttpResponse<String> added = owner.post(members, "{\"member\": \"" + B + "\"}");
    assertThat(added.statusCode()).isEqualTo(200);
    JsonNode m = json(added);
    List<String> keys = new ArrayList<>();
    m.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly("member_id", "image_id", "status", "created_at", "updated_at", "schema");
    assertThat(m.get("status").asText()).isEqualTo("pending");
    assertThat(m.get("schema").asText()).isEqualTo("/v2/schemas/member");
    owner.post(members, "{\"member\": \"" + C + "\"}");

    HttpResponse<String> dup = owner.post(members, "{\"member\": \"" + B + "\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup)).isEqualTo("Member " + B + " is duplicated for image " + id);

    assertThat(json(owner.get(members)).get("members").size()).isEqualTo(2);
    assertThat(json(owner.get(members)).get("schema").asText()).isEqualTo("/v2/schemas/members");
    JsonNode own = json(member.get(members)).get("members");
    assertThat(own.size()).as("a member sees only its own membership").isEqualTo(1);
    assertThat(own.get(0).get("member_id").asText()).isEqualTo(B);
    assertThat(member.get(members + "/" + C).statusCode()).isEqualTo(404);

    assertThat(member.get("/v2/images/" + id).statusCode()).as("pending members see it").isEqualTo(200);
    HttpResponse<String> byOwner = owner.server.send(
        owner.request(members + "/" + B).header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"status\": \"accepted\"}")).build());
    assertThat(byOwner.statusCode()).isEqualTo(403);
    assertThat(message(byOwner)).isEqualTo("Not allowed to update members for image " + id + ".");
    assertThat(message(member.put(members + "/" + B, "application/json", "{}".getBytes())))
        .isEqualTo("Status not specified");
    assertThat(message(member.put(members + "/" + B, "application/json", "{\"status\": \"maybe\"}".getBytes())))
        .isEqualTo("Incorrect request: Status must be \"pending\", \"accepted\" or \"rejected\".");
    HttpResponse<String> accepted =
        member.put(members + "/" + B, "application/json", "{\"status\": \"accepted\"}".getBytes());
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(json(accepted).get("status").asText()).isEqualTo("accepted");
    assertThat(json(member.get(members + "/" + B)).get("status").asText()).isEqualTo("accepted");

    HttpResponse<String> memberDeletes = member.delete(members + "/" + B);
    assertThat(memberDeletes.statusCode()).isEqualTo(403);
    assertThat(message(memberDeletes)).isEqualTo("Not allowed to delete members for image " + id + ".");
    assertThat(owner.delete(members + "/" + B).statusCode()).isEqualTo(204);
    assertThat(member.get("/v2/images/" + id).statusCode()).isEqualTo(404);
    HttpResponse<String> gone = owner.get(members + "/" + B);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(message(gone)).isEqualTo(B + " not found in the member list of the image " + id + ".");
    assertThat(owner.delete(members + "/" + B).statusCode()).isEqualTo(404);
  }

  @Test
  void onlyOwnersShareAndOnlySharedImagesHaveMembers() {
    String priv = owner.create("{\"visibility\": \"private\"}").get("id").asText();
    HttpResponse<String> create = owner.post("/v2/images/" + priv + "/members", "{\"member\": \"" + B + "\"}");
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(message(create)).isEqualTo("Not allowed to create members for image " + priv + ".");
    HttpResponse<String> list = owner.get("/v2/images/" + priv + "/members");
    assertThat(list.statusCode()).isEqualTo(403);
    assertThat(message(list))
        .isEqualTo("Not allowed to list members for image " + priv + ": Only shared images have members.");
    HttpResponse<String> show = owner.get("/v2/images/" + priv + "/members/" + B);
    assertThat(show.statusCode()).isEqualTo(404);
    assertThat(message(show)).isEqualTo("Only shared images have members.");

    String shared = owner.create("{}").get("id").asText();
    owner.post("/v2/images/" + shared + "/members", "{\"member\": \"" + B + "\"}");
    HttpResponse<String> byMember =
        member.post("/v2/images/" + shared + "/members", "{\"member\": \"" + C + "\"}");
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(message(byMember)).isEqualTo("Not allowed to create members for image " + shared + ".");
    assertThat(third.post("/v2/images/" + shared + "/members", "{\"member\": \"" + C + "\"}").statusCode())
        .isEqualTo(404);

    assertThat(message(owner.post("/v2/images/" + shared + "/members", "{}")))
        .isEqualTo("Member to be added not specified");
    assertThat(message(owner.post("/v2/images/" + shared + "/members", "{\"member\": \"\"}")))
        .isEqualTo("Member can't be empty");
    assertThat(message(owner.post("/v2/images/" + shared + "/members", "{\"member\": 5}")))
        .isEqualTo("Expected a member in the form: {\"member\": \"image_id\"}");
  }
}
