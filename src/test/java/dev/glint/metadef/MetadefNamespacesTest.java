package dev.glint.metadef;

import static dev.glint.metadef.MetadefClient.json;
import static dev.glint.metadef.MetadefClient.message;
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
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /v2/metadefs/namespaces}: create, list, show, update, delete, who sees and does what. */
class MetadefNamespacesTest {
  static final String A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static final String B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  static TestServer server;
  static MetadefClient admin;
  static MetadefClient memberA;
  static MetadefClient memberB;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    admin = MetadefClient.admin(server, A);
    memberA = MetadefClient.member(server, A);
    memberB = MetadefClient.member(server, B);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createAnswers201WithGlancesBodyAndLocation() {
    HttpResponse<String> r =
        admin.post(
            "/v2/metadefs/namespaces",
            """
            {"namespace": "Test::Create", "display_name": "Create", "description": "d",
             "visibility": "public", "protected": true,
             "resource_type_associations": [{"name": "OS::Glance::Image", "prefix": "hw_"}],
             "properties": {"cpu": {"title": "CPU", "type": "integer", "minimum": 1, "extra": 1}},
             "objects": [{"name": "Obj", "required": ["x"],
                          "properties": {"x": {"title": "X", "type": "string"}}}],
             "tags": [{"name": "t1"}, {"name": "t2"}]}""");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location"))
        .hasValue(server.imageUrl() + "/v2/metadefs/namespaces/Test::Create");
    JsonNode ns = json(r);
    List<String> keys = new ArrayList<>();
    ns.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "created_at", "description", "display_name", "namespace", "objects", "owner",
            "properties", "protected", "resource_type_associations", "schema", "self", "tags",
            "updated_at", "visibility");
    assertThat(ns.get("owner").asText()).isEqualTo(A);
    assertThat(ns.get("protected").asBoolean()).isTrue();
    assertThat(ns.get("self").asText()).isEqualTo("/v2/metadefs/namespaces/Test::Create");
    assertThat(ns.get("schema").asText()).isEqualTo("/v2/schemas/metadefs/namespace");
    assertThat(ns.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(ns.get("properties").get("cpu").toString())
        .as("unknown attributes are dropped, as wsme does")
        .isEqualTo("{\"minimum\":1,\"title\":\"CPU\",\"type\":\"integer\"}");
    assertThat(ns.get("tags").toString()).isEqualTo("[{\"name\":\"t1\"},{\"name\":\"t2\"}]");
    assertThat(ns.get("resource_type_associations").toString())
        .as("the contents as the request gave them, as Glance answers")
        .isEqualTo("[{\"name\":\"OS::Glance::Image\",\"prefix\":\"hw_\"}]");
    assertThat(ns.get("objects").toString())
        .isEqualTo(
            "[{\"name\":\"Obj\",\"properties\":{\"x\":{\"title\":\"X\",\"type\":\"string\"}},"
                + "\"required\":[\"x\"]}]");

    JsonNode shown = json(memberB.get("/v2/metadefs/namespaces/Test::Create"));
    assertThat(shown.get("objects").get(0).get("self").asText())
        .isEqualTo("/v2/metadefs/namespaces/Test::Create/objects/Obj");
    JsonNode prefixed =
        json(memberB.get("/v2/metadefs/namespaces/Test::Create?resource_type=OS::Glance::Image"));
    assertThat(prefixed.get("properties").has("hw_cpu")).isTrue();
    assertThat(prefixed.get("objects").get(0).get("required").get(0).asText()).isEqualTo("hw_x");

    HttpResponse<String> twice =
        admin.post(
            "/v2/metadefs/namespaces",
            "{\"namespace\": \"Test::Twice\", \"tags\": [{\"name\": \"t\"}, {\"name\": \"t\"}]}");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(admin.get("/v2/metadefs/namespaces/Test::Twice").statusCode())
        .as("nothing of a refused create stays")
        .isEqualTo(404);

    HttpResponse<String> dup = admin.post("/v2/metadefs/namespaces", "{\"namespace\": \"Test::Create\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo("The metadata definition namespace=Test::Create already exists.");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|400|Provided object does not match schema 'namespace': 'namespace' is a required property",
        "{\"namespace\": \"x\", \"bogus\": 1}|400|Provided object does not match schema 'namespace': Additional properties are not allowed ('bogus' was unexpected)",
        "{\"namespace\": \"x\", \"visibility\": \"shared\"}|400|Provided object does not match schema 'namespace': 'shared' is not one of ['public', 'private']",
        "{\"namespace\": 5}|400|Provided object does not match schema 'namespace': 5 is not of type 'string'",
        "{\"namespace\": \"x\", \"protected\": \"yes\"}|400|Provided object does not match schema 'namespace': 'yes' is not of type 'boolean'",
        "{\"namespace\": \"x\", \"properties\": {\"p\": {\"type\": \"string\"}}}|400|Provided object does not match schema 'namespace': 'title' is a required property",
        "{\"namespace\": \"x\", \"self\": \"/x\"}|403|Attribute 'self' is read-only.",
        "{\"namespace\": \"x\", \"created_at\": \"now\"}|403|Attribute 'created_at' is read-only.",
        "[1]|400|Provided object does not match schema 'namespace': [1] is not of type 'object'",
        "{not json|400|Malformed JSON in request body.",
      })
  void createRefusesBadBodiesWithGlancesTexts(String body, int status, String text) {
    HttpResponse<String> r = admin.post("/v2/metadefs/namespaces", body);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(message(r)).isEqualTo(text);
  }

