package dev.glint.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import dev.glint.error.CatalogException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Glance's image locations ({@code show_multiple_locations}): where an image's data can be read.
 * An image's locations are first the Glint stores holding its data ({@link Stores#PROPERTY}), each
 * {@code {"url": <the store's URL>, "metadata": {"store": <id>}}}, then the external ones a caller
 * added (http or https URLs), kept in the reserved property {@link #PROPERTY} as a JSON array of
 * {@code {url, metadata}} (hidden from views, as the store list is). Glint only reads external
 * data; it never writes or deletes it.
 */
public final class Locations {
  /** The external locations of an image, a JSON array; Glint's alone. */
  public static final String PROPERTY = "os_glance_locations";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** glance_store's http store; file and the rest are refused as external locations (Glance). */
  private static final List<String> SCHEMES = List.of("http", "https");

  private Locations() {}

  /**
   * One location.
   *
   * @param metadata a JSON object, kept as given
   * @param validation the {@code validation_data} given with it ({@code checksum}, {@code
   *     os_hash_algo}, {@code os_hash_value}); never stored, empty when none
   * @param store the Glint store it stands for, null for an external one
   */
  public record Location(
      String url, ObjectNode metadata, Map<String, String> validation, String store) {
    public Location {
      validation = Map.copyOf(validation);
    }

    /** An external location as a caller gives it. */
    public static Location external(String url, ObjectNode metadata, Map<String, String> validation) {
      return new Location(url, metadata, validation, null);
    }
  }

  /**
   * One JSON-patch operation on {@code /locations}.
   *
   * @param op {@code add}, {@code replace} or {@code remove}
   * @param position the path's index after {@code /locations/} ({@code 3} or {@code -}), null for
   *     the whole list
   * @param value the location(s) given; one for an add to a position, empty for a remove
   */
  public record Change(String op, String position, List<Location> value) {
    public Change {
      value = List.copyOf(value);
    }
  }

  /** Every location of {@code image}: the stores holding its data, then the external ones. */
  public static List<Location> of(Image image, Stores stores) {
    List<Location> out = new ArrayList<>();
    if (hasData(image)) {
      for (String id : stores.of(image)) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode().put("store", id);
        String url = stores.find(id).map(s -> s.url(image.id())).orElse(id + "://" + image.id());
        out.add(new Location(url, meta, Map.of(), id));
      }
    }
    out.addAll(external(image));
    return out;
  }

  /** The external locations recorded on {@code image}. */
  public static List<Location> external(Image image) {
    String value = image.properties().get(PROPERTY);
    if (value == null || value.isEmpty()) {
      return List.of();
    }
    try {
      List<Location> out = new ArrayList<>();
      for (JsonNode n : MAPPER.readTree(value)) {
        out.add(Location.external(n.path("url").asText(), (ObjectNode) n.get("metadata"), Map.of()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String encode(List<Location> external) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Location l : external) {
      a.addObject().put("url", l.url()).set("metadata", l.metadata());
    }
    return a.toString();
  }

  static boolean hasData(Image image) {
    return image.size() != null
        && (image.status() == ImageStatus.ACTIVE || image.status() == ImageStatus.DEACTIVATED);
  }

  /**
   * Glance's {@code validate_external_location}: a scheme the stores know, here http or https
   * (glance_store refuses {@code file} and {@code swift+config} as external locations outright).
   */
  public static boolean schemeAllowed(String url) {
    int colon = url.indexOf(':');
    return colon > 0 && SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT));
  }

  /** glance_store's {@code check_location_metadata}: strings, objects and lists only. */
  static void checkMetadata(JsonNode value, String key) {
    if (value.isObject()) {
      value.fields().forEachRemaining(e -> checkMetadata(e.getValue(), e.getKey()));
    } else if (value.isArray()) {
      value.forEach(v -> checkMetadata(v, key));
    } else if (!value.isTextual()) {
      throw ApiException.badRequest(
          "The image metadata key " + key + " has an invalid type of "
              + pythonType(value) + ".  Only dict, list, and unicode are supported.");
    }
  }

  private static String pythonType(JsonNode v) {
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isIntegralNumber()) {
      return "int";
    }
    if (v.isNumber()) {
      return "float";
    }
    return "NoneType";
  }

  /**
   * What a set of {@code validation_data} would change on the image, with Glance's checks
   * ({@code ImagesController._validate_validation_data}): values that conflict with each other
   * or with the image's are 409; new values only while {@code queued}, an MD5 checksum of 16
   * bytes, {@code os_hash_algo} sha512 (Glance's {@code hashing_algorithm}) and a value of that
   * algorithm's size.
   */
  static Map<String, String> validationChanges(Image image, List<Location> locations) {
    Map<String, String> given = new LinkedHashMap<>();
    for (Location l : locations) {
      for (Map.Entry<String, String> e : l.validation().entrySet()) {
        String earlier = given.putIfAbsent(e.getKey(), e.getValue());
        if (earlier != null && !earlier.equals(e.getValue())) {
          throw conflict(image, "Conflicting values for " + e.getKey());
        }
      }
    }
    Map<String, String> current = new HashMap<>();
    current.put("checksum", image.checksum());
    current.put("os_hash_algo", image.osHashAlgo());
    current.put("os_hash_value", image.osHashValue());
    Map<String, String> changes = new LinkedHashMap<>();
    given.forEach(
        (k, v) -> {
          String now = current.get(k);
          if (v.equals(now)) {
            return;
          }
          if (now != null && !now.isEmpty()) {
            throw conflict(image, k + " is already set with a different value");
          }
          changes.put(k, v);
        });
    if (changes.isEmpty()) {
      return changes;
    }
    if (image.status() != ImageStatus.QUEUED) {
      throw conflict(
          image,
          "New value(s) for " + String.join(", ", changes.keySet())
              + " may only be provided when image status is 'queued'");
    }
    String checksum = changes.get("checksum");
    if (checksum != null) {
      if (!isHex(checksum)) {
        throw conflict(image, "checksum (" + checksum + ") is not a valid hexadecimal value");
      }
      if (checksum.length() != 32) {
        throw conflict(
            image,
            "checksum (" + checksum + ") is not the correct size for md5 (should be 16 bytes)");
      }
    }
    String algo = changes.get("os_hash_algo");
    if (!"sha512".equals(algo)) {
      throw conflict(image, "os_hash_algo must be sha512, not " + algo);
    }
    String hash = changes.get("os_hash_value");
    if (hash == null || !isHex(hash)) {
      throw conflict(image, "os_hash_value (" + hash + ") is not a valid hexadecimal value");
    }
    if (hash.length() != 128) {
      throw conflict(
          image,
          "os_hash_value (" + hash + ") is not the correct size for sha512 (should be 64 bytes)");
    }
    return changes;
  }

  private static boolean isHex(String s) {
    return s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static CatalogException conflict(Image image, String message) {
    return new CatalogException(Reason.CONFLICT, image.id(), message);
  }

  /**
   * Glance's {@code _get_locations_op_pos}: the index a position names in a list of {@code size},
   * or null when it names none ({@code -} is the end for an add, the last one for a remove).
   */
  static Integer position(String path, int size, boolean adding) {
    int pos = adding ? size : size - 1;
    if (!path.isEmpty() && path.chars().allMatch(Character::isDigit)) {
      try {
        pos = Integer.parseInt(path);
      } catch (NumberFormatException e) {
        return null;
      }
    } else if (!path.equals("-")) {
      return null;
    }
    if (!adding && !(0 <= pos && pos < size)) {
      return null;
    }
    return Math.min(pos, size);
  }

  /** Two lists of locations with the same URLs, in any order (a metadata-only replace). */
  static boolean sameUrls(List<Location> a, List<Location> b) {
    return a.stream().map(Location::url).sorted().toList()
        .equals(b.stream().map(Location::url).sorted().toList());
  }

  /** Python's repr of the locations, as Glance puts them in its {@code Invalid} message. */
  static String repr(List<Location> locations) {
    List<String> items = new ArrayList<>();
    for (Location l : locations) {
      items.add("{'url': '" + l.url() + "', 'metadata': " + dev.glint.error.PythonRepr.of(MAPPER.convertValue(l.metadata(), Object.class))
          + ", 'status': 'active'}");
    }
    return "[" + String.join(", ", items) + "]";
  }

  static boolean containsUrl(List<Location> locations, String url) {
    return locations.stream().anyMatch(l -> Objects.equals(l.url(), url));
  }
}
