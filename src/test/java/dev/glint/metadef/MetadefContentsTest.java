package dev.glint.metadef;

import static dev.glint.metadef.MetadefClient.json;
import static dev.glint.metadef.MetadefClient.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Objects, properties, tags and resource type associations inside a namespace. */
class MetadefContentsTest {
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
  void objectsAreCreatedListedShownRenamedAndDeleted() {
    String ns = admin.namespace("{\"namespace\": \"Obj::NS\", \"visibility\": \"public\"}");
    String base = "/v2/metadefs/namespaces/" + ns + "/objects";
    HttpResponse<String> created =
        admin.post(
            base,
            """
            {"name": "Disk", "description": "a disk", "required": ["size"],
             "properties": {"size": {"title": "Size", "type": "integer", "minimum": 1}}}""");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode o = json(created);
    List<String> keys = new ArrayList<>();
    o.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly(
            "created_at", "description", "name", "properties", "required", "schema", "self",
            "updated_at");
    assertThat(o.get("self").asText()).isEqualTo("/v2/metadefs/namespaces/Obj::NS/objects/Disk");
    assertThat(o.get("schema").asText()).isEqualTo("/v2/schemas/metadefs/object");

    HttpResponse<String> dup = admin.post(base, "{\"name\": \"Disk\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo("A metadata definition object with name=Disk already exists in namespace=Obj::NS.");

    JsonNode list = json(memberB.get(base));
    assertThat(list.get("schema").asText()).isEqualTo("v2/schemas/metadefs/objects");
    assertThat(list.get("objects").get(0).get("name").asText()).isEqualTo("Disk");
    assertThat(json(memberB.get(base + "/Disk")).get("required").get(0).asText()).isEqualTo("size");

    HttpResponse<String> renamed = admin.put(base + "/Disk", "{\"name\": \"Volume\"}");
    assertThat(renamed.statusCode()).isEqualTo(200);
    JsonNode r = json(renamed);
    assertThat(r.get("name").asText()).isEqualTo("Volume");
    assertThat(r.get("required").size()).as("a PUT replaces the whole object").isZero();
    assertThat(r.has("description")).isFalse();
    HttpResponse<String> gone = memberB.get(base + "/Disk");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(message(gone))
        .isEqualTo(
            "The metadata definition object with name=Disk was not found in namespace=Obj::NS.");

    HttpResponse<String> byMember = memberB.delete(base + "/Volume");
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(message(byMember))
        .isEqualTo("You are not authorized to complete delete_metadef_object action.");
    assertThat(admin.delete(base + "/Volume").statusCode()).isEqualTo(204);
    assertThat(json(admin.get(base)).get("objects").size()).isZero();

    admin.post(base, "{\"name\": \"A\"}");
    admin.post(base, "{\"name\": \"B\"}");
    assertThat(admin.delete(base).statusCode()).isEqualTo(204);
    assertThat(json(admin.get(base)).get("objects").size()).isZero();
  }

  @Test
  void objectBodiesAreCheckedAgainstGlancesSchemas() {
    String ns = admin.namespace("{\"namespace\": \"Obj::Bad\"}");
    String base = "/v2/metadefs/namespaces/" + ns + "/objects";
    assertThat(message(admin.post(base, "{}")))
        .isEqualTo("Provided object does not match schema 'object': 'name' is a required property");
    HttpResponse<String> badProperty =
        admin.post(base, "{\"name\": \"o\", \"properties\": {\"p\": {\"title\": \"P\", \"type\": \"str\"}}}");
    assertThat(badProperty.statusCode()).isEqualTo(400);
    assertThat(message(badProperty))
        .startsWith("Provided object does not match schema 'object': 'str' is not one of ['array',");
    HttpResponse<String> readOnly = admin.post(base, "{\"name\": \"o\", \"schema\": \"x\"}");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(message(readOnly)).isEqualTo("Attribute 'schema' is read-only.");
    HttpResponse<String> noNs = admin.post("/v2/metadefs/namespaces/Nope/objects", "{\"name\": \"o\"}");
    assertThat(noNs.statusCode()).isEqualTo(404);
    assertThat(message(noNs)).isEqualTo("Metadata definition namespace=Nope was not found.");
  }

  @Test
  void propertiesFollowTempestsLifecycle() {
    String ns = admin.namespace("{\"namespace\": \"Prop::NS\", \"visibility\": \"public\"}");
    String base = "/v2/metadefs/namespaces/" + ns + "/properties";
    String body =
        "{\"name\": \"hypervisor\", \"title\": \"Hypervisor\", \"type\": \"string\","
            + " \"enum\": [\"kvm\", \"qemu\"]}";
    HttpResponse<String> created = admin.post(base, body);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body())
        .isEqualTo(
            "{\"enum\":[\"kvm\",\"qemu\"],\"name\":\"hypervisor\",\"title\":\"Hypervisor\",\"type\":\"string\"}");
    HttpResponse<String> dup = admin.post(base, body);
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo(
            "A metadata definition property with name=hypervisor already exists in namespace=Prop::NS.");
    assertThat(json(memberB.get(base + "/hypervisor")).get("title").asText()).isEqualTo("Hypervisor");
    assertThat(json(memberB.get(base)).get("properties").has("hypervisor")).isTrue();

    HttpResponse<String> updated =
        admin.put(base + "/hypervisor", body.replace("\"Hypervisor\"", "\"HV\""));
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(json(updated).get("title").asText()).isEqualTo("HV");

    HttpResponse<String> missingTitle = admin.post(base, "{\"name\": \"x\", \"type\": \"string\"}");
    assertThat(missingTitle.statusCode()).isEqualTo(400);
    assertThat(message(missingTitle))
        .isEqualTo("Provided object does not match schema 'property': 'title' is a required property");

    HttpResponse<String> byMember = memberA.delete(base + "/hypervisor");
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(message(byMember))
        .isEqualTo("You are not authorized to complete remove_metadef_property action.");
    assertThat(admin.delete(base + "/hypervisor").statusCode()).isEqualTo(204);
    HttpResponse<String> gone = admin.get(base + "/hypervisor");
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(message(gone))
        .isEqualTo(
            "The metadata definition property with name=hypervisor was not found in namespace=Prop::NS.");
  }

