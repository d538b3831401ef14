package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Definition files in Glance's JSON format (what {@code /etc/glance/metadefs/*.json} holds): one
 * namespace each, with its resource type associations, properties, objects and tags.
 */
public final class MetadefFiles {
  /** Glint's own definitions, in {@code src/main/resources/metadefs/}, loaded on first start. */
  static final List<String> SHIPPED = List.of("glint-compute-view.json", "glint-provenance.json");

  private MetadefFiles() {}

  /** What loading one file did. */
  public record Outcome(Path file, String namespace, boolean loaded) {}

  /**
   * Loads every {@code *.json} file of {@code dir} (or the one file {@code dir} names), in name
   * order, skipping namespaces the store already has. A file that is not a definition stops the
   * load with its name in the message; files before it stay loaded, each in its own transaction.
   */
  public static List<Outcome> load(MetadefService service, Path dir) throws IOException {
    List<Path> files;
    if (Files.isRegularFile(dir)) {
      files = List.of(dir);
    } else {
      try (Stream<Path> s = Files.list(dir)) {
        files =
            s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                .sorted()
                .toList();
      }
    }
    List<Outcome> out = new ArrayList<>();
    for (Path file : files) {
      NamespaceDefinition d = parse(Files.readAllBytes(file), file.toString());
      try {
        out.add(new Outcome(file, d.namespace(), service.load(d)));
      } catch (ApiException e) {
        // A definition that contradicts itself (a tag or object twice): name the file.
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static NamespaceDefinition shipped(String name) {
    return parse(SchemaCheck.read("/metadefs/" + name), name);
  }

  static NamespaceDefinition parse(byte[] bytes, String source) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject() || !node.path("namespace").isTextual()
        || node.get("namespace").asText().isBlank()) {
      throw new IllegalArgumentException(
          source + " is not a metadata definition: it needs a \"namespace\" name");
    }
    String visibility = node.path("visibility").asText("private");
    if (!visibility.equals("public") && !visibility.equals("private")) {
      throw new IllegalArgumentException(
          source + ": visibility must be public or private, not " + visibility);
    }
    return MetadefRequests.definition(node);
  }
}
