package dev.glint.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Nova's request-body schemas for image metadata ({@code schemas/image_metadata.py}), checked in
 * the order jsonschema 4 (Draft 4) reports the first error, with Nova's message format {@code
 * Invalid input for field/attribute <name>. Value: <str>. <message>} when the error sits below
 * the top level. On the legacy {@code /v2} root, extra top-level keys are dropped and a bad key
 * reads as "Additional properties are not allowed", as Nova's relaxed validator words it.
 */
final class MetadataSchema {
  /** Nova's {@code parameter_types.metadata} key pattern as Python's re.search reads it. */
  static final String KEY_REGEX = "^[a-zA-Z0-9-_:. ]{1,255}$";

  private static final Pattern KEY = Pattern.compile("[a-zA-Z0-9_:. -]{1,255}\n?");
  private static final int MAX_VALUE = 255;

  private MetadataSchema() {}

  /** {@code {"metadata": {...}}} of POST and PUT on the collection; the entries in body order. */
  static Map<String, String> collection(JsonNode body, boolean legacy) {
    return top(body, "metadata", false, legacy);
  }

  /** {@code {"meta": {key: value}}} of PUT on one item: exactly one entry. */
  static Map<String, String> item(JsonNode body, boolean legacy) {
    return top(body, "meta", true, legacy);
  }

  private static Map<String, String> top(
      JsonNode body, String field, boolean single, boolean legacy) {
    if (body == null || !body.isObject()) {
      throw invalid(PyRepr.repr(body) + " is not of type 'object'");
    }
    Map<String, String> entries = null;
    if (body.has(field)) {
      entries = entries(body.get(field), field, single, legacy);
    }
    if (entries == null) {
      throw invalid("'" + field + "' is a required property");
    }
    List<String> extras = new ArrayList<>();
    body.fieldNames().forEachRemaining(k -> {
      if (!k.equals(field)) {
        extras.add(k);
      }
    });
    if (!extras.isEmpty() && !legacy) {
      throw invalid("Additional properties are not allowed (" + unexpected(extras) + ")");
    }
    return entries;
  }

  private static Map<String, String> entries(
      JsonNode node, String field, boolean single, boolean legacy) {
    if (!node.isObject()) {
      throw invalidField(field, node, PyRepr.repr(node) + " is not of type 'object'");
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<String> extras = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!KEY.matcher(e.getKey()).matches()) {
        extras.add(e.getKey());
        continue;
      }
      JsonNode value = e.getValue();
      if (!value.isTextual()) {
        throw invalidField(e.getKey(), value, PyRepr.repr(value) + " is not of type 'string'");
      }
      String text = value.textValue();
      if (text.codePointCount(0, text.length()) > MAX_VALUE) {
        throw invalidField(e.getKey(), value, PyRepr.repr(value) + " is too long");
      }
      out.put(e.getKey(), text);
    }
    if (!extras.isEmpty()) {
      extras.sort(null);
      String message;
      if (legacy) {
        message = "Additional properties are not allowed (" + unexpected(extras) + ")";
      } else {
        message =
            joined(extras)
                + (extras.size() == 1 ? " does" : " do")
                + " not match any of the regexes: '"
                + KEY_REGEX
                + "'";
      }
      throw invalidField(field, node, message);
    }
    if (single && node.size() < 1) {
      throw invalidField(field, node, PyRepr.repr(node) + " does not have enough properties");
    }
    if (single && node.size() > 1) {
      throw invalidField(field, node, PyRepr.repr(node) + " has too many properties");
    }
    return out;
  }

  private static String unexpected(List<String> extras) {
    List<String> sorted = new ArrayList<>(extras);
    sorted.sort(null);
    return joined(sorted) + (sorted.size() == 1 ? " was" : " were") + " unexpected";
  }

  private static String joined(List<String> keys) {
    StringJoiner out = new StringJoiner(", ");
    keys.forEach(k -> out.add(PyRepr.string(k)));
    return out.toString();
  }

  private static ApiException invalid(String message) {
    return ApiException.badRequest(message);
  }

  private static ApiException invalidField(String name, JsonNode value, String message) {
    return ApiException.badRequest(
        "Invalid input for field/attribute "
            + name
            + ". Value: "
            + PyRepr.str(value)
            + ". "
            + message);
  }
}
