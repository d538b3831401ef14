package dev.glint.compute;

import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Rows;
import dev.glint.error.ApiException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /images} and {@code /images/detail}, parsed and validated
 * without a server (as Nova's {@code _get_filters} and {@code get_pagination_params}). When a
 * parameter is repeated the last value counts; unknown parameters are ignored here but kept for
 * the {@code next} link.
 *
 * @param params every query parameter, last value each, sorted by name (for paging links)
 */
record ComputeListParams(ListQuery query, Map<String, String> params) {
  private static final String PROPERTY_PREFIX = "property-";
  static final int MAX_PROPERTY_FILTERS = 100;
  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

  /**
   * @param raw the query string as Javalin gives it
   * @param maxLimit the largest page served; no limit, or 0, means a page of this size
   * @param full whether the detail view will be rendered (properties are loaded)
   */
  static ComputeListParams parse(Map<String, List<String>> raw, int maxLimit, boolean full) {
    Map<String, String> params = new TreeMap<>();
    raw.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));

    int limit = maxLimit;
    if (params.containsKey("limit")) {
      BigInteger n = integer("limit", params.get("limit"));
      if (n.signum() > 0) {
        limit = n.min(BigInteger.valueOf(maxLimit)).intValue();
      }
    }
    // Validated as Nova does, then unused: Glint pages by keyset.
    for (String ignored : List.of("page_size", "offset")) {
      if (params.containsKey(ignored)) {
        integer(ignored, params.get(ignored));
      }
    }

    Set<ImageStatus> statuses = Set.of();
    if (params.containsKey("status")) {
      statuses = NovaStatus.filter(params.get("status"));
    }
    Map<String, String> properties = new HashMap<>();
    // property-<key>=<value>: equality on an extra property. Nova strips the prefix as a
    // character set (property-os_distro reaches Glance as s_distro); Glint strips the prefix.
    params.forEach(
        (k, v) -> {
          if (k.startsWith(PROPERTY_PREFIX) && k.length() > PROPERTY_PREFIX.length()) {
            properties.put(k.substring(PROPERTY_PREFIX.length()), v);
          }
        });
    if (params.containsKey("type")) {
      properties.put("image_type", params.get("type"));
    }
    if (params.containsKey("server")) {
      properties.put("instance_uuid", serverId(params.get("server")));
    }
    // Each property filter is one SQL condition; SQLite refuses an expression tree deeper than
    // 1 000, and an image has at most 128 properties, so more filters can never match.
    if (properties.size() > MAX_PROPERTY_FILTERS) {
      throw ApiException.badRequest(
          "Invalid input received: at most " + MAX_PROPERTY_FILTERS
              + " property filters are accepted in one request.");
    }
    Instant since = null;
    if (params.containsKey("changes-since")) {
      since = ChangesSince.parse(params.get("changes-since"));
    }
    String marker = params.get("marker");
    if (marker != null && marker.isEmpty()) {
      throw ApiException.badRequest("HTTP 400 Bad Request: No image found with ID " + marker);
    }
    // minRam/minDisk: "at least", the filters' evident intent (Nova passes them on as equality).
    Integer minRam = minimum("minRam", params.get("minRam"));
    Integer minDisk = minimum("minDisk", params.get("minDisk"));
    // Nova lists newest first, with a previous link on every page after the first.
    ListQuery.Builder query =
        ListQuery.builder()
            .properties(properties)
            .changesSince(since)
            .marker(marker, MarkerRule.INVISIBLE_IS_UNKNOWN)
            .limit(limit)
            .full(full)
            .previous(true);
    if (params.get("name") != null) {
      query.where(Condition.of(Field.NAME, Op.EQ, params.get("name")));
    }
    if (!statuses.isEmpty()) {
      // Asked for by status, killed images are listed too (as ERROR).
      List<Object> wanted =
          statuses.stream().map(ImageStatus::wire).sorted().<Object>map(w -> w).toList();
      query.rows(Rows.UNDELETED).where(new Condition(Field.STATUS, Op.IN, wanted));
    }
    if (minRam != null) {
      query.where(Condition.of(Field.MIN_RAM, Op.GTE, (long) minRam));
    }
    if (minDisk != null) {
      query.where(Condition.of(Field.MIN_DISK, Op.GTE, (long) minDisk));
    }
    return new ComputeListParams(query.build(), params);
  }

  /** Python's {@code int()} accepts any size; so do we, then cap. */
  private static BigInteger integer(String name, String value) {
    BigInteger n;
    try {
      n = new BigInteger(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid input received: " + name + " must be an integer");
    }
    if (n.signum() < 0) {
      throw ApiException.badRequest("Invalid input received: " + name + " must be >= 0");
    }
    return n;
  }

  private static Integer minimum(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest(
        "Invalid " + name + " value '" + value + "': expected a whole number >= 0.");
  }

  /** A server UUID, or a URL whose last path segment is one (Nova keeps what follows the last /). */
  private static String serverId(String value) {
    String id = value.substring(value.lastIndexOf('/') + 1);
    if (!UUID.matcher(id).matches()) {
      throw ApiException.badRequest(
          "Invalid server value '" + value + "': expected a server UUID or a URL ending in one.");
    }
    return id;
  }
}
