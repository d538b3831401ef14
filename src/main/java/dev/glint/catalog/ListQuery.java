package dev.glint.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a list asks for, whichever API it came through (compute's {@code ComputeListParams} and
 * image's {@code GlanceListParams} both produce one): which rows, conditions on them, a sort, a
 * marker and a page size. The store turns it into SQL in one place ({@code store.ListSql}).
 *
 * @param conditions conditions on base attributes, all of which must hold
 * @param properties extra properties that must equal the given values
 * @param tags tags the image must all carry
 * @param visibility which visibility scope to list (§5.3 of the image spec)
 * @param memberStatus membership status that makes a shared image listed, or null for any
 * @param osHidden list only images whose {@code os_hidden} equals this
 * @param rows which rows the conditions apply to (see {@link Rows})
 * @param changesSince only images whose {@code updated_at} is at or after this instant, or null;
 *     when set, recently deleted images are listed too (see {@code CatalogService})
 * @param sort sort keys in order, {@code id} among them so that the order is total
 * @param marker id of the last image of the previous page, or null for the first page
 * @param markerRule how a marker the caller cannot see is refused (the APIs differ)
 * @param limit page size, 0 or more
 * @param full load properties and tags (summaries skip them)
 * @param previous also find the marker of the page before this one (for a {@code previous} link)
 */
public record ListQuery(
    List<Condition> conditions,
    Map<String, String> properties,
    Set<String> tags,
    ListVisibility visibility,
    MemberStatus memberStatus,
    boolean osHidden,
    Rows rows,
    Instant changesSince,
    List<Sort> sort,
    String marker,
    MarkerRule markerRule,
    int limit,
    boolean full,
    boolean previous) {

  /** Nova's list order: newest first. */
  public static final List<Sort> NEWEST_FIRST =
      List.of(new Sort(SortKey.CREATED_AT, false), new Sort(SortKey.ID, false));

  public ListQuery {
    conditions = List.copyOf(conditions);
    properties = Map.copyOf(properties);
    tags = Set.copyOf(tags);
    sort = List.copyOf(sort);
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
    if (sort.stream().noneMatch(s -> s.key() == SortKey.ID)) {
      throw new IllegalArgumentException("a sort must include id (a total order), got " + sort);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first condition on {@code field}, or null. */
  public Condition condition(Field field) {
    return conditions.stream().filter(c -> c.field() == field).findFirst().orElse(null);
  }

  /** Which rows a list considers before its conditions. */
  public enum Rows {
    /** What a plain list shows: not deleted, and not killed, deleted or pending_delete. */
    LIVE,
    /** Every status that is not deleted (a status filter may then ask for killed images). */
    UNDELETED
  }

  /** How a marker naming an image the caller cannot see (or a deleted one) is refused. */
  public enum MarkerRule {
    /**
     * Nova: an invisible marker is unknown (400 through the compute API); a deleted one still
     * marks its place (changes-since pages run through deleted images).
     */
    INVISIBLE_IS_UNKNOWN,
    /** Glance: unknown, or deleted for a non-admin, is a 400; one the caller cannot see a 403. */
    INVISIBLE_IS_FORBIDDEN
  }

  /** Base attributes a condition may test. */
  public enum Field {
    ID, NAME, STATUS, CONTAINER_FORMAT, DISK_FORMAT, OWNER, CHECKSUM, OS_HASH_VALUE, MIN_RAM,
    MIN_DISK, SIZE, VIRTUAL_SIZE, PROTECTED, CREATED_AT, UPDATED_AT
  }

  /** Comparison operators; {@code IN} takes several values, the others one. */
  public enum Op {
    EQ, NEQ, GT, GTE, LT, LTE, IN
  }

  /**
   * One condition. Values are {@code String} for text fields, {@code Long} for numbers, {@code
   * Boolean} for {@code protected}, {@code Instant} for times (compared at the second the API
   * shows).
   */
  public record Condition(Field field, Op op, List<Object> values) {
    public Condition {
      values = List.copyOf(values);
    }

    public static Condition of(Field field, Op op, Object value) {
      return new Condition(field, op, List.of(value));
    }
  }

  /** The keys a list may sort on (Glance's allow-list; {@code InvalidSortKey} otherwise). */
  public enum SortKey {
    NAME, STATUS, CONTAINER_FORMAT, DISK_FORMAT, SIZE, ID, CREATED_AT, UPDATED_AT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Sort(SortKey key, boolean ascending) {}

  /** The {@code visibility} list parameter: absent (DEFAULT), {@code all}, or one visibility. */
  public enum ListVisibility {
    DEFAULT, ALL, PUBLIC, PRIVATE, SHARED, COMMUNITY
  }

  /**
   * Builds a query. Defaults: no conditions, properties or tags; {@code DEFAULT} visibility;
   * accepted memberships; {@code os_hidden} false; {@link Rows#LIVE}; {@link #NEWEST_FIRST}; no
   * marker ({@link MarkerRule#INVISIBLE_IS_UNKNOWN}); limit 25; full; no previous marker.
   */
  public static final class Builder {
    private final List<Condition> conditions = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private ListVisibility visibility = ListVisibility.DEFAULT;
    private MemberStatus memberStatus = MemberStatus.ACCEPTED;
    private boolean osHidden;
    private Rows rows = Rows.LIVE;
    private Instant changesSince;
    private List<Sort> sort = NEWEST_FIRST;
    private String marker;
    private MarkerRule markerRule = MarkerRule.INVISIBLE_IS_UNKNOWN;
    private int limit = 25;
    private boolean full = true;
    private boolean previous;

    private Builder() {}

    public Builder where(Condition condition) {
      conditions.add(condition);
      return this;
    }

    public Builder property(String name, String value) {
      properties.put(name, value);
      return this;
    }

    public Builder properties(Map<String, String> values) {
      properties.putAll(values);
      return this;
    }

    public Builder tags(Set<String> values) {
      tags.addAll(values);
      return this;
    }

    public Builder visibility(ListVisibility value) {
      visibility = value;
      return this;
    }

    public Builder memberStatus(MemberStatus value) {
      memberStatus = value;
      return this;
    }

    public Builder osHidden(boolean value) {
      osHidden = value;
      return this;
    }

    public Builder rows(Rows value) {
      rows = value;
      return this;
    }

    public Builder changesSince(Instant value) {
      changesSince = value;
      return this;
    }

    public Builder sort(List<Sort> value) {
      sort = value;
      return this;
    }

    public Builder marker(String value, MarkerRule rule) {
      marker = value;
      markerRule = rule;
      return this;
    }

    public Builder limit(int value) {
      limit = value;
      return this;
    }

    public Builder full(boolean value) {
      full = value;
      return this;
    }

    public Builder previous(boolean value) {
      previous = value;
      return this;
    }

    public ListQuery build() {
      return new ListQuery(
          conditions, properties, tags, visibility, memberStatus, osHidden, rows, changesSince,
          sort, marker, markerRule, limit, full, previous);
    }
  }
}
