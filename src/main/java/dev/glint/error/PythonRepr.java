package dev.glint.error;

import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Python's {@code repr} of a decoded JSON value (null, Boolean, Number, String, List, Map): OpenStack's
 * error texts print values so (python-jsonschema's messages in Glance and Keystone, Glance's
 * {@code Invalid} locations). Plain Java values, so every layer that words an error can use it.
 */
public final class PythonRepr {
  private PythonRepr() {}

  /** The repr of {@code v}; null is {@code None}. */
  public static String of(Object v) {
    if (v == null) {
      return "None";
    }
    if (v instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (v instanceof CharSequence text) {
      String s = text.toString();
      String escaped = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
      if (s.contains("'") && !s.contains("\"")) {
        return "\"" + escaped + "\"";
      }
      return "'" + escaped.replace("'", "\\'") + "'";
    }
    if (v instanceof Collection<?> items) {
      StringJoiner j = new StringJoiner(", ", "[", "]");
      items.forEach(e -> j.add(of(e)));
      return j.toString();
    }
    if (v instanceof Map<?, ?> map) {
      StringJoiner j = new StringJoiner(", ", "{", "}");
      map.forEach((k, e) -> j.add(of(String.valueOf(k)) + ": " + of(e)));
      return j.toString();
    }
    return v.toString();
  }
}
