package dev.glint.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.error.PythonRepr;
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
   * Glance and Keystone give ({@link PythonRepr#of}; a missing value is {@code None}).
   */
  public static String pythonRepr(JsonNode v) {
    return PythonRepr.of(v == null || v.isMissingNode() ? null : MAPPER.convertValue(v, Object.class));
  }
}
