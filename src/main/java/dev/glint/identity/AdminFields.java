package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Field checks for the admin API's request bodies, with the jsonschema wording Keystone returns
 * ({@code Invalid input for field 'name': 5 is not of type 'string'}).
 */
final class AdminFields {
  private AdminFields() {}

  /** The member object ({@code {"project": {...}}}); absent reads as {@code {}}, as in Keystone. */
  static JsonNode member(JsonNode body, String key) {
    JsonNode member = body.get(key);
    if (member == null) {
      return dev.glint.http.Json.MAPPER.createObjectNode();
    }
    if (!member.isObject()) {
      throw KeystoneErrors.schema(AuthRequest.repr(member) + " is not of type 'object'");
    }
    return member;
  }

  static String requiredName(JsonNode node, int maxLength) {
    if (!node.has("name")) {
      throw KeystoneErrors.schema("'name' is a required property");
    }
    return name(node, maxLength);
  }

  /** The name if present (type- and length-checked), else null. */
  static String name(JsonNode node, int maxLength) {
    JsonNode v = node.get("name");
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid("name", AuthRequest.repr(v) + " is not of type 'string'");
    }
    if (v.textValue().isEmpty() || v.textValue().isBlank()) {
      throw invalid("name", AuthRequest.repr(v) + " is too short");
    }
    if (v.textValue().length() > maxLength) {
      throw invalid("name", AuthRequest.repr(v) + " is too long");
    }
    return v.textValue();
  }

  /** A string that may also be null; {@code absent} when the key is missing. */
  static String nullableString(JsonNode node, String field, String absent) {
    JsonNode v = node.get(field);
    if (v == null) {
      return absent;
    }
    if (v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'string', 'null'");
    }
    return v.textValue();
  }

  static String string(JsonNode node, String field, String absent) {
    JsonNode v = node.get(field);
    if (v == null) {
      return absent;
    }
    if (!v.isTextual()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'string'");
    }
    return v.textValue();
  }

  static Boolean bool(JsonNode node, String field, Boolean absent) {
    JsonNode v = node.get(field);
    if (v == null) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw invalid(field, AuthRequest.repr(v) + " is not of type 'boolean'");
    }
    return v.booleanValue();
  }

  private static RuntimeException invalid(String field, String message) {
    return KeystoneErrors.schema("Invalid input for field '" + field + "': " + message);
  }
}
