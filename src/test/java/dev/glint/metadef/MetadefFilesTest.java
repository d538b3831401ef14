package dev.glint.metadef;

import static dev.glint.metadef.MetadefClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.cli.GlintCommand;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glint metadefs load DIR}: Glance's definition files, and Glint's own on first start. */
class MetadefFilesTest {
  static final String DEFINITION =
      """
      {
          "namespace": "Test::Loaded",
          "display_name": "Loaded",
          "description": "From a file in Glance's format.",
          "visibility": "public",
          "protected": true,
          "resource_type_associations": [{"name": "OS::Nova::Aggregate", "prefix": "agg_"}],
          "properties": {"speed": {"title": "Speed", "type": "integer", "minimum": 1}},
          "objects": [{"name": "Link", "required": ["speed"],
                       "properties": {"speed": {"title": "Speed", "type": "integer"}}}],
          "tags": [{"name": "fast"}]
      }""";

  @TempDir Path dir;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void loadReadsGlanceFilesAndSkipsExistingNamespaces() throws IOException {
    Files.writeString(dir.resolve("a-loaded.json"), DEFINITION);
    Files.writeString(dir.resolve("b-other.json"), "{\"namespace\": \"Test::Other\", \"owner\": \"ops\"}");
    Files.writeString(dir.resolve("notes.txt"), "not a definition");
    MetadefService service = server.app().metadefs();
    List<MetadefFiles.Outcome> first = MetadefFiles.load(service, dir);
    assertThat(first).extracting(MetadefFiles.Outcome::namespace).containsExactly("Test::Loaded", "Test::Other");
    assertThat(first).allMatch(MetadefFiles.Outcome::loaded);
    assertThat(MetadefFiles.load(service, dir)).noneMatch(MetadefFiles.Outcome::loaded);

    MetadefClient reader = MetadefClient.member(server, "cccccccccccccccccccccccccccccccc");
    JsonNode ns = json(reader.get("/v2/metadefs/namespaces/Test::Loaded"));
    assertThat(ns.get("owner").asText()).as("Glance's loader default").isEqualTo("admin");
    assertThat(ns.get("protected").asBoolean()).isTrue();
    assertThat(ns.get("objects").get(0).get("required").get(0).asText()).isEqualTo("speed");
    assertThat(ns.get("tags").get(0).get("name").asText()).isEqualTo("fast");
    assertThat(ns.get("resource_type_associations").get(0).get("prefix").asText()).isEqualTo("agg_");
    assertThat(reader.get("/v2/metadefs/namespaces/Test::Other").statusCode())
        .as("private and owned by another project")
        .isEqualTo(404);
  }

  @Test
  void aFileThatIsNoDefinitionIsNamedInTheError() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"display_name\": \"no namespace\"}");
    assertThatThrownBy(() -> MetadefFiles.load(server.app().metadefs(), bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("\"namespace\"");
    Files.writeString(bad, "{\"namespace\": \"Twice\", \"tags\": [{\"name\": \"t\"}, {\"name\": \"t\"}]}");
    assertThatThrownBy(() -> MetadefFiles.load(server.app().metadefs(), bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(bad + ": A metadata tag with name=t already exists in namespace=Twice.");
    Files.writeString(bad, "{broken");
    assertThatThrownBy(() -> MetadefFiles.load(server.app().metadefs(), bad))
        .hasMessageContaining(bad + " is not JSON");
  }

  @Test
  void shippedDefinitionsLoadOnceSoAnOperatorsDeleteSticks() throws IOException {
    Path data = Files.createTempDirectory(dir, "data");
    try (TestServer first = TestServer.start(Map.of("data.dir", data.toString()))) {
      MetadefClient admin = MetadefClient.admin(first, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      assertThat(admin.delete("/v2/metadefs/namespaces/Glint::Image::Provenance").statusCode())
          .isEqualTo(204);
    }
    try (TestServer again = TestServer.start(Map.of("data.dir", data.toString()))) {
      MetadefClient admin = MetadefClient.admin(again, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      assertThat(admin.get("/v2/metadefs/namespaces/Glint::Image::Provenance").statusCode())
          .isEqualTo(404);
      assertThat(admin.get("/v2/metadefs/namespaces/Glint::Compute::ImageView").statusCode())
          .isEqualTo(200);
    } finally {
      if (TestStores.postgres()) {
        TestStores.dropSchema(TestStores.schemaFor(data));
      }
    }
  }

  @Test
  void theCommandLoadsADirectoryIntoTheConfiguredStore() throws IOException {
    assumeFalse(TestStores.postgres(), "the command's store is the data dir's SQLite file");
    Path defs = Files.createDirectories(dir.resolve("defs"));
    Files.writeString(defs.resolve("loaded.json"), DEFINITION);
    Path data = dir.resolve("data");
    int code =
        glint("metadefs", "load", "--data-dir", data.toString(), defs.toString());
    assertThat(code).isZero();
    assertThat(
            glint("metadefs", "load", "--data-dir", data.toString(), dir.resolve("none").toString()))
        .isEqualTo(2);
    try (TestServer loaded = TestServer.start(Map.of("data.dir", data.toString()))) {
      MetadefClient admin = MetadefClient.admin(loaded, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      assertThat(admin.get("/v2/metadefs/namespaces/Test::Loaded").statusCode()).isEqualTo(200);
    }
  }

  /** The command line as {@code main} builds it for these arguments (only the named subcommand). */
  static int glint(String... args) {
    return GlintCommand.commandLine(args).execute(args);
  }
}
