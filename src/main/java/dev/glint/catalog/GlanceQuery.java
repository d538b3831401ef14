package dev.glint.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An image service (Glance v2) list: filters on base attributes, extra properties and tags, the
 * visibility scope asked for, a sort of allow-listed keys, and a keyset page.
 *
 * @param conditions conditions on base attributes, all of which must hold
 * @param properties extra properties that must equal the given values
 * @param tags tags the image must all carry
 * @param visibility which visibility scope to list (§5.3 of the spec)
 * @param memberStatus membership status that makes a shared image listed, or null for any
 * @param osHidden list only images whose {@code os_hidden} equals this
 * @param sort sort keys in order, tie-breakers ({@code created_at}, {@code id}) included
 * @param marker id of the last image of the previous page, or null
 * @param limit page size, 0 or more
 */
public record GlanceQuery(
    List<Condition> conditions,
    Map<String, String> properties,
    Set<String> tags,
    ListVisibility visibility,
    MemberStatus memberStatus,
    boolean osHidden,
    List<Sort> sort,
    String marker,
    int limit) {

  public GlanceQuery {
    conditions = List.copyOf(conditions);
    properties = Map.copyOf(properties);
    tags = Set.copyOf(tags);
    sort = List.copyOf(sort);
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, got " + limit);
    }
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

  /** The keys Glance allows to sort on ({@code InvalidSortKey} otherwise). */
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
}
