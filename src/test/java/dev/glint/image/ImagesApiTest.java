package dev.glint.image;

import static dev.glint.image.ImageClient.json;
import static dev.glint.image.ImageClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.identity.TokenClaims;
import dev.glint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImagesApiTest {
  static final String P1 = "11111111111111111111111111111111";
  static final String P2 = "22222222222222222222222222222222";
  static TestServer server;
  static ImageClient owner;
  static ImageClient other;
  static ImageClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, P1, "member");
    other = ImageClient.of(server, P2, "member");
    admin = ImageClient.of(server, "adminproject000000000000000000ad", "admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createAnswers201WithGlanceImageInGlanceKeyOrder() {
    HttpResponse<String> r =
        owner.post(
            "/v2/images",
            """
            {"name": "cirros", "disk_format": "qcow2", "container_format": "bare",
             "min_disk": 1, "tags": ["test"], "os_distro": "cirros"}""");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode img = json(r);
    String id = img.get("id").asText();
    assertThat(r.headers().firstValue("Location")).hasValue(server.imageUrl() + "/v2/images/" + id);
    List<String> keys = new ArrayList<>();
    img.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "os_distro", "name", "disk_format", "container_format", "visibility", "size",
            "virtual_size", "status", "checksum", "protected", "min_ram", "min_disk", "owner",
            "os_hidden", "os_hash_algo", "os_hash_value", "id", "created_at", "updated_at", "tags",
            "self", "file", "schema");
    assertThat(img.get("status").asText()).isEqualTo("queued");
    assertThat(img.get("visibility").asText()).isEqualTo("shared");
    assertThat(img.get("owner").asText()).isEqualTo(P1);
    assertThat(img.get("size").isNull()).isTrue();
    assertThat(img.get("min_disk").asInt()).isEqualTo(1);
    assertThat(img.get("protected").isBoolean()).isTrue();
    assertThat(img.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(img.get("self").asText()).isEqualTo("/v2/images/" + id);
    assertThat(img.get("file").asText()).isEqualTo("/v2/images/" + id + "/file");
    assertThat(img.get("schema").asText()).isEqualTo("/v2/schemas/image");
    assertThat(img.get("tags").get(0).asText()).isEqualTo("test");

    JsonNode shown = json(owner.get("/v2/images/" + id));
    assertThat(shown).isEqualTo(img);
  }

  @Test
  void createRefusesBadBodiesWithGlanceMessages() {
    assertThat(message(owner.post("/v2/images", null))).isEqualTo("Body expected in request.");
    assertThat(message(owner.post("/v2/images", "{nope"))).isEqualTo("Malformed JSON in request body.");
    assertThat(message(owner.post("/v2/images", "\"text\"")))
        .isEqualTo("Unexpected body type. Expected list/dict.");
    HttpResponse<String> array = owner.post("/v2/images", "[]");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(message(array)).startsWith("Provided object does not match schema 'image'");
    HttpResponse<String> format = owner.post("/v2/images", "{\"disk_format\": \"floppy\"}");
    assertThat(format.statusCode()).isEqualTo(400);
    assertThat(message(format))
        .isEqualTo(
            "Provided object does not match schema 'image': 'floppy' is not one of [None, 'ami',"
                + " 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']");
    assertThat(owner.post("/v2/images", "{\"os_distro\": 5}").statusCode()).isEqualTo(400);
    assertThat(owner.post("/v2/images", "{\"name\": \"" + "n".repeat(256) + "\"}").statusCode())
        .isEqualTo(400);
    assertThat(message(owner.post("/v2/images", "{\"id\": \"not-a-uuid\"}")))
        .startsWith("Provided object does not match schema 'image': 'not-a-uuid' does not match");
    HttpResponse<String> readOnly = owner.post("/v2/images", "{\"status\": \"active\"}");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(message(readOnly)).isEqualTo("Attribute 'status' is read-only.");
    assertThat(message(owner.post("/v2/images", "{\"self\": \"x\"}")))
        .isEqualTo("Attribute 'self' is read-only.");
    HttpResponse<String> reserved = owner.post("/v2/images", "{\"os_glance_x\": \"1\"}");
    assertThat(reserved.statusCode()).isEqualTo(403);
    assertThat(message(reserved)).isEqualTo("Attribute 'os_glance_x' is reserved.");
    assertThat(message(owner.post("/v2/images", "{\"min_ram\": -1}")))
        .isEqualTo("Invalid value '-1' for parameter 'min_ram': Cannot be a negative value");
    assertThat(message(owner.post("/v2/images", "{\"" + "k".repeat(256) + "\": \"v\"}")))
        .isEqualTo("Custom property should not be greater than 255 characters.");
  }

  @Test
  void createEnforcesOwnershipPublicizingAndUniqueIds() {
    HttpResponse<String> pub = owner.post("/v2/images", "{\"visibility\": \"public\"}");
    assertThat(pub.statusCode()).isEqualTo(403);
    assertThat(message(pub)).isEqualTo("You are not authorized to complete publicize_image action.");
    assertThat(admin.post("/v2/images", "{\"visibility\": \"public\"}").statusCode()).isEqualTo(201);
    assertThat(owner.post("/v2/images", "{\"visibility\": \"community\"}").statusCode())
        .isEqualTo(201);
    HttpResponse<String> foreign = owner.post("/v2/images", "{\"owner\": \"" + P2 + "\"}");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(message(foreign))
        .isEqualTo("You are not permitted to create images owned by '" + P2 + "'.");
    assertThat(json(admin.post("/v2/images", "{\"owner\": \"" + P2 + "\"}")).get("owner").asText())
        .isEqualTo(P2);

    String id = "5a3b4c1e-0000-4000-8000-00000000000a";
    assertThat(owner.post("/v2/images", "{\"id\": \"" + id + "\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> dup = owner.post("/v2/images", "{\"id\": \"" + id + "\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup)).isEqualTo("Image ID " + id + " already exists!");
    assertThat(owner.delete("/v2/images/" + id).statusCode()).isEqualTo(204);
    assertThat(owner.post("/v2/images", "{\"id\": \"" + id + "\"}").statusCode())
        .as("a deleted image's id stays taken, as in Glance")
        .isEqualTo(409);
  }

  @Test
  void showUnknownOrInvisibleIsNotFound() {
    HttpResponse<String> r = owner.get("/v2/images/00000000-0000-4000-8000-000000000000");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).get("message").asText())
        .isEqualTo("No image found with ID 00000000-0000-4000-8000-000000000000<br /><br />\n\n\n");
    assertThat(json(r).get("code").asText()).isEqualTo("404 Not Found");
    assertThat(json(r).get("title").asText()).isEqualTo("Not Found");
    String id = owner.create("{\"visibility\": \"private\"}").get("id").asText();
    assertThat(other.get("/v2/images/" + id).statusCode()).isEqualTo(404);
    assertThat(admin.get("/v2/images/" + id).statusCode()).isEqualTo(200);
    assertThat(owner.get("/v2/images/" + "x".repeat(40)).statusCode()).isEqualTo(404);
  }

  @Test
  void patchAppliesAddReplaceRemoveInOrder() {
    String id = owner.create("{\"name\": \"a\", \"k1\": \"v1\"}").get("id").asText();
    String before = json(owner.get("/v2/images/" + id)).get("updated_at").asText();
    HttpResponse<String> r =
        owner.patch(
            id,
            """
            [{"op": "replace", "path": "/name", "value": "b"},
             {"op": "add", "path": "/k2", "value": "v2"},
             {"op": "replace", "path": "/k1", "value": "v1b"},
             {"op": "remove", "path": "/k2"},
             {"op": "add", "path": "/min_ram", "value": 512},
             {"op": "replace", "path": "/tags", "value": ["x", "y"]},
             {"op": "add", "path": "/a~1b", "value": "slash"},
             {"op": "replace", "path": "/protected", "value": true}]""");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode img = json(r);
    assertThat(img.get("name").asText()).isEqualTo("b");
    assertThat(img.get("k1").asText()).isEqualTo("v1b");
    assertThat(img.has("k2")).isFalse();
    assertThat(img.get("a/b").asText()).isEqualTo("slash");
    assertThat(img.get("min_ram").asInt()).isEqualTo(512);
    assertThat(img.get("protected").asBoolean()).isTrue();
    assertThat(img.get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
    assertThat(img.get("updated_at").asText()).isGreaterThanOrEqualTo(before);
    assertThat(json(owner.patch(id, "[]")).get("name").asText()).isEqualTo("b");

    HttpResponse<String> draft4 =
        owner.patch(
            "/v2/images/" + id,
            "application/openstack-images-v2.0-json-patch",
            "[{\"replace\": \"/name\", \"value\": \"c\"}, {\"add\": \"/os_distro\", \"value\": \"cirros\"}]");
    assertThat(draft4.statusCode()).isEqualTo(200);
    assertThat(json(draft4).get("name").asText()).isEqualTo("c");
    HttpResponse<String> present =
        owner.patch(
            "/v2/images/" + id,
            "application/openstack-images-v2.0-json-patch",
            "[{\"add\": \"/os_distro\", \"value\": \"again\"}]");
    assertThat(present.statusCode()).isEqualTo(409);
    assertThat(message(present)).isEqualTo("Property os_distro already present.");
  }

  @Test
  void patchRefusesWhatGlanceRefuses() {
    String id = owner.create("{\"name\": \"p\"}").get("id").asText();
    HttpResponse<String> media =
        owner.patch("/v2/images/" + id, "application/json", "[]");
    assertThat(media.statusCode()).isEqualTo(415);
    assertThat(media.headers().firstValue("Accept-Patch"))
        .hasValue(
            "application/openstack-images-v2.0-json-patch,"
                + " application/openstack-images-v2.1-json-patch");
    assertThat(message(owner.patch(id, "{}")))
        .isEqualTo("Request body must be a JSON array of operation objects.");
    assertThat(message(owner.patch(id, "[1]"))).isEqualTo("Operations must be JSON objects.");
    assertThat(message(owner.patch(id, "[{\"path\": \"/name\"}]")))
        .isEqualTo(
            "Unable to find `op` in JSON Schema change. It must be one of the following: add,"
                + " remove, replace.");
    assertThat(message(owner.patch(id, "[{\"op\": \"move\", \"path\": \"/name\"}]")))
        .isEqualTo("Invalid operation: `move`. It must be one of the following: add, remove, replace.");
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"value\": 1}]")))
        .isEqualTo("Unable to find 'path' in JSON Schema change");
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"path\": \"/x\"}]")))
        .isEqualTo("Operation \"add\" requires a member named \"value\".");
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"path\": \"x\", \"value\": \"1\"}]")))
        .isEqualTo("Pointer `x` does not start with \"/\".");
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"path\": \"/a/b\", \"value\": \"1\"}]")))
        .isEqualTo("Invalid JSON pointer for this resource: '/a/b'");
    HttpResponse<String> readOnly =
        owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"active\"}]");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(message(readOnly)).isEqualTo("Attribute 'status' is read-only.");
    assertThat(message(owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/id\", \"value\": \"x\"}]")))
        .isEqualTo("Attribute 'id' is read-only.");
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"path\": \"/deleted\", \"value\": \"x\"}]")))
        .isEqualTo("Attribute 'deleted' is reserved.");
    HttpResponse<String> missing =
        owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/nope\", \"value\": \"x\"}]");
    assertThat(missing.statusCode()).isEqualTo(409);
    assertThat(message(missing)).isEqualTo("Property nope does not exist.");
    assertThat(message(owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/nope\"}]")))
        .isEqualTo("Property nope does not exist.");
    HttpResponse<String> removeBase = owner.patch(id, "[{\"op\": \"remove\", \"path\": \"/name\"}]");
    assertThat(removeBase.statusCode()).isEqualTo(403);
    assertThat(message(removeBase)).isEqualTo("Property name may not be removed.");
    assertThat(message(owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]")))
        .isEqualTo("You are not authorized to complete publicize_image action.");
    assertThat(message(owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/owner\", \"value\": \"" + P2 + "\"}]")))
        .isEqualTo("Owner can't be updated by non admin.");
    assertThat(owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/min_disk\", \"value\": \"big\"}]").statusCode())
        .isEqualTo(400);
    assertThat(message(owner.patch(id, "[{\"op\": \"add\", \"path\": \"/locations/-\", \"value\": {}}]")))
        .isEqualTo("It's not allowed to add locations if locations are invisible.");

    HttpResponse<String> notOwner = other.patch(id, "[]");
    assertThat(notOwner.statusCode()).as("shared, not a member: invisible").isEqualTo(404);
    String community = owner.create("{\"visibility\": \"community\"}").get("id").asText();
    HttpResponse<String> forbidden = other.patch(community, "[]");
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(message(forbidden)).isEqualTo("You do not own this image");
    assertThat(admin.patch(id, "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]").statusCode())
        .isEqualTo(200);
  }

  @Test
  void formatsChangeOnlyWhileQueued() {
    String id =
        owner.createWithData(
            "{\"disk_format\": \"raw\", \"container_format\": \"bare\"}", new byte[] {1, 2, 3});
    HttpResponse<String> r =
        owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/disk_format\", \"value\": \"qcow2\"}]");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("Attribute disk_format can be only replaced for a queued image.");
    assertThat(owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"ok\"}]").statusCode())
        .isEqualTo(200);
  }

  @Test
  void deleteSoftDeletesAndRefusesProtectedAndForeignImages() {
    String id = owner.create("{\"protected\": true, \"visibility\": \"community\"}").get("id").asText();
    HttpResponse<String> prot = owner.delete("/v2/images/" + id);
    assertThat(prot.statusCode()).isEqualTo(403);
    assertThat(message(prot)).isEqualTo("Image " + id + " is protected and cannot be deleted.");
    HttpResponse<String> foreign = other.delete("/v2/images/" + id);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(message(foreign)).isEqualTo("You do not own this image");
    owner.patch(id, "[{\"op\": \"replace\", \"path\": \"/protected\", \"value\": false}]");
    HttpResponse<String> ok = owner.delete("/v2/images/" + id);
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.body()).isEmpty();
    assertThat(owner.get("/v2/images/" + id).statusCode()).isEqualTo(404);
    assertThat(admin.get("/v2/images/" + id).statusCode()).isEqualTo(404);
    HttpResponse<String> again = owner.delete("/v2/images/" + id);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(message(again)).isEqualTo("Failed to find image " + id + " to delete");
  }

  @Test
  void deactivateAndReactivateFollowTheStatusMachine() {
    String queued = owner.create("{}").get("id").asText();
    HttpResponse<String> r = owner.post("/v2/images/" + queued + "/actions/deactivate", null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(message(r)).isEqualTo("Not allowed to deactivate image in status 'queued'");
    assertThat(message(owner.post("/v2/images/" + queued + "/actions/reactivate", null)))
        .isEqualTo("Not allowed to reactivate image in status 'queued'");

    String id =
        owner.createWithData(
            "{\"disk_format\": \"raw\", \"container_format\": \"bare\", \"visibility\": \"community\"}",
            new byte[] {9});
    assertThat(other.post("/v2/images/" + id + "/actions/deactivate", null).statusCode())
        .isEqualTo(403);
    assertThat(owner.post("/v2/images/" + id + "/actions/deactivate", null).statusCode()).isEqualTo(204);
    assertThat(owner.post("/v2/images/" + id + "/actions/deactivate", null).statusCode()).isEqualTo(204);
    assertThat(json(owner.get("/v2/images/" + id)).get("status").asText()).isEqualTo("deactivated");
    HttpResponse<String> download = owner.get("/v2/images/" + id + "/file");
    assertThat(download.statusCode()).isEqualTo(403);
    assertThat(message(download))
        .isEqualTo("The requested image has been deactivated. Image data download is forbidden.");
    assertThat(admin.get("/v2/images/" + id + "/file").statusCode()).isEqualTo(200);
    assertThat(owner.post("/v2/images/" + id + "/actions/reactivate", null).statusCode()).isEqualTo(204);
    assertThat(json(owner.get("/v2/images/" + id)).get("status").asText()).isEqualTo("active");
    assertThat(owner.post("/v2/images/" + id + "/actions/reactivate", null).statusCode()).isEqualTo(204);
    assertThat(owner.post("/v2/images/00000000-0000-4000-8000-000000000000/actions/deactivate", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void tagsAreAddedIdempotentlyAndRemoved() {
    String id = owner.create("{\"visibility\": \"community\"}").get("id").asText();
    assertThat(owner.put("/v2/images/" + id + "/tags/blue", null, null).statusCode()).isEqualTo(204);
    assertThat(owner.put("/v2/images/" + id + "/tags/blue", null, null).statusCode()).isEqualTo(204);
    assertThat(owner.put("/v2/images/" + id + "/tags/with%20space", null, null).statusCode()).isEqualTo(204);
    assertThat(json(owner.get("/v2/images/" + id)).get("tags").toString())
        .isEqualTo("[\"blue\",\"with space\"]");
    HttpResponse<String> foreign = other.put("/v2/images/" + id + "/tags/red", null, null);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(message(foreign)).isEqualTo("Not allowed to update tags for image " + id + ".");
    assertThat(message(other.delete("/v2/images/" + id + "/tags/blue")))
        .isEqualTo("Not allowed to delete tags for image " + id + ".");
    assertThat(owner.put("/v2/images/" + id + "/tags/" + "t".repeat(256), null, null).statusCode())
        .isEqualTo(400);
    assertThat(owner.delete("/v2/images/" + id + "/tags/blue").statusCode()).isEqualTo(204);
    assertThat(owner.delete("/v2/images/" + id + "/tags/blue").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown =
        owner.put("/v2/images/00000000-0000-4000-8000-000000000000/tags/x", null, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(message(unknown)).isEqualTo("Image 00000000-0000-4000-8000-000000000000 not found.");
    assertThat(json(owner.get("/v2/images?tag=with%20space&visibility=community")).get("images").size())
        .isEqualTo(1);
  }

  @Test
  void schemasAreGlances() {
    HttpResponse<String> image = owner.get("/v2/schemas/image");
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(image.body()).hasSize(6083);
    JsonNode schema = json(image);
    assertThat(schema.get("name").asText()).isEqualTo("image");
    assertThat(schema.at("/properties/kernel_id/is_base").asBoolean(true)).isFalse();
    assertThat(schema.at("/additionalProperties/type").asText()).isEqualTo("string");
    assertThat(json(owner.get("/v2/schemas/images")).at("/properties/images/items/name").asText())
        .isEqualTo("image");
    assertThat(json(owner.get("/v2/schemas/member")).at("/properties/status/enum").toString())
        .isEqualTo("[\"pending\",\"accepted\",\"rejected\"]");
    assertThat(json(owner.get("/v2/schemas/members")).at("/links/0/rel").asText())
        .isEqualTo("describedby");
  }

  @Test
  void versionDocumentsNeedNoToken() {
    ImageClient anonymous = new ImageClient(server, null);
    HttpResponse<String> root = anonymous.get("/");
    assertThat(root.statusCode()).isEqualTo(300);
    JsonNode versions = json(root).get("versions");
    assertThat(versions.get(0).get("id").asText()).isEqualTo("v2.15");
    assertThat(versions.get(0).get("status").asText()).isEqualTo("CURRENT");
    assertThat(versions.get(0).at("/links/0/href").asText()).isEqualTo(server.imageUrl() + "/v2/");
    assertThat(versions.get(versions.size() - 1).get("id").asText()).isEqualTo("v2.0");
    assertThat(anonymous.get("/versions").statusCode()).isEqualTo(200);
    HttpResponse<String> list = anonymous.get("/v2/images");
    assertThat(list.statusCode()).isEqualTo(401);
    assertThat(list.headers().firstValue("WWW-Authenticate"))
        .hasValue("Keystone uri=\"" + server.identityUrl() + "\"");
    assertThat(json(list).get("code").asText()).isEqualTo("401 Unauthorized");
    assertThat(owner.get("/v2.1/images").statusCode()).isEqualTo(200);
    assertThat(owner.get("/v2.15/schemas/image").statusCode()).isEqualTo(200);
  }

  @Test
  void errorBodiesFollowAccept() {
    String path = "/v2/images/00000000-0000-4000-8000-000000000000";
    HttpResponse<String> plain =
        server.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.imageUrl() + path))
                .header("X-Auth-Token", owner.token)
                .GET()
                .build());
    assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(plain.body())
        .isEqualTo("404 Not Found\n\nNo image found with ID 00000000-0000-4000-8000-000000000000\n\n   ");
    HttpResponse<String> html = server.get(server.imageUrl() + path, owner.token, "Accept", "*/*");
    assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(html.body())
        .startsWith("<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n")
        .contains("No image found with ID 00000000-0000-4000-8000-000000000000<br /><br />");
    HttpResponse<String> json = server.get(server.imageUrl() + path, owner.token, "Accept", "application/json");
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json.headers().firstValue("x-openstack-request-id")).isPresent();
  }

  @Test
  void unsupportedMethodsAnswer405WithAllowAndBodiesOnReadsAre400() {
    HttpResponse<String> r =
        server.send(owner.request("/v2/images").method("PUT", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET", "POST"));
    HttpResponse<String> head =
        server.send(owner.request("/v2/images/x/file").method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).as("HEAD is not routed like GET, as in Glance").isEqualTo(405);
    assertThat(head.headers().firstValue("Allow")).hasValue("GET, PUT");
    HttpResponse<String> odd =
        server.send(owner.request("/v2/images").method("FROB", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    assertThat(odd.statusCode()).as("never a 5xx for client input (issue 10)").isEqualTo(405);
    assertThat(odd.headers().firstValue("Allow")).hasValue("GET, POST");
    HttpResponse<String> body =
        server.send(owner.request("/v2/images").method("GET", java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
    assertThat(body.statusCode()).isEqualTo(400);
    assertThat(message(body)).isEqualTo("A body is not expected with this request.");
  }

  @Test
  void trailingSlashIsNoRouteAsInGlance() {
    for (HttpResponse<String> r :
        List.of(owner.get("/v2/images/"), owner.delete("/v2/images/"), owner.get("/v2/schemas/image/"))) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(json(r).get("code").asText()).isEqualTo("404 Not Found");
      assertThat(r.body())
          .isEqualTo(
              "{\"message\":\"The resource could not be found.<br /><br />\\n\\n\\n\","
                  + "\"code\":\"404 Not Found\",\"title\":\"Not Found\"}");
    }
    assertThat(server.get(server.imageUrl() + "/v2/images/", null).statusCode())
        .as("the token is checked first, as keystonemiddleware does")
        .isEqualTo(401);
  }

  @Test
  void quotasAreGlancesAndUnscopedCallersCannotCreate() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 129; i++) {
      many.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": \"v\"");
    }
    HttpResponse<String> props = owner.post("/v2/images", many.append("}").toString());
    assertThat(props.statusCode()).isEqualTo(413);
    assertThat(message(props))
        .isEqualTo(
            "The limit has been exceeded on the number of allowed image properties. Attempted:"
                + " 129, Maximum: 128");
    StringBuilder tags = new StringBuilder("{\"tags\": [");
    for (int i = 0; i < 129; i++) {
      tags.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\"");
    }
    assertThat(owner.post("/v2/images", tags.append("]}").toString()).statusCode()).isEqualTo(413);

    String unscoped =
        server.app().tokens()
            .issue(TokenClaims.user("u", "user", "default", List.of("member"), List.of("password")))
            .id();
    HttpResponse<String> r = new ImageClient(server, unscoped).post("/v2/images", "{}");
    assertThat(r.statusCode()).isEqualTo(403);
  }
}
