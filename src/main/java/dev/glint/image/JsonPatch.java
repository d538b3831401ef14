package dev.glint.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.catalog.Image;
import dev.glint.catalog.Locations;
import dev.glint.catalog.Visibility;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code PATCH /v2/images/{id}} bodies: Glance's JSON-patch dialects ({@code
 * application/openstack-images-v2.1-json-patch}, {@code {"op": "replace", "path": "/name"}}, and
 * the draft-4 style {@code ...v2.0-json-patch}, {@code {"replace": "/name"}}), parsed with Glance's
 * messages, then applied in order to an image. Catalog-wide rules (owner, publicizing, formats
 * after upload, quotas) are the catalog's, checked after.
 *
 * @param draft4 whether the v2.0 media type was used ({@code add} of a present attribute is 409)
 */
record JsonPatch(List<Operation> operations, boolean draft4) {
  static final String V20 = "application/openstack-images-v2.0-json-patch";
  static final String V21 = "application/openstack-images-v2.1-json-patch";
  static final String ACCEPT_PATCH = V20 + ", " + V21;
  private static final List<String> OPS = List.of("add", "remove", "replace");

  /**
   * One operation on one top-level attribute.
   *
   * @param position for {@code locations}, the index after {@code /locations/} ({@code 0}, {@code
   *     -}); null when the path names the attribute alone
   */
  record Operation(String op, String attribute, String position, JsonNode value) {
    Operation(String op, String attribute, JsonNode value) {
      this(op, attribute, null, value);
    }
  }

  /** The media type, or null when it is not one of the two patch types (415). */
  static Boolean isDraft4(String contentType) {
    if (contentType == null) {
      return null;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case V20 -> true;
      case V21 -> false;
      default -> null;
    };
  }

  static JsonPatch parse(JsonNode body, boolean draft4) {
    return parse(body, draft4, false);
  }

  /**
   * @param locations whether {@code /locations} may be changed (Glance's {@code
   *     show_multiple_locations}); if not, any such operation is 403
   */
  static JsonPatch parse(JsonNode body, boolean draft4, boolean locations) {
    if (!body.isArray()) {
      throw ApiException.badRequest("Request body must be a JSON array of operation objects.");
    }
    List<Operation> ops = new ArrayList<>();
    for (JsonNode item : body) {
      if (!item.isObject()) {
        throw ApiException.badRequest("Operations must be JSON objects.");
      }
      String op;
      JsonNode path;
      if (draft4) {
        List<String> present = OPS.stream().filter(item::has).toList();
        if (present.isEmpty()) {
          throw ApiException.badRequest(
              "Operation objects must contain exactly one member named \"add\", \"remove\", or"
                  + " \"replace\".");
        }
        if (present.size() > 1) {
          throw ApiException.badRequest(
              "Operation objects must contain only one member named \"add\", \"remove\", or"
                  + " \"replace\".");
        }
        op = present.get(0);
        path = item.get(op);
      } else {
        JsonNode o = item.get("op");
        if (o == null) {
          throw ApiException.badRequest(
              "Unable to find `op` in JSON Schema change. It must be one of the following: add,"
                  + " remove, replace.");
        }
        op = o.asText();
        if (!OPS.contains(op)) {
          throw ApiException.badRequest(
              "Invalid operation: `" + op + "`. It must be one of the following: add, remove,"
                  + " replace.");
        }
        path = item.get("path");
        if (path == null) {
          throw ApiException.badRequest("Unable to find 'path' in JSON Schema change");
        }
      }
      JsonNode value = item.get("value");
      if (!op.equals("remove") && value == null) {
        throw ApiException.badRequest("Operation \"" + op + "\" requires a member named \"value\".");
      }
      List<String> pointer = pointer(path.asText(), op, locations);
      String attribute = pointer.get(0);
      String position = pointer.size() > 1 ? pointer.get(1) : null;
      ImageSchema.checkWritable(attribute, false);
      if (!op.equals("remove")) {
        // Glance validates an element added at a position as a one-element list.
        ImageSchema.validate(
            attribute,
            position != null ? JsonNodeFactory.instance.arrayNode().add(value) : value);
      }
      ops.add(new Operation(op, attribute, position, value));
    }
    return new JsonPatch(ops, draft4);
  }

  /** Glance's {@code _decode_json_pointer} and {@code _validate_path}: one level, escapes decoded. */
  static String attribute(String pointer, String op) {
    return pointer(pointer, op, false).get(0);
  }

