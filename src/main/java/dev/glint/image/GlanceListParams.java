package dev.glint.image;

import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.ListVisibility;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import dev.glint.catalog.MemberStatus;
import dev.glint.error.ApiException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query string of {@code GET /v2/images}, parsed and validated as Glance's {@code
 * RequestDeserializer.index} and {@code _make_conditions_from_filters} do: reserved names ({@code
 * limit, marker, member_status, tag, sort, sort_key, sort_dir}), typed filters on base attributes,
 * and every other name as an extra-property equality filter.
 *
 * @param params every parameter, in request order, last value each (for the first/next links)
 */
record GlanceListParams(ListQuery query, Map<String, String> params) {
  static final int DEFAULT_LIMIT = 25;
  private static final String SORT_KEYS =
      "name, status, container_format, disk_format, size, id, created_at, updated_at";
  private static final Map<String, Field> TEXT_IN_FIELDS =
      Map.of(
          "id", Field.ID,
          "name", Field.NAME,
          "status", Field.STATUS,
          "container_format", Field.CONTAINER_FORMAT,
          "disk_format", Field.DISK_FORMAT);
  private static final Map<String, Field> TEXT_FIELDS =
      Map.of("owner", Field.OWNER, "checksum", Field.CHECKSUM, "os_hash_value", Field.OS_HASH_VALUE);
  private static final Map<String, Field> NUMBER_FIELDS =
      Map.of(
          "size", Field.SIZE,
          "virtual_size", Field.VIRTUAL_SIZE,
          "min_ram", Field.MIN_RAM,
          "min_disk", Field.MIN_DISK);

