package dev.glint.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of one listener's API, kept as YAML in
 * {@code src/main/resources/openapi/<listener>.yaml} and served as JSON with the listener's public
 * URL as its server. Open to all (no token), like the version documents.
 */
public final class OpenApiEndpoint {
  public static final String PATH = "/openapi.json";

  private final String listener;
  private final String publicUrl;
  private volatile byte[] body;

  /**
   * Reads {@code openapi/<listener>.yaml} once, on the first request for it: parsing the three
   * documents took about a quarter of building the listeners, on the start path of every
   * {@code serve}. {@code listener} is identity, image or compute.
   */
  public OpenApiEndpoint(String listener, String publicUrl) {
    this.listener = listener;
    this.publicUrl = publicUrl;
  }

  public void routes(RoutesConfig routes) {
    routes.get(PATH, ctx -> Responses.json(ctx, 200, body()));
  }

  private byte[] body() {
    byte[] b = body;
    if (b == null) {
      synchronized (this) {
        b = body;
        if (b == null) {
          b = Json.bytes(document(listener, publicUrl));
          body = b;
        }
      }
    }
    return b;
  }

  /**
   * The description as stored, with its YAML anchors expanded (and the {@code x-anchors} holding
   * them dropped) and {@code servers} set to the listener's public URL when one is given.
   */
  public static JsonNode document(String listener, String publicUrl) {
    String resource = "/openapi/" + listener + ".yaml";
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      // SnakeYAML (Jackson's YAML parser underneath) rather than Jackson's tree reader: the
      // documents share operations through YAML anchors, which only SnakeYAML expands.
      LoaderOptions options = new LoaderOptions();
      options.setMaxAliasesForCollections(2_000);
      Object yaml = new Yaml(options).load(in);
      ObjectNode doc = Json.MAPPER.valueToTree(yaml);
      doc.remove("x-anchors");
      if (doc.path("components") instanceof ObjectNode components) {
        components.remove("x-anchors");
      }
      if (publicUrl != null) {
        doc.putArray("servers").addObject().put("url", publicUrl);
      }
      return doc;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
