package dev.glint.error;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Python's {@code repr} of a decoded JSON value: OpenStack's error texts print values so
 * (python-jsonschema's messages in Glance and Keystone, Glance's {@code Invalid} locations). Here,
 * beside the errors, so the catalog can word its own without depending on the HTTP layer.
 */
public final class PythonRepr {
  private PythonRepr() {}

  /** The repr of {@code v}; JSON null and a missing value are {@code None}. */
  public static String of(JsonNode v) {
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
      v.forEach(e -> j.add(of(e)));
      return j.toString();
    }
    if (v.isObject()) {
      java.util.StringJoiner j = new java.util.StringJoiner(", ", "{", "}");
      for (java.util.Map.Entry<String, JsonNode> e : v.properties()) {
        String key = of(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
        j.add(key + ": " + of(e.getValue()));
      }
      return j.toString();
    }
    return v.asText();
  }
}
