package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Validates a request body against one of Glance's metadef schemas as Glance does (python
 * jsonschema, no format checks), with jsonschema's wording and choice (its {@code best_match}): of
 * all violations the shallowest wins, then one whose value lacks its schema's type, then the
 * first. Covers the keywords those schemas use: type, enum, properties, additionalProperties,
 * required, items, maxLength, minLength, minimum, maximum, minItems, maxItems, uniqueItems, allOf
 * and local {@code $ref}s.
 */
final class SchemaCheck {
  private final String name;
  private final JsonNode root;

  private SchemaCheck(String name, JsonNode root) {
    this.name = name;
    this.root = root;
  }

  /** The schema served at {@code /v2/schemas/metadefs/{resource}}. */
  static SchemaCheck of(String resource) {
    try {
      JsonNode schema = Json.MAPPER.readTree(MetadefSchemas.raw(resource));
      return new SchemaCheck(schema.path("name").asText(), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SchemaCheck of(String name, JsonNode schema) {
    return new SchemaCheck(name, schema);
  }

  /**
   * One failed keyword: how deep in the instance, and whether jsonschema ranks it up (its
   * {@code relevance}: the instance does not even have the type its schema names, or the schema
   * names none).
   */
  private record Violation(int depth, boolean typeMismatch, String message) {}

  /** 400 {@code Provided object does not match schema '<name>': <reason>} on a violation. */
  void validate(JsonNode instance) {
    if (!instance.isObject()) {
      // Glance's schemas say nothing of the top-level type, and a list then fails deep inside
      // Glance (a 500); every metadef body is an object, so say so.
      throw ApiException.badRequest(
          "Provided object does not match schema '" + name + "': " + repr(instance)
              + " is not of type 'object'");
    }
    List<Violation> found = new ArrayList<>();
    check(instance, root, 0, found);
    Violation best = null;
    for (Violation v : found) {
      if (best == null
          || v.depth() < best.depth()
          || (v.depth() == best.depth() && v.typeMismatch() && !best.typeMismatch())) {
        best = v;
      }
    }
    if (best != null) {
      throw ApiException.badRequest(
          "Provided object does not match schema '" + name + "': " + best.message());
    }
  }

  private void check(JsonNode value, JsonNode schema, int depth, List<Violation> out) {
    if (schema.has("$ref")) {
      check(value, resolve(schema.get("$ref").asText()), depth, out);
      return;
    }
    boolean mismatch = !schema.has("type") || !typeMatches(value, schema.get("type"));
    for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
      JsonNode arg = keyword.getValue();
      switch (keyword.getKey()) {
        case "type" -> {
          if (!typeMatches(value, arg)) {
            out.add(new Violation(depth, mismatch, repr(value) + " is not of type " + typeList(arg)));
          }
        }
        case "enum" -> {
          boolean any = false;
          for (JsonNode option : arg) {
            any |= equal(option, value);
          }
          if (!any) {
            out.add(new Violation(depth, mismatch, repr(value) + " is not one of " + repr(arg)));
          }
        }
        case "allOf" -> arg.forEach(s -> check(value, s, depth, out));
        case "maxLength" -> {
          if (value.isTextual() && length(value.textValue()) > arg.asInt()) {
            out.add(new Violation(depth, mismatch, repr(value) + " is too long"));
          }
        }
        case "minLength" -> {
          if (value.isTextual() && length(value.textValue()) < arg.asInt()) {
            out.add(new Violation(depth, mismatch, repr(value) + " is too short"));
          }
        }
        case "minimum" -> {
          if (value.isNumber() && value.decimalValue().compareTo(arg.decimalValue()) < 0) {
            out.add(
                new Violation(depth, mismatch, repr(value) + " is less than the minimum of " + repr(arg)));
          }
        }
        case "maximum" -> {
          if (value.isNumber() && value.decimalValue().compareTo(arg.decimalValue()) > 0) {
            out.add(
                new Violation(depth, mismatch, repr(value) + " is greater than the maximum of " + repr(arg)));
          }
        }
        case "minItems" -> {
          if (value.isArray() && value.size() < arg.asInt()) {
            out.add(new Violation(depth, mismatch, repr(value) + " is too short"));
          }
        }
        case "maxItems" -> {
          if (value.isArray() && value.size() > arg.asInt()) {
            out.add(new Violation(depth, mismatch, repr(value) + " is too long"));
          }
        }
        case "uniqueItems" -> {
          if (arg.asBoolean() && value.isArray() && !unique(value)) {
            out.add(new Violation(depth, mismatch, repr(value) + " has non-unique elements"));
          }
        }
        case "items" -> {
          if (value.isArray()) {
            value.forEach(item -> check(item, arg, depth + 1, out));
          }
        }
        case "properties" -> {
          if (value.isObject()) {
            for (Map.Entry<String, JsonNode> p : arg.properties()) {
              if (value.has(p.getKey())) {
                check(value.get(p.getKey()), p.getValue(), depth + 1, out);
              }
            }
          }
        }
        case "additionalProperties" -> {
          if (value.isObject()) {
            JsonNode declared = schema.path("properties");
            List<String> extra = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
              if (!declared.has(field.getKey())) {
                extra.add(field.getKey());
              }
            }
            if (arg.isBoolean() && !arg.asBoolean() && !extra.isEmpty()) {
              StringJoiner names = new StringJoiner(", ");
              extra.forEach(e -> names.add(repr(JsonNodeFactory.instance.textNode(e))));
              out.add(
                  new Violation(
                      depth,
                      mismatch,
                      "Additional properties are not allowed ("
                          + names
                          + (extra.size() == 1 ? " was" : " were")
                          + " unexpected)"));
            } else if (arg.isObject()) {
              extra.forEach(e -> check(value.get(e), arg, depth + 1, out));
            }
          }
        }
        case "required" -> {
          if (value.isObject()) {
            for (JsonNode r : arg) {
              if (!value.has(r.asText())) {
                out.add(new Violation(depth, mismatch, repr(r) + " is a required property"));
              }
            }
          }
        }
        default -> {}
      }
    }
  }

  private JsonNode resolve(String ref) {
    JsonNode node = root;
    for (String part : ref.substring(2).split("/")) {
      node = node.path(part);
    }
    return node;
  }

  private static boolean typeMatches(JsonNode value, JsonNode type) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(value, t)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber()
          || (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private static String typeList(JsonNode type) {
    if (!type.isArray()) {
      return repr(type);
    }
    StringJoiner j = new StringJoiner(", ");
    type.forEach(t -> j.add(repr(t)));
    return j.toString();
  }

  /** Python equality of JSON values (1 == 1.0, True == 1 aside). */
  private static boolean equal(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static boolean unique(JsonNode array) {
    Set<String> seen = new HashSet<>();
    for (JsonNode e : array) {
      if (!seen.add(e.isNumber() ? e.decimalValue().stripTrailingZeros().toPlainString() : e.toString())) {
        return false;
      }
    }
    return true;
  }

  private static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Python's {@code repr} of a JSON value, as jsonschema puts it in its messages. */
  static String repr(JsonNode v) {
    return Json.pythonRepr(v);
  }

  static byte[] read(String resource) {
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
