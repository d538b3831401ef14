package dev.glint.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.CreateImageRequest;
import dev.glint.catalog.MemberStatus;
import dev.glint.catalog.Visibility;
import dev.glint.error.ApiException;
import dev.glint.http.Json;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Request bodies of the image service, parsed and validated as Glance's deserializers do (without
 * a server): the JSON itself, {@code POST /v2/images}, and the members bodies.
 */
final class ImageRequests {
  private ImageRequests() {}

  /** The body as JSON: 400 {@code Body expected in request.} / {@code Malformed JSON ...}. */
  static JsonNode json(byte[] body) {
    if (body == null || body.length == 0) {
      throw ApiException.badRequest("Body expected in request.");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Malformed JSON in request body.");
    } catch (IOException e) {
      throw ApiException.badRequest("Malformed JSON in request body.");
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("Body expected in request.");
    }
    if (!node.isObject() && !node.isArray()) {
      throw ApiException.badRequest("Unexpected body type. Expected list/dict.");
    }
    return node;
  }

  /** {@code POST /v2/images}: property classes first (403), then the schema (400). */
  static CreateImageRequest create(JsonNode body) {
    if (!body.isObject()) {
      throw ImageSchema.invalid(ImageSchema.repr(body) + " is not of type 'object'");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      ImageSchema.checkWritable(it.next(), true);
    }
    String id = null;
    String name = null;
    Visibility visibility = null;
    Boolean isProtected = null;
    Boolean osHidden = null;
    boolean ownerGiven = false;
    String owner = null;
    String containerFormat = null;
    String diskFormat = null;
    Integer minRam = null;
    Integer minDisk = null;
    Set<String> tags = new LinkedHashSet<>();
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      String key = e.getKey();
      JsonNode v = e.getValue();
      ImageSchema.validate(key, v);
      switch (key) {
        case "id" -> id = v.textValue();
        case "name" -> name = v.textValue();
        case "visibility" -> visibility = Visibility.fromWire(v.textValue()).orElseThrow();
        case "protected" -> isProtected = v.booleanValue();
        case "os_hidden" -> osHidden = v.booleanValue();
        case "owner" -> {
          ownerGiven = true;
          owner = v.textValue();
        }
        case "container_format" -> containerFormat = v.textValue();
        case "disk_format" -> diskFormat = v.textValue();
        case "min_ram" -> minRam = nonNegative("min_ram", v);
        case "min_disk" -> minDisk = nonNegative("min_disk", v);
        case "tags" -> v.forEach(t -> tags.add(t.textValue()));
        default -> properties.put(key, v.isNull() ? "" : v.textValue());
      }
    }
    return new CreateImageRequest(
        id, name, visibility, isProtected, osHidden, ownerGiven, owner, containerFormat,
        diskFormat, minRam, minDisk, tags, properties);
  }

  /** min_ram and min_disk: integers from 0 up (the store keeps 32-bit integers). */
  static int nonNegative(String name, JsonNode v) {
    if (v.canConvertToInt() && v.intValue() >= 0) {
      return v.intValue();
    }
    String why =
        v.bigIntegerValue().signum() < 0
            ? "Cannot be a negative value"
            : "Cannot be greater than " + Integer.MAX_VALUE;
    throw ApiException.badRequest(
        "Invalid value '" + v.asText() + "' for parameter '" + name + "': " + why);
  }

  /** {@code POST /v2/images/{id}/members}: {@code {"member": "<project id>"}}. */
  static String member(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest("Expected a member in the form: {\"member\": \"image_id\"}");
    }
    JsonNode member = body.get("member");
    if (member == null) {
      throw ApiException.badRequest("Member to be added not specified");
    }
    if (!member.isTextual()) {
      throw ApiException.badRequest("Expected a member in the form: {\"member\": \"image_id\"}");
    }
    String id = member.textValue();
    if (id.isBlank()) {
      throw ApiException.badRequest("Member can't be empty");
    }
    if (id.length() > 255) {
      throw ApiException.badRequest(
          "Provided object does not match schema 'member': "
              + ImageSchema.repr(member)
              + " is too long");
    }
    return id;
  }

  /** {@code PUT /v2/images/{id}/members/{member}}: {@code {"status": "accepted"}}. */
  static MemberStatus memberStatus(JsonNode body) {
    JsonNode status = body.isObject() ? body.get("status") : null;
    if (status == null) {
      throw ApiException.badRequest("Status not specified");
    }
    return MemberStatus.fromWire(status.isTextual() ? status.textValue() : "")
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "Incorrect request: Status must be \"pending\", \"accepted\" or"
                        + " \"rejected\"."));
  }
}
