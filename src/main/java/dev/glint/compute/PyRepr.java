package dev.glint.compute;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Python's {@code repr()} and {@code str()} of a decoded JSON value. Nova's validation messages
 * quote the offending value this way ({@code Value: {'a/b': 'x'}. 1 is not of type 'string'}),
 * and clients and tests compare those texts.
 */
final class PyRepr {
  private PyRepr() {}

  /** {@code str(value)}: strings bare, everything else as {@link #repr}. */
  static String str(JsonNode value) {
    return value != null && value.isTextual() ? value.textValue() : repr(value);
  }

  static String repr(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "None";
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "True" : "False";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return floatRepr(value.doubleValue());
    }
    if (value.isTextual()) {
      return string(value.textValue());
    }
    if (value.isArray()) {
      StringJoiner out = new StringJoiner(", ", "[", "]");
      value.forEach(v -> out.add(repr(v)));
      return out.toString();
    }
    StringJoiner out = new StringJoiner(", ", "{", "}");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(string(e.getKey()) + ": " + repr(e.getValue()));
    }
    return out.toString();
  }

  /** Python quotes with ' unless the text holds a ' and no ". */
  static String string(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                  if (c == quote) {
                    out.append('\\').append((char) c);
                  } else if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", c));
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.append(quote).toString();
  }

  /** Python's float repr: {@code 1.5}, {@code 100.0}, {@code 1e+100}. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    double abs = Math.abs(d);
    if (abs == 0 || (abs >= 1e-4 && abs < 1e16)) {
      String plain = BigDecimal.valueOf(d).toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String[] parts = Double.toString(d).split("E");
    String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
    int exp = Integer.parseInt(parts[1]);
    return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
  }
}