  @Test
  void createWithoutBodyOrTooLongNameIs400() {
    HttpResponse<String> empty = admin.post("/v2/metadefs/namespaces", null);
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(message(empty)).isEqualTo("Body expected in request.");
    HttpResponse<String> longName =
        admin.post("/v2/metadefs/namespaces", "{\"namespace\": \"" + "n".repeat(81) + "\"}");
    assertThat(longName.statusCode()).isEqualTo(400);
    assertThat(message(longName)).endsWith("'" + "n".repeat(81) + "' is too long");
  }

  @Test
  void onlyAdminsWriteAndOthersSeePublicOrTheirOwn() {
    HttpResponse<String> byMember = memberA.post("/v2/metadefs/namespaces", "{\"namespace\": \"Mine\"}");
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(message(byMember))
        .isEqualTo("You are not authorized to complete add_metadef_namespace action.");

    admin.namespace("{\"namespace\": \"Vis::PrivateA\", \"owner\": \"" + A + "\"}");
    admin.namespace("{\"namespace\": \"Vis::PrivateB\", \"owner\": \"" + B + "\"}");
    admin.namespace("{\"namespace\": \"Vis::Public\", \"visibility\": \"public\", \"owner\": \"" + B + "\"}");

    assertThat(names(memberA, "?limit=1000")).contains("Vis::PrivateA", "Vis::Public").doesNotContain("Vis::PrivateB");
    assertThat(names(memberB, "?limit=1000")).contains("Vis::PrivateB", "Vis::Public").doesNotContain("Vis::PrivateA");
    assertThat(names(admin, "?limit=1000")).contains("Vis::PrivateA", "Vis::PrivateB", "Vis::Public");
    assertThat(names(memberB, "?visibility=private&limit=1000")).contains("Vis::PrivateB").doesNotContain("Vis::Public");

    HttpResponse<String> hidden = memberA.get("/v2/metadefs/namespaces/Vis::PrivateB");
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(message(hidden)).isEqualTo("The resource could not be found.");
    HttpResponse<String> absent = memberA.get("/v2/metadefs/namespaces/Vis::Nothing");
    assertThat(absent.statusCode()).isEqualTo(404);
    assertThat(message(absent)).isEqualTo("Metadata definition namespace=Vis::Nothing was not found.");

    HttpResponse<String> hiddenDelete = memberA.delete("/v2/metadefs/namespaces/Vis::PrivateB");
    assertThat(hiddenDelete.statusCode()).isEqualTo(404);
    assertThat(message(hiddenDelete)).isEqualTo("Namespace Vis::PrivateB not found");
    HttpResponse<String> ownDelete = memberB.delete("/v2/metadefs/namespaces/Vis::PrivateB");
    assertThat(ownDelete.statusCode()).isEqualTo(403);
    assertThat(message(ownDelete))
        .isEqualTo("You are not authorized to complete delete_metadef_namespace action.");
    HttpResponse<String> ownUpdate =
        memberB.put("/v2/metadefs/namespaces/Vis::PrivateB", "{\"namespace\": \"Vis::PrivateB\"}");
    assertThat(ownUpdate.statusCode()).isEqualTo(403);
    assertThat(message(ownUpdate))
        .isEqualTo("You are not authorized to complete modify_metadef_namespace action.");
  }