  /**
   * @param rawQuery the undecoded query string, or null
   * @param maxLimit the largest page served ({@code api_limit_max})
   */
  static GlanceListParams parse(String rawQuery, int maxLimit) {
    List<String[]> pairs = pairs(rawQuery);
    Map<String, String> last = new LinkedHashMap<>();
    for (String[] p : pairs) {
      last.remove(p[0]); // python's dict(params) keeps the first position; urlencode follows it
      last.put(p[0], p[1]);
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String[] p : pairs) {
      ordered.putIfAbsent(p[0], last.get(p[0]));
    }

    int limit = limit(last.get("limit"), maxLimit);
    String marker = last.get("marker");
    if (marker != null && marker.isEmpty()) {
      marker = null;
    }
    MemberStatus memberStatus = MemberStatus.ACCEPTED;
    if (last.containsKey("member_status")) {
      String v = last.get("member_status");
      memberStatus =
          v.equals("all")
              ? null
              : MemberStatus.fromWire(v)
                  .orElseThrow(() -> ApiException.badRequest("Invalid status: " + v));
    }
    Set<String> tags = new LinkedHashSet<>();
    List<String> sortKeys = new ArrayList<>();
    List<String> sortDirs = new ArrayList<>();
    for (String[] p : pairs) {
      switch (p[0]) {
        case "tag" -> tags.add(p[1]);
        case "sort_key" -> sortKeys.add(p[1].strip());
        case "sort_dir" -> sortDirs.add(p[1].strip());
        default -> {}
      }
    }
    List<Sort> sort = sort(last.get("sort"), sortKeys, sortDirs);

    List<Condition> conditions = new ArrayList<>();
    Map<String, String> properties = new LinkedHashMap<>();
    ListVisibility visibility = ListVisibility.DEFAULT;
    boolean osHidden = false;
    for (Map.Entry<String, String> e : last.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      switch (name) {
        case "limit", "marker", "member_status", "tag", "sort", "sort_key", "sort_dir" -> {}
        case "changes-since" ->
            throw ApiException.badRequest(
                "The \"changes-since\" filter is no longer available on v2.");
        case "visibility" -> visibility = visibility(value);
        case "protected" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw ApiException.badRequest(
                "Invalid value '" + value + "' for 'protected' filter."
                    + " Valid values are 'true' or 'false'.");
          }
          conditions.add(Condition.of(Field.PROTECTED, Op.EQ, Boolean.parseBoolean(value)));
        }
        case "os_hidden" -> {
          String v = value.toLowerCase(Locale.ROOT);
          if (!v.equals("true") && !v.equals("false")) {
            throw ApiException.badRequest(
                "Invalid value '" + value + "' for 'os_hidden' filter."
                    + " Valid values are 'true' or 'false'.");
          }
          osHidden = Boolean.parseBoolean(v);
        }
        case "created_at", "updated_at" -> conditions.add(time(name, value));
        default -> {
          if (TEXT_IN_FIELDS.containsKey(name)) {
            conditions.add(textIn(TEXT_IN_FIELDS.get(name), value));
          } else if (TEXT_FIELDS.containsKey(name)) {
            conditions.add(Condition.of(TEXT_FIELDS.get(name), Op.EQ, value));
          } else if (NUMBER_FIELDS.containsKey(name)) {
            conditions.add(Condition.of(NUMBER_FIELDS.get(name), Op.EQ, number(value)));
          } else if (isRange(name)) {
            Field field = NUMBER_FIELDS.get(name.substring(0, name.length() - 4));
            Op op = name.endsWith("_min") ? Op.GTE : Op.LTE;
            conditions.add(Condition.of(field, op, number(value)));
          } else {
            properties.put(name, value);
          }
        }
      }
    }
    checkFilterCount(conditions.size() + properties.size() + tags.size());
    ListQuery.Builder query =
        ListQuery.builder()
            .properties(properties)
            .tags(tags)
            .visibility(visibility)
            .memberStatus(memberStatus)
            .osHidden(osHidden)
            .sort(sort)
            .marker(marker, MarkerRule.INVISIBLE_IS_FORBIDDEN)
            .limit(limit);
    conditions.forEach(query::where);
    return new GlanceListParams(query.build(), ordered);
  }

  /**
   * Most filters one list accepts. Each becomes a condition in one SQL statement, and SQLite
   * refuses an expression tree deeper than 1 000 (a 500 before); an image has at most 128
   * properties and 128 tags, so a query asking for more can never match anything anyway.
   */
  static final int MAX_FILTERS = 100;

  /** Most values in one {@code in:} list (each is a bound parameter). */
  static final int MAX_IN_VALUES = 500;

  static void checkFilterCount(int filters) {
    if (filters > MAX_FILTERS) {
      throw ApiException.badRequest(
          "Too many filters: at most " + MAX_FILTERS + " filters are accepted in one request.");
    }
  }

  private static boolean isRange(String name) {
    return (name.endsWith("_min") || name.endsWith("_max"))
        && NUMBER_FIELDS.containsKey(name.substring(0, name.length() - 4));
  }

  static int limit(String value, int maxLimit) {
    if (value == null) {
      return Math.min(DEFAULT_LIMIT, maxLimit);
    }
    BigInteger n;
    try {
      n = new BigInteger(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit param must be an integer");
    }
    if (n.signum() < 0) {
      throw ApiException.badRequest("limit param must be positive");
    }
    return n.min(BigInteger.valueOf(maxLimit)).intValue();
  }

  private static ListVisibility visibility(String value) {
    return switch (value) {
      case "public" -> ListVisibility.PUBLIC;
      case "private" -> ListVisibility.PRIVATE;
      case "shared" -> ListVisibility.SHARED;
      case "community" -> ListVisibility.COMMUNITY;
      case "all" -> ListVisibility.ALL;
      default -> throw ApiException.badRequest("Invalid visibility value: " + value);
    };
  }

  /** Old ({@code sort_key}/{@code sort_dir}) or new ({@code sort=k:dir,...}) syntax, never both. */
  static List<Sort> sort(String newSyntax, List<String> keys, List<String> dirs) {
    List<SortKey> sortKeys = new ArrayList<>();
    List<Boolean> ascending = new ArrayList<>();
    if (newSyntax != null) {
      if (!keys.isEmpty() || !dirs.isEmpty()) {
        throw ApiException.badRequest("Old and new sorting syntax cannot be combined");
      }
      for (String part : newSyntax.split(",", -1)) {
        String[] kd = part.strip().split(":", 2);
        sortKeys.add(sortKey(kd[0].strip()));
        ascending.add(kd.length > 1 ? sortDir(kd[1].strip()) : false);
      }
    } else {
      for (String k : keys) {
        sortKeys.add(sortKey(k));
      }
      for (String d : dirs) {
        ascending.add(sortDir(d));
      }
      if (ascending.size() > 1 && ascending.size() != sortKeys.size()) {
        throw ApiException.badRequest(
            "Number of sort dirs does not match the number of sort keys");
      }
      if (sortKeys.isEmpty()) {
        sortKeys.add(SortKey.CREATED_AT);
      }
      if (ascending.isEmpty()) {
        ascending.add(false);
      }
    }
    // Glance: one direction applies to every key and to the tie-breakers; else they go desc.
    boolean fallback = ascending.size() == 1 ? ascending.get(0) : false;
    while (ascending.size() < sortKeys.size()) {
      ascending.add(fallback);
    }
    List<Sort> sort = new ArrayList<>();
    Set<SortKey> seen = new LinkedHashSet<>();
    for (int i = 0; i < sortKeys.size(); i++) {
      if (seen.add(sortKeys.get(i))) {
        sort.add(new Sort(sortKeys.get(i), ascending.get(i)));
      }
    }
    for (SortKey tie : List.of(SortKey.CREATED_AT, SortKey.ID)) {
      if (seen.add(tie)) {
        sort.add(new Sort(tie, fallback));
      }
    }
    return sort;
  }

  private static SortKey sortKey(String key) {
    for (SortKey k : SortKey.values()) {
      if (k.wire().equals(key)) {
        return k;
      }
    }
    throw ApiException.badRequest(
        "Invalid sort key: " + key + ". It must be one of the following: " + SORT_KEYS + ".");
  }

  private static boolean sortDir(String dir) {
    return switch (dir) {
      case "asc" -> true;
      case "desc" -> false;
      default -> throw ApiException.badRequest("Invalid sort direction: " + dir);
    };
  }

  /** {@code v}, or {@code in:v1,"v,2"}; another {@code op:} prefix is refused. */
  static Condition textIn(Field field, String value) {
    String[] opValue = splitOp(value);
    if (opValue[0] == null) {
      return Condition.of(field, Op.EQ, value);
    }
    if (!opValue[0].equals("in")) {
      throw ApiException.badRequest("Unable to filter by unknown operator '" + opValue[0] + "'.");
    }
    List<String> values = splitQuoted(opValue[1]);
    if (values.size() > MAX_IN_VALUES) {
      throw ApiException.badRequest(
          "Too many values in an 'in' filter: at most " + MAX_IN_VALUES + " are accepted.");
    }
    return new Condition(field, Op.IN, new ArrayList<Object>(values));
  }

  /**
   * Glance's {@code split_filter_op}: a value with a colon is {@code op:threshold}, unless the whole
   * value is an ISO 8601 time. Returns {null, value} when there is no operator.
   */
  static String[] splitOp(String value) {
    int colon = value.indexOf(':');
    if (colon < 0 || parseTime(value) != null) {
      return new String[] {null, value};
    }
    return new String[] {value.substring(0, colon), value.substring(colon + 1)};
  }

  /** Glance's {@code split_filter_value_for_quotes}: commas separate, double quotes protect. */
  static List<String> splitQuoted(String value) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i <= n) {
      if (i < n && value.charAt(i) == '"') {
        int close = value.indexOf('"', i + 1);
        if (close < 0) {
          throw badQuote(value, "The quote is not closed.");
        }
        out.add(value.substring(i + 1, close));
        i = close + 1;
        if (i < n && value.charAt(i) != ',') {
          throw badQuote(value, "There is no comma after closing quotation mark.");
        }
        i++;
      } else {
        int comma = value.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        String piece = value.substring(i, end);
        if (piece.indexOf('"') >= 0) {
          throw badQuote(value, "There is no comma before opening quotation mark.");
        }
        out.add(piece);
        i = end + 1;
      }
    }
    return out;
  }

  private static ApiException badQuote(String value, String why) {
    return ApiException.badRequest("Invalid filter value " + value + ". " + why);
  }

  private static Long number(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Unable to filter on a range with a non-numeric value.");
    }
  }

  static Condition time(String name, String value) {
    String[] opValue = splitOp(value);
    String op = opValue[0] == null ? "eq" : opValue[0];
    Instant t = parseTime(opValue[1]);
    if (t == null) {
      throw ApiException.badRequest(
          "Bad \"" + name + "\" query filter format. Use ISO 8601 DateTime notation.");
    }
    Op parsed =
        switch (op) {
          case "gt" -> Op.GT;
          case "gte" -> Op.GTE;
          case "lt" -> Op.LT;
          case "lte" -> Op.LTE;
          case "eq" -> Op.EQ;
          case "neq" -> Op.NEQ;
          default -> throw ApiException.badRequest("Unable to filter on a unknown operator.");
        };
    return Condition.of(name.equals("created_at") ? Field.CREATED_AT : Field.UPDATED_AT, parsed, t);
  }

  private static final DateTimeFormatter ISO =
      new java.time.format.DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .optionalStart()
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  /** An ISO 8601 date or date-time (UTC when no offset is given), or null. */
  static Instant parseTime(String value) {
    try {
      TemporalAccessor t = ISO.parse(value.strip());
      ZoneOffset offset =
          t.isSupported(ChronoField.OFFSET_SECONDS)
              ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS))
              : ZoneOffset.UTC;
      java.time.LocalDate date = java.time.LocalDate.from(t);
      java.time.LocalTime time =
          t.isSupported(ChronoField.HOUR_OF_DAY)
              ? java.time.LocalTime.from(t)
              : java.time.LocalTime.MIDNIGHT;
      // Python's datetime (Glance) knows years 1 to 9999; beyond, the instant would also
      // overflow the microseconds the store compares.
      if (date.getYear() < 1 || date.getYear() > 9999) {
        return null;
      }
      return OffsetDateTime.of(date, time, offset).toInstant();
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  /** The query string split into decoded name/value pairs, in order. */
  static List<String[]> pairs(String rawQuery) {
    List<String[]> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      try {
        out.add(
            new String[] {
              URLDecoder.decode(k, StandardCharsets.UTF_8),
              URLDecoder.decode(v, StandardCharsets.UTF_8)
            });
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Malformed query string.");
      }
    }
    return out;
  }
}