  /** As {@link #attribute}; {@code /locations/N} is two levels when locations may change. */
  private static List<String> pointer(String pointer, String op, boolean locations) {
    if (!pointer.startsWith("/")) {
      throw ApiException.badRequest("Pointer `" + pointer + "` does not start with \"/\".");
    }
    if (pointer.contains("//")) {
      throw ApiException.badRequest("Pointer `" + pointer + "` contains adjacent \"/\".");
    }
    if (pointer.length() > 1 && pointer.endsWith("/")) {
      throw ApiException.badRequest("Pointer `" + pointer + "` end with \"/\".");
    }
    String[] parts = pointer.substring(1).split("/", -1);
    List<String> decoded = new ArrayList<>();
    for (String part : parts) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (c == '~') {
          char next = i + 1 < part.length() ? part.charAt(i + 1) : ' ';
          if (next != '0' && next != '1') {
            throw ApiException.badRequest(
                "Pointer `" + pointer + "` contains \"~\" not part of a recognized escape"
                    + " sequence.");
          }
          b.append(next == '0' ? '~' : '/');
          i++;
        } else {
          b.append(c);
        }
      }
      decoded.add(b.toString());
    }
    if (decoded.get(0).equals("locations")) {
      if (!locations) {
        String verb = op.equals("replace") ? "update" : op;
        throw ApiException.forbidden(
            "It's not allowed to " + verb + " locations if locations are invisible.");
      }
      if (decoded.size() <= 2) {
        return decoded;
      }
    }
    if (decoded.size() != 1 || decoded.get(0).isEmpty()) {
      throw ApiException.badRequest("Invalid JSON pointer for this resource: '" + pointer + "'");
    }
    return decoded;
  }

  /** The operations on {@code /locations}, in order, as the catalog takes them. */
  List<Locations.Change> locationChanges() {
    List<Locations.Change> out = new ArrayList<>();
    for (Operation o : operations) {
      if (!o.attribute().equals("locations")) {
        continue;
      }
      List<Locations.Location> value = new ArrayList<>();
      if (o.op().equals("replace")) {
        o.value().forEach(v -> value.add(location(v)));
      } else if (o.op().equals("add")) {
        value.add(location(o.value()));
      }
      out.add(new Locations.Change(o.op(), o.position(), value));
    }
    return out;
  }

  private static Locations.Location location(JsonNode v) {
    Map<String, String> validation = new TreeMap<>();
    v.path("validation_data").fields().forEachRemaining(e -> validation.put(e.getKey(), e.getValue().asText()));
    return Locations.Location.external(
        v.get("url").asText(), (ObjectNode) v.get("metadata"), validation);
  }

  /** The image after every operation, in order. */
  Image applyTo(Image image) {
    Draft d = new Draft(image);
    for (Operation o : operations) {
      String a = o.attribute();
      if (a.equals("locations")) {
        continue; // the catalog's (locationChanges)
      }
      boolean base = ImageSchema.isBase(a);
      switch (o.op()) {
        case "remove" -> {
          if (base) {
            throw ApiException.forbidden("Property " + a + " may not be removed.");
          }
          if (d.properties.remove(a) == null) {
            throw conflict("Property " + a + " does not exist.");
          }
        }
        case "replace" -> {
          if (base) {
            d.set(a, o.value());
          } else if (d.properties.containsKey(a)) {
            d.properties.put(a, text(o.value()));
          } else {
            throw conflict("Property " + a + " does not exist.");
          }
        }
        default -> { // add
          if (draft4 && (base ? d.isSet(a) : d.properties.containsKey(a))) {
            throw conflict("Property " + a + " already present.");
          }
          if (base) {
            d.set(a, o.value());
          } else {
            d.properties.put(a, text(o.value()));
          }
        }
      }
    }
    return d.toImage();
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? "" : v.textValue();
  }

  private static ApiException conflict(String message) {
    return new ApiException(ErrorCode.CONFLICT, message);
  }

  /** The writable part of an image while a patch is applied. */
  private static final class Draft {
    private final Image from;
    String name;
    Visibility visibility;
    boolean isProtected;
    boolean osHidden;
    String owner;
    String containerFormat;
    String diskFormat;
    int minRam;
    int minDisk;
    Set<String> tags;
    final Map<String, String> properties;

    Draft(Image i) {
      from = i;
      name = i.name();
      visibility = i.visibility();
      isProtected = i.isProtected();
      osHidden = i.osHidden();
      owner = i.owner();
      containerFormat = i.containerFormat();
      diskFormat = i.diskFormat();
      minRam = i.minRam();
      minDisk = i.minDisk();
      tags = new LinkedHashSet<>(i.tags());
      properties = new TreeMap<>(i.properties());
    }

    boolean isSet(String attribute) {
      return switch (attribute) {
        case "name" -> name != null;
        case "owner" -> owner != null;
        case "container_format" -> containerFormat != null;
        case "disk_format" -> diskFormat != null;
        default -> true;
      };
    }

    void set(String attribute, JsonNode v) {
      switch (attribute) {
        case "name" -> name = v.textValue();
        case "visibility" -> visibility = Visibility.fromWire(v.textValue()).orElseThrow();
        case "protected" -> isProtected = v.booleanValue();
        case "os_hidden" -> osHidden = v.booleanValue();
        case "owner" -> owner = v.textValue();
        case "container_format" -> containerFormat = v.textValue();
        case "disk_format" -> diskFormat = v.textValue();
        case "min_ram" -> minRam = ImageRequests.nonNegative("min_ram", v);
        case "min_disk" -> minDisk = ImageRequests.nonNegative("min_disk", v);
        case "tags" -> {
          tags = new LinkedHashSet<>();
          v.forEach(t -> tags.add(t.textValue()));
        }
        default -> throw ApiException.forbidden("Attribute '" + attribute + "' is read-only.");
      }
    }

    Image toImage() {
      return new Image(
          from.id(), owner, name, from.status(), visibility, isProtected, osHidden, minDisk,
          minRam, from.size(), from.virtualSize(), diskFormat, containerFormat, from.checksum(),
          from.osHashAlgo(), from.osHashValue(), from.createdAt(), from.updatedAt(),
          from.deletedAt(), properties, tags);
    }
  }
}