  @Test
  void protectedNamespaceRefusesDeleteUntilUpdated() {
    admin.namespace(
        "{\"namespace\": \"Prot::One\", \"visibility\": \"public\", \"protected\": true,"
            + " \"tags\": [{\"name\": \"keep\"}]}");
    for (String path : List.of("", "/objects", "/properties", "/tags")) {
      HttpResponse<String> r = admin.delete("/v2/metadefs/namespaces/Prot::One" + path);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(message(r))
          .isEqualTo("Metadata definition namespace Prot::One is protected and cannot be deleted.");
    }
    HttpResponse<String> updated =
        admin.put(
            "/v2/metadefs/namespaces/Prot::One",
            "{\"namespace\": \"Prot::Two\", \"description\": \"Tempest\", \"visibility\": \"private\","
                + " \"display_name\": \"Two\", \"protected\": false}");
    assertThat(updated.statusCode()).isEqualTo(200);
    JsonNode body = json(updated);
    assertThat(body.get("namespace").asText()).isEqualTo("Prot::Two");
    assertThat(body.get("visibility").asText()).isEqualTo("private");
    assertThat(body.get("protected").asBoolean()).isFalse();
    assertThat(body.get("self").asText()).isEqualTo("/v2/metadefs/namespaces/Prot::Two");
    assertThat(body.has("tags")).as("an update answers the namespace alone").isFalse();
    assertThat(json(admin.get("/v2/metadefs/namespaces/Prot::Two")).get("tags").size())
        .as("contents survive a rename")
        .isEqualTo(1);

    assertThat(admin.delete("/v2/metadefs/namespaces/Prot::Two").statusCode()).isEqualTo(204);
    assertThat(admin.get("/v2/metadefs/namespaces/Prot::Two").statusCode()).isEqualTo(404);
    HttpResponse<String> again = admin.delete("/v2/metadefs/namespaces/Prot::Two");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(message(again)).isEqualTo("Namespace Prot::Two not found");
  }

  @Test
  void renameOntoAnotherNamespaceIsConflict() {
    admin.namespace("{\"namespace\": \"Ren::A\"}");
    admin.namespace("{\"namespace\": \"Ren::B\"}");
    HttpResponse<String> r = admin.put("/v2/metadefs/namespaces/Ren::A", "{\"namespace\": \"Ren::B\"}");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(message(r))
        .isEqualTo(
            "Invalid update. It would result in a duplicate metadata definition namespace with"
                + " the same name of Ren::B");
  }