  @Test
  void propertyShownThroughAResourceTypeNeedsItsPrefix() {
    admin.namespace(
        "{\"namespace\": \"Prop::Prefix\", \"resource_type_associations\": [{\"name\":"
            + " \"OS::Glance::Image\", \"prefix\": \"hw_\"}], \"properties\": {\"cpu\":"
            + " {\"title\": \"CPU\", \"type\": \"integer\"}}}");
    String base = "/v2/metadefs/namespaces/Prop::Prefix/properties/";
    HttpResponse<String> ok = admin.get(base + "hw_cpu?resource_type=OS::Glance::Image");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).get("name").asText()).isEqualTo("cpu");
    HttpResponse<String> unprefixed = admin.get(base + "cpu?resource_type=OS::Glance::Image");
    assertThat(unprefixed.statusCode()).isEqualTo(404);
    assertThat(message(unprefixed))
        .isEqualTo(
            "Property cpu does not start with the expected resource type association prefix of 'hw_'.");
  }

  @Test
  void tagsAreReplacedAppendedRenamedAndDeleted() {
    String ns = admin.namespace("{\"namespace\": \"Tag::NS\", \"visibility\": \"public\"}");
    String base = "/v2/metadefs/namespaces/" + ns + "/tags";
    HttpResponse<String> created =
        admin.post(base, "{\"tags\": [{\"name\": \"a\"}, {\"name\": \"b\"}, {\"name\": \"c\"}]}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.body()).isEqualTo("{\"tags\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]}");
    assertThat(json(memberB.get(base)).get("tags").size()).isEqualTo(3);

    HttpResponse<String> replaced = admin.post(base, "{\"tags\": [{\"name\": \"d\"}]}");
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(tagNames(base)).containsExactly("d");
    HttpResponse<String> appended =
        server.send(
            admin.request(base)
                .header("Content-Type", "application/json")
                .header("X-Openstack-Append", "True")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tags\": [{\"name\": \"e\"}]}"))
                .build());
    assertThat(appended.statusCode()).isEqualTo(201);
    assertThat(tagNames(base + "?sort_key=name&sort_dir=asc")).containsExactly("d", "e");
    assertThat(tagNames(base + "?sort_key=name&sort_dir=asc&limit=1&marker=d")).containsExactly("e");

    HttpResponse<String> one = admin.post(base + "/f", null);
    assertThat(one.statusCode()).isEqualTo(201);
    assertThat(json(one).get("name").asText()).isEqualTo("f");
    assertThat(json(one).has("created_at")).isTrue();
    HttpResponse<String> dup = admin.post(base + "/f", null);
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo(
            "A metadata tag with name=f already exists in namespace=Tag::NS. (Please note that"
                + " metadata tag names are case insensitive).");
    HttpResponse<String> dupInList =
        admin.post(base, "{\"tags\": [{\"name\": \"x\"}, {\"name\": \"x\"}]}");
    assertThat(dupInList.statusCode()).isEqualTo(409);
    assertThat(tagNames(base)).as("a refused list changes nothing").contains("d", "e", "f");

    HttpResponse<String> renamed = admin.put(base + "/f", "{\"name\": \"g\"}");
    assertThat(renamed.statusCode()).isEqualTo(200);
    assertThat(json(renamed).get("name").asText()).isEqualTo("g");
    assertThat(json(memberB.get(base + "/g")).get("name").asText()).isEqualTo("g");
    HttpResponse<String> missing = memberB.get(base + "/f");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(message(missing))
        .isEqualTo("The metadata definition tag with name=f was not found in namespace=Tag::NS.");

    HttpResponse<String> byMember = memberB.post(base + "/h", null);
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(message(byMember)).isEqualTo("You are not authorized to complete add_metadef_tag action.");
    assertThat(admin.delete(base + "/g").statusCode()).isEqualTo(204);
    assertThat(admin.delete(base).statusCode()).isEqualTo(204);
    assertThat(json(admin.get(base)).get("tags").size()).isZero();

    HttpResponse<String> badList = admin.post(base, "{\"tags\": [{\"title\": \"x\"}]}");
    assertThat(badList.statusCode()).isEqualTo(400);
    assertThat(message(badList))
        .isEqualTo("Provided object does not match schema 'tags': 'name' is a required property");
  }

  @Test
  void resourceTypeAssociationsAreAddedListedAndRemoved() {
    String ns = admin.namespace("{\"namespace\": \"Rt::NS\", \"visibility\": \"public\"}");
    String base = "/v2/metadefs/namespaces/" + ns + "/resource_types";
    HttpResponse<String> created =
        admin.post(base, "{\"name\": \"OS::Nova::Flavor\", \"prefix\": \"f:\", \"properties_target\": \"spec\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode a = json(created);
    List<String> keys = new ArrayList<>();
    a.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("created_at", "name", "prefix", "properties_target", "updated_at");
    HttpResponse<String> dup = admin.post(base, "{\"name\": \"OS::Nova::Flavor\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(message(dup))
        .isEqualTo(
            "The metadata definition resource-type association of resource-type=OS::Nova::Flavor"
                + " to namespace=Rt::NS already exists.");
    assertThat(json(memberB.get(base)).get("resource_type_associations").get(0).get("name").asText())
        .isEqualTo("OS::Nova::Flavor");
    List<String> types = new ArrayList<>();
    json(memberB.get("/v2/metadefs/resource_types")).get("resource_types")
        .forEach(t -> types.add(t.get("name").asText()));
    assertThat(types).as("associating creates the type").contains("OS::Nova::Flavor");

    HttpResponse<String> byMember = memberB.delete(base + "/OS::Nova::Flavor");
    assertThat(byMember.statusCode()).isEqualTo(403);
    assertThat(admin.delete(base + "/OS::Nova::Flavor").statusCode()).isEqualTo(204);
    HttpResponse<String> again = admin.delete(base + "/OS::Nova::Flavor");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(message(again)).isEqualTo("Failed to find resource type OS::Nova::Flavor to delete");
    assertThat(message(admin.post(base, "{\"prefix\": \"x\"}")))
        .isEqualTo(
            "Provided object does not match schema 'resource_type_association': 'name' is a"
                + " required property");
  }

  @Test
  void contentsOfAnotherProjectsPrivateNamespaceAreNotFound() {
    admin.namespace("{\"namespace\": \"Priv::A\", \"owner\": \"" + A + "\", \"tags\": [{\"name\": \"t\"}]}");
    for (String path : List.of("/objects", "/properties", "/tags", "/tags/t", "/resource_types")) {
      HttpResponse<String> r = memberB.get("/v2/metadefs/namespaces/Priv::A" + path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(message(r)).as(path).isIn("Namespace Priv::A not found");
    }
    assertThat(memberA.get("/v2/metadefs/namespaces/Priv::A/tags/t").statusCode()).isEqualTo(200);
  }

  @Test
  void protectedNamespaceKeepsItsContents() {
    admin.namespace(
        "{\"namespace\": \"Prot::C\", \"protected\": true, \"tags\": [{\"name\": \"t\"}],"
            + " \"objects\": [{\"name\": \"o\"}], \"properties\": {\"p\": {\"title\": \"P\","
            + " \"type\": \"string\"}}, \"resource_type_associations\": [{\"name\": \"OS::Glance::Image\"}]}");
    String base = "/v2/metadefs/namespaces/Prot::C";
    assertThat(message(admin.delete(base + "/tags/t")))
        .isEqualTo("Metadata definition tag t is protected and cannot be deleted.");
    assertThat(message(admin.delete(base + "/objects/o")))
        .isEqualTo("Metadata definition object o is protected and cannot be deleted.");
    assertThat(message(admin.delete(base + "/properties/p")))
        .isEqualTo("Metadata definition property p is protected and cannot be deleted.");
    assertThat(message(admin.delete(base + "/resource_types/OS::Glance::Image")))
        .isEqualTo(
            "Metadata definition resource-type-association OS::Glance::Image is protected and"
                + " cannot be deleted.");
  }

  @Test
  void renamesOntoAnExistingNameAreConflictsAndMissingItemsAre404() {
    admin.namespace(
        "{\"namespace\": \"Ren::C\", \"objects\": [{\"name\": \"o1\"}, {\"name\": \"o2\"}],"
            + " \"properties\": {\"p1\": {\"title\": \"P\", \"type\": \"string\"},"
            + " \"p2\": {\"title\": \"P\", \"type\": \"string\"}},"
            + " \"tags\": [{\"name\": \"t1\"}, {\"name\": \"t2\"}]}");
    String base = "/v2/metadefs/namespaces/Ren::C";
    HttpResponse<String> object = admin.put(base + "/objects/o1", "{\"name\": \"o2\"}");
    assertThat(object.statusCode()).isEqualTo(409);
    assertThat(message(object))
        .isEqualTo(
            "Invalid update. It would result in a duplicate metadata definition object with the"
                + " same name=o2 in namespace=Ren::C.");
    HttpResponse<String> property =
        admin.put(base + "/properties/p1", "{\"name\": \"p2\", \"title\": \"P\", \"type\": \"string\"}");
    assertThat(property.statusCode()).isEqualTo(409);
    assertThat(message(property))
        .isEqualTo(
            "Invalid update. It would result in a duplicate metadata definition property with the"
                + " same name=p2 in namespace=Ren::C.");
    HttpResponse<String> tag = admin.put(base + "/tags/t1", "{\"name\": \"t2\"}");
    assertThat(tag.statusCode()).isEqualTo(409);
    assertThat(message(tag)).startsWith("A metadata tag with name=t2 already exists in namespace=Ren::C.");

    assertThat(admin.put(base + "/objects/none", "{\"name\": \"x\"}").statusCode()).isEqualTo(404);
    HttpResponse<String> noProperty =
        admin.put(base + "/properties/none", "{\"name\": \"x\", \"title\": \"P\", \"type\": \"string\"}");
    assertThat(noProperty.statusCode()).isEqualTo(404);
    assertThat(message(noProperty))
        .isEqualTo("The metadata definition property with name=none was not found in namespace=Ren::C.");
    assertThat(admin.put(base + "/tags/none", "{\"name\": \"x\"}").statusCode()).isEqualTo(404);
    assertThat(admin.delete(base + "/tags/none").statusCode()).isEqualTo(404);

    assertThat(admin.delete(base + "/properties").statusCode()).isEqualTo(204);
    assertThat(json(admin.get(base + "/properties")).get("properties").size()).isZero();
    assertThat(json(admin.get(base + "/objects")).get("objects").size())
        .as("emptying one kind leaves the others")
        .isEqualTo(2);
  }

  private static List<String> tagNames(String path) {
    List<String> out = new ArrayList<>();
    json(admin.get(path)).get("tags").forEach(t -> out.add(t.get("name").asText()));
    return out;
  }
}
