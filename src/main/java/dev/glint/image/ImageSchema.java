package dev.glint.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The JSON schemas Glance serves ({@code /v2/schemas/image} etc., shipped as resources, byte for
 * byte as Glance sends them) and the property rules of the image schema: which attributes are
 * read-only or reserved, and value validation for the subset of JSON Schema the image schema uses
 * (type, enum, maxLength, pattern, items), with jsonschema's error wording.
 */
final class ImageSchema {
  static final String IMAGE = "image";

  /** Read-only on create and update (§3.2); {@code id} only on update. */
  static final Set<String> READ_ONLY =
      Set.of(
          "created_at", "updated_at", "status", "checksum", "size", "virtual_size", "direct_url",
          "self", "file", "schema", "stores", "os_hash_algo", "os_hash_value");

  static final Set<String> RESERVED = Set.of("location", "deleted", "deleted_at");
  static final String RESERVED_NAMESPACE = "os_glance";

  /** Base attributes; everything else is an extra property. */
  static final Set<String> BASE =
      Set.of(
          "id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
          "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "container_format",
          "disk_format", "created_at", "updated_at", "tags", "direct_url", "min_ram", "min_disk",
          "self", "file", "stores", "schema", "locations");

  private static final Map<String, byte[]> RAW = new ConcurrentHashMap<>();
  private static final JsonNode IMAGE_SCHEMA = parse(raw(IMAGE));

  private ImageSchema() {}

  /** The schema document as served. */
  static byte[] raw(String name) {
    return RAW.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = ImageSchema.class.getResourceAsStream("/schemas/" + n + ".json")) {
            if (in == null) {
              throw new IllegalStateException("missing schema resource " + n);
            }
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isReserved(String name) {
    return RESERVED.contains(name) || name.startsWith(RESERVED_NAMESPACE);
  }

  static boolean isBase(String name) {
    return BASE.contains(name);
  }

  /** 403 for read-only and reserved attributes, as Glance's deserializer checks them. */
  static void checkWritable(String name, boolean creating) {
    if (creating ? READ_ONLY.contains(name) : READ_ONLY.contains(name) || name.equals("id")) {
      throw ApiException.forbidden("Attribute '" + name + "' is read-only.");
    }
    if (isReserved(name) || (creating && name.equals("locations"))) {
      throw ApiException.forbidden("Attribute '" + name + "' is reserved.");
    }
    if (!isBase(name) && name.length() > 255) {
      throw ApiException.badRequest("Custom property should not be greater than 255 characters.");
    }
  }

  /** Validates one attribute's value against the image schema (custom ones: strings). */
  static void validate(String name, JsonNode value) {
    JsonNode schema = IMAGE_SCHEMA.path("properties").get(name);
    if (schema == null) {
      schema = IMAGE_SCHEMA.path("additionalProperties");
    }
    String error = check(schema, value == null ? JsonNodeFactory.instance.nullNode() : value);
    if (error != null) {
      throw invalid(error);
    }
  }

  static ApiException invalid(String reason) {
    return ApiException.badRequest("Provided object does not match schema 'image': " + reason);
  }

  /** The first violation of {@code schema} by {@code value} in jsonschema's words, or null. */
  static String check(JsonNode schema, JsonNode value) {
    JsonNode type = schema.get("type");
    if (type != null && !typeMatches(type, value)) {
      StringJoiner types = new StringJoiner(", ");
      if (type.isArray()) {
        type.forEach(t -> types.add(repr(t)));
      } else {
        types.add(repr(type));
      }
      return repr(value) + " is not of type " + types;
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null) {
      boolean found = false;
      for (JsonNode e : allowed) {
        found |= e.equals(value);
      }
      if (!found) {
        return repr(value) + " is not one of " + repr(allowed);
      }
    }
    if (value.isTextual()) {
      String s = value.textValue();
      JsonNode max = schema.get("maxLength");
      if (max != null && s.codePointCount(0, s.length()) > max.asInt()) {
        return repr(value) + " is too long";
      }
      JsonNode min = schema.get("minLength");
      if (min != null && s.codePointCount(0, s.length()) < min.asInt()) {
        return repr(value) + " is too short";
      }
      JsonNode pattern = schema.get("pattern");
      if (pattern != null && !Pattern.compile(pattern.asText()).matcher(s).find()) {
        return repr(value) + " does not match " + repr(pattern);
      }
    }
    if (value.isObject()) {
      String error = checkObject(schema, value);
      if (error != null) {
        return error;
      }
    }
    JsonNode items = schema.get("items");
    if (items != null && value.isArray()) {
      for (JsonNode item : value) {
        String error = check(items, item);
        if (error != null) {
          return error;
        }
      }
    }
    return null;
  }

  /** {@code required}, {@code properties} and {@code additionalProperties: false}, as jsonschema. */
  private static String checkObject(JsonNode schema, JsonNode value) {
    JsonNode props = schema.path("properties");
    for (JsonNode r : schema.path("required")) {
      if (!value.has(r.asText())) {
        return repr(r) + " is a required property";
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
      List<String> extra = new java.util.ArrayList<>();
      value.fieldNames().forEachRemaining(
          k -> {
            if (!props.has(k)) {
              extra.add(repr(JsonNodeFactory.instance.textNode(k)));
            }
          });
      if (!extra.isEmpty()) {
        return "Additional properties are not allowed (" + String.join(", ", extra)
            + (extra.size() == 1 ? " was" : " were") + " unexpected)";
      }
    }
    var fields = value.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      JsonNode sub = props.get(e.getKey());
      if (sub != null) {
        String error = check(sub, e.getValue());
        if (error != null) {
          return error;
        }
      }
    }
    return null;
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      default -> true;
    };
  }

  /** Python's {@code repr} of a JSON value, as jsonschema puts it in its messages. */
  static String repr(JsonNode v) {
    return Json.pythonRepr(v);
  }
}