  @Test
  void listPagesWithGlancesFirstAndNextLinks() {
    for (int i = 0; i < 3; i++) {
      admin.namespace("{\"namespace\": \"Page::" + i + "\", \"owner\": \"" + B + "\"}");
    }
    JsonNode page1 = json(memberB.get("/v2/metadefs/namespaces?limit=2&sort_key=namespace&sort_dir=asc&visibility=private"));
    assertThat(page1.get("first").asText())
        .isEqualTo("/v2/metadefs/namespaces?limit=2&sort_key=namespace&sort_dir=asc&visibility=private");
    assertThat(page1.get("schema").asText()).isEqualTo("/v2/schemas/metadefs/namespaces");
    assertThat(page1.get("namespaces").get(0).get("namespace").asText()).isEqualTo("Page::0");
    String next = page1.get("next").asText();
    assertThat(next)
        .isEqualTo(
            "/v2/metadefs/namespaces?limit=2&sort_key=namespace&sort_dir=asc&visibility=private"
                + "&marker=Page%3A%3A1");
    JsonNode page2 = json(memberB.get(next));
    assertThat(page2.get("namespaces").get(0).get("namespace").asText()).isEqualTo("Page::2");
    assertThat(page2.has("next")).isFalse();

    JsonNode byType = json(memberB.get("/v2/metadefs/namespaces?resource_types=OS::Nova::Server"));
    assertThat(byType.get("namespaces").get(0).get("namespace").asText())
        .isEqualTo("Glint::Compute::ImageView");
    assertThat(byType.get("namespaces").get(0).get("resource_type_associations").size()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=abc|limit param must be an integer",
        "limit=-1|limit param must be positive",
        "sort_dir=up|Invalid sort direction: up",
        "visibility=shared|Invalid visibility value: shared",
        "sort_key=bogus|Invalid sort key: bogus",
      })
  void listRefusesBadParameters(String query, String text) {
    HttpResponse<String> r = memberA.get("/v2/metadefs/namespaces?" + query);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(message(r)).isEqualTo(text);
  }

  @Test
  void listWithUnknownMarkerIs404() {
    HttpResponse<String> r = memberA.get("/v2/metadefs/namespaces?marker=Nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(message(r)).isEqualTo("Metadata definition namespace=Nope was not found.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "namespace|namespace", "namespaces|namespaces", "object|object", "objects|objects",
        "property|property", "properties|properties", "resource_type|resource_type_association",
        "resource_types|resource_type_associations", "tag|tag", "tags|tags"
      })
  void schemasAreGlances(String pair) {
    String[] p = pair.split("\\|");
    HttpResponse<String> r = memberA.get("/v2/schemas/metadefs/" + p[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("name").asText()).isEqualTo(p[1]);
  }

  @Test
  void wrongMethodsAnswer405WithGlancesAllow() {
    HttpResponse<String> patch =
        server.send(
            admin.request("/v2/metadefs/namespaces")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("GET", "POST"));
    HttpResponse<String> head =
        server.send(
            admin.request("/v2/metadefs/namespaces/X/tags/t")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(405);
    assertThat(head.headers().firstValue("Allow")).hasValue("GET, POST, PUT, DELETE");
    HttpResponse<String> slash = admin.get("/v2/metadefs/namespaces/");
    assertThat(slash.statusCode()).isEqualTo(404);
    assertThat(message(slash)).isEqualTo("The resource could not be found.");
  }

  @Test
  void everyCallNeedsAToken() {
    MetadefClient anonymous = new MetadefClient(server, null);
    assertThat(anonymous.get("/v2/metadefs/namespaces").statusCode()).isEqualTo(401);
    assertThat(anonymous.get("/v2/metadefs/resource_types").statusCode()).isEqualTo(401);
  }

  @Test
  void shippedDefinitionsAreLoadedOnFirstStart() {
    JsonNode ns = json(memberA.get("/v2/metadefs/namespaces/Glint::Compute::ImageView"));
    assertThat(ns.get("owner").asText()).isEqualTo("admin");
    assertThat(ns.get("protected").asBoolean()).isTrue();
    assertThat(ns.get("properties").has("instance_uuid")).isTrue();
    JsonNode types = json(memberA.get("/v2/metadefs/resource_types")).get("resource_types");
    List<String> names = new ArrayList<>();
    types.forEach(t -> names.add(t.get("name").asText()));
    assertThat(names).contains("OS::Glance::Image", "OS::Nova::Server", "OS::Cinder::Volume");
  }

  private static List<String> names(MetadefClient client, String query) {
    HttpResponse<String> r = client.get("/v2/metadefs/namespaces" + query);
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json(r).get("namespaces").forEach(n -> out.add(n.get("namespace").asText()));
    return out;
  }
}
