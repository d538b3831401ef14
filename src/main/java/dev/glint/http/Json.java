package dev.glint.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One shared Jackson setup. Views write with the streaming generator, in the key order OpenStack uses. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** Something that writes one JSON document. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  public static byte[] bytes(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Python's {@code repr} of a decoded JSON value, as python-jsonschema quotes it in the messages
   * Glance gives (image schemas and metadata definitions alike).
   */
  public static String pythonRepr(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    if (v.isTextual()) {
      String s = v.textValue();
      String escaped = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
      if (s.contains("'") && !s.contains("\"")) {
        return "\"" + escaped + "\"";
      }
      return "'" + escaped.replace("'", "\\'") + "'";
    }
    if (v.isArray()) {
      java.util.StringJoiner j = new java.util.StringJoiner(", ", "[", "]");
      v.forEach(e -> j.add(pythonRepr(e)));
      return j.toString();
    }
    if (v.isObject()) {
      java.util.StringJoiner j = new java.util.StringJoiner(", ", "{", "}");
      for (java.util.Map.Entry<String, JsonNode> e : v.properties()) {
        String key = pythonRepr(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
        j.add(key + ": " + pythonRepr(e.getValue()));
      }
      return j.toString();
    }
    return v.asText();
  }
}
