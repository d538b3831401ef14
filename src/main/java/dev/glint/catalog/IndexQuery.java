package dev.glint.catalog;

import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.ListVisibility;
import dev.glint.catalog.ListQuery.Op;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link ListQuery} answered from an {@link IndexSnapshot}, with exactly the rows, order and
 * paging of {@code store.ListSql} (the randomized {@code ImageIndexEquivalenceTest} holds the two
 * equal). {@link #run} returns null for the few queries it leaves to the store: conditions on
 * checksums and on properties other than {@code image_type} and {@code instance_uuid}, whose
 * values the index does not keep, and value types SQL would coerce.
 *
 * <p>A page walks candidate arrays in list order from just after the marker and keeps the images
 * that pass {@link #matches}. The candidates are the smallest superset at hand: one name's or one
 * server's images, the images changed since a recent {@code changes-since}, or the union of what
 * a project can see (public, own, shared with it) instead of the whole catalog.
 */
final class IndexQuery {
  /** A changes-since with at most this many newer changes walks those, sorted, instead. */
  private static final int RECENT = 4_096;

  private final IndexSnapshot snapshot;
  private final ImageRepository.Scope scope;
  private final ListQuery query;
  private final long deletedSince;
  /** The changes-since bound in microseconds, or {@link IndexedImage#NULL}. */
  private final long changesSince;
  private final Comparator<IndexedImage> order;
  private final long[] time; // per condition: bounds for time conditions

  private IndexQuery(
      IndexSnapshot snapshot, ImageRepository.Scope scope, ListQuery query, Instant deletedSince) {
    this.snapshot = snapshot;
    this.scope = scope;
    this.query = query;
    this.deletedSince = deletedSince == null ? IndexedImage.NULL : IndexedImage.micros(deletedSince);
    this.changesSince =
        query.changesSince() == null ? IndexedImage.NULL : IndexedImage.micros(query.changesSince());
    this.order = IndexedImage.order(query.sort());
    this.time = new long[query.conditions().size() * 2];
  }

  /** What a list read: as {@code ImageRepository.ListRead}, with indexed images. */
  record Result(IndexedImage marker, boolean markerMember, List<IndexedImage> page, boolean more,
      String previous) {}

  /** The answer, or null when the store must answer this query. */
  static Result run(
      IndexSnapshot snapshot, ImageRepository.Scope scope, ListQuery query, Instant deletedSince) {
    try {
      IndexQuery q = new IndexQuery(snapshot, scope, query, deletedSince);
      return q.supported() ? q.answer() : null;
    } catch (ArithmeticException outOfRange) {
      return null; // a time beyond what microseconds hold: the store's path answers it
    }
  }

  private boolean supported() {
    for (String key : query.properties().keySet()) {
      if (!IndexedImage.KEPT_PROPERTIES.contains(key)) {
        return false; // the index keeps only the properties the compute API filters on
      }
    }
    List<Condition> conditions = query.conditions();
    for (int n = 0; n < conditions.size(); n++) {
      Condition c = conditions.get(n);
      Object v = c.values().isEmpty() ? null : c.values().get(0);
      boolean ok =
          switch (c.field()) {
            case CHECKSUM, OS_HASH_VALUE -> false;
            case ID, NAME, STATUS, CONTAINER_FORMAT, DISK_FORMAT, OWNER ->
                c.op() == Op.IN || v instanceof String;
            case MIN_RAM, MIN_DISK, SIZE, VIRTUAL_SIZE -> c.op() != Op.IN && v instanceof Long;
            case PROTECTED ->
                (c.op() == Op.EQ || c.op() == Op.NEQ) && v instanceof Boolean;
            case CREATED_AT, UPDATED_AT -> c.op() != Op.IN && v instanceof Instant;
          };
      if (!ok) {
        return false;
      }
      if (v instanceof Instant t && c.op() != Op.IN) {
        timeBounds(n, c.op(), t);
      }
    }
    return true;
  }

  private Result answer() {
    IndexedImage marker = null;
    boolean member = false;
    if (query.marker() != null) {
      marker = snapshot.find(query.marker());
      if (marker == null) {
        return new Result(null, false, List.of(), false, null);
      }
      member = marker.member(scope.project(), null);
    }
    if (query.limit() == 0) {
      return new Result(marker, member, List.of(), false, null); // as the store: no page, no link
    }
    List<IndexedImage[]> sources = sources();
    if (sources == null) {
      return null;
    }
    List<IndexedImage> page = walk(sources, marker, query.limit() + 1, true);
    boolean more = page.size() > query.limit();
    if (more) {
      page = page.subList(0, query.limit());
    }
    String previous = null;
    if (marker != null && query.previous()) {
      List<IndexedImage> before = walk(sources, marker, query.limit(), false);
      previous = before.size() == query.limit() ? before.get(query.limit() - 1).id() : "";
    }
    return new Result(marker, member, page, more, previous);
  }

  /**
   * Arrays in {@link #order} whose union holds every image the query can list; null when the
   * sort has no array (too many sorts in use) and the store must answer.
   */
  private List<IndexedImage[]> sources() {
    IndexedImage[] small = smallest();
    if (small != null) {
      return java.util.Collections.singletonList(small);
    }
    boolean newestFirst = query.sort().equals(ListQuery.NEWEST_FIRST);
    if (!newestFirst) {
      IndexedImage[] sorted = snapshot.sortedBy(query.sort());
      return sorted == null ? null : java.util.Collections.singletonList(sorted);
    }
    if (scope.admin()) {
      return java.util.Collections.singletonList(
          switch (query.visibility()) {
            case PUBLIC -> snapshot.publicImages;
            case COMMUNITY -> snapshot.communityImages;
            default -> snapshot.all;
          });
    }
    List<IndexedImage[]> out = new ArrayList<>(4);
    ListVisibility v = query.visibility();
    if (v == ListVisibility.COMMUNITY || v == ListVisibility.ALL) {
      out.add(snapshot.communityImages);
    }
    if (v == ListVisibility.COMMUNITY) {
      return out;
    }
    if (v != ListVisibility.PRIVATE && v != ListVisibility.SHARED) {
      out.add(snapshot.publicImages);
    }
    if (scope.project() != null) {
      add(out, snapshot.byOwner.get(scope.project()));
      if (v != ListVisibility.PUBLIC && v != ListVisibility.PRIVATE) {
        add(out, snapshot.byMember.get(scope.project()));
      }
    }
    return out;
  }

  private static void add(List<IndexedImage[]> out, IndexedImage[] array) {
    if (array != null) {
      out.add(array);
    }
  }

  /**
   * One small candidate set, sorted into the query's order, when the query pins a name, a server
   * or a recent changes-since; else null.
   */
  private IndexedImage[] smallest() {
    IndexedImage[] best = null;
    boolean listOrder = true; // byName and byServer arrays are newest first, byUpdated is not
    Condition name = query.condition(ListQuery.Field.NAME);
    if (name != null && name.op() == Op.EQ) {
      best = orEmpty(snapshot.byName.get((String) name.values().get(0)));
    }
    String server = query.properties().get("instance_uuid");
    if (server != null) {
      best = smaller(best, orEmpty(snapshot.byServer.get(server)));
    }
    if (changesSince != IndexedImage.NULL) {
      IndexedImage[] recent = recent(changesSince);
      if (recent != null && (best == null || recent.length < best.length)) {
        best = recent;
        listOrder = false;
      }
    }
    if (best != null && !(listOrder && query.sort().equals(ListQuery.NEWEST_FIRST))) {
      best = best.clone();
      Arrays.sort(best, order);
    }
    return best;
  }

  /** The images updated at or after {@code since} (newest change first), if few; else null. */
  private IndexedImage[] recent(long since) {
    IndexedImage[] byUpdated = snapshot.byUpdated;
    int low = 0;
    int high = byUpdated.length; // first index with updatedAt < since
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (byUpdated[mid].updatedAt >= since) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low > RECENT ? null : Arrays.copyOf(byUpdated, low);
  }

  private static IndexedImage[] smaller(IndexedImage[] a, IndexedImage[] b) {
    return a == null || b.length < a.length ? b : a;
  }

  private static final IndexedImage[] NONE = new IndexedImage[0];

  private static IndexedImage[] orEmpty(IndexedImage[] a) {
    return a == null ? NONE : a;
  }

  /**
   * Up to {@code limit} matching images strictly after (forward) or before (backward, nearest
   * first) {@code marker} in the union of {@code sources}, each in {@link #order}.
   */
  private List<IndexedImage> walk(
      List<IndexedImage[]> sources, IndexedImage marker, int limit, boolean forward) {
    int k = sources.size();
    int[] at = new int[k];
    for (int s = 0; s < k; s++) {
      IndexedImage[] a = sources.get(s);
      if (forward) {
        at[s] = marker == null ? 0 : upperBound(a, marker);
      } else {
        at[s] = IndexSnapshot.lowerBound(a, marker, order) - 1;
      }
    }
    List<IndexedImage> out = new ArrayList<>(Math.min(limit, 1024));
    IndexedImage last = null;
    while (out.size() < limit) {
      int pick = -1;
      IndexedImage best = null;
      for (int s = 0; s < k; s++) {
        IndexedImage[] a = sources.get(s);
        int i = at[s];
        if (forward ? i >= a.length : i < 0) {
          continue;
        }
        IndexedImage c = a[i];
        if (best == null || (forward ? order.compare(c, best) < 0 : order.compare(c, best) > 0)) {
          best = c;
          pick = s;
        }
      }
      if (best == null) {
        break;
      }
      for (int s = 0; s < k; s++) { // the same image may stand in several sources
        IndexedImage[] a = sources.get(s);
        int i = at[s];
        if ((forward ? i < a.length : i >= 0) && a[i] == best) {
          at[s] += forward ? 1 : -1;
        }
      }
      if (best != last && matches(best)) {
        out.add(best);
      }
      last = best;
    }
    return out;
  }

  /** The first index whose image comes after {@code key} in {@link #order}. */
  private int upperBound(IndexedImage[] array, IndexedImage key) {
    int low = 0;
    int high = array.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (order.compare(array[mid], key) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  // ---- the WHERE clause of store.ListSql, on one image ----------------------------------------

  boolean matches(IndexedImage i) {
    return visible(i)
        && rows(i)
        && i.osHidden == query.osHidden()
        && conditions(i)
        && properties(i)
        && tags(i)
        && (changesSince == IndexedImage.NULL || i.updatedAt >= changesSince);
  }

  private boolean visible(IndexedImage i) {
    String project = scope.project();
    ListVisibility asked = query.visibility();
    if (scope.admin()) {
      return switch (asked) {
        case DEFAULT -> i.visibility != Visibility.COMMUNITY || eq(i.owner, project);
        case ALL -> true;
        default -> i.visibility.name().equals(asked.name());
      };
    }
    boolean base =
        i.visibility == Visibility.PUBLIC
            || eq(i.owner, project)
            || (i.visibility == Visibility.SHARED && i.member(project, query.memberStatus()));
    return switch (asked) {
      case DEFAULT -> base;
      case ALL -> base || i.visibility == Visibility.COMMUNITY;
      case COMMUNITY -> i.visibility == Visibility.COMMUNITY;
      default -> base && i.visibility.name().equals(asked.name());
    };
  }

  /** SQL's {@code a = b}: never true when either is NULL. */
  private static boolean eq(String a, String b) {
    return a != null && a.equals(b);
  }

  private boolean rows(IndexedImage i) {
    boolean recentlyDeleted =
        deletedSince != IndexedImage.NULL
            && i.deletedAt != IndexedImage.NULL
            && i.deletedAt >= deletedSince;
    return switch (query.rows()) {
      case LIVE ->
          (i.deletedAt == IndexedImage.NULL
                  && i.status != ImageStatus.KILLED
                  && i.status != ImageStatus.DELETED
                  && i.status != ImageStatus.PENDING_DELETE)
              || recentlyDeleted;
      case UNDELETED -> i.deletedAt == IndexedImage.NULL || recentlyDeleted;
    };
  }

  private boolean properties(IndexedImage i) {
    for (Map.Entry<String, String> p : query.properties().entrySet()) {
      if (!p.getValue().equals(i.property(p.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private boolean tags(IndexedImage i) {
    for (String t : query.tags()) {
      if (!i.hasTag(t)) {
        return false;
      }
    }
    return true;
  }

  private boolean conditions(IndexedImage i) {
    List<Condition> conditions = query.conditions();
    for (int n = 0; n < conditions.size(); n++) {
      if (!condition(n, conditions.get(n), i)) {
        return false;
      }
    }
    return true;
  }

  private boolean condition(int n, Condition c, IndexedImage i) {
    switch (c.field()) {
      case ID, NAME, STATUS, CONTAINER_FORMAT, DISK_FORMAT, OWNER -> {
        String value =
            switch (c.field()) {
              case ID -> i.id();
              case NAME -> i.name;
              case STATUS -> i.status.wire();
              case CONTAINER_FORMAT -> i.containerFormat;
              case DISK_FORMAT -> i.diskFormat;
              default -> i.owner;
            };
        if (value == null) {
          return false; // NULL compares to nothing
        }
        if (c.op() == Op.IN) {
          for (Object v : c.values()) {
            if (value.equals(String.valueOf(v))) {
              return true;
            }
          }
          return false;
        }
        return compare(c.op(), IndexedImage.compareText(value, (String) c.values().get(0)));
      }
      case MIN_RAM, MIN_DISK, SIZE, VIRTUAL_SIZE -> {
        long value =
            switch (c.field()) {
              case MIN_RAM -> i.minRam;
              case MIN_DISK -> i.minDisk;
              case SIZE -> i.size;
              default -> i.virtualSize;
            };
        if (value == IndexedImage.NULL) {
          return false;
        }
        return compare(c.op(), Long.compare(value, (Long) c.values().get(0)));
      }
      case PROTECTED -> {
        boolean want = (Boolean) c.values().get(0);
        return c.op() == Op.EQ ? i.isProtected == want : i.isProtected != want;
      }
      case CREATED_AT, UPDATED_AT -> {
        long value = c.field() == ListQuery.Field.CREATED_AT ? i.createdAt : i.updatedAt;
        long a = time[2 * n];
        long b = time[2 * n + 1];
        return switch (c.op()) {
          case GTE, GT -> value >= a;
          case LT, LTE -> value < a;
          case EQ -> a != IndexedImage.NULL && value >= a && value < b;
          case NEQ -> a == IndexedImage.NULL || value < a || value >= b;
          case IN -> false;
        };
      }
      default -> {
        return false;
      }
    }
  }

  private static boolean compare(Op op, int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NEQ -> c != 0;
      case GT -> c > 0;
      case GTE -> c >= 0;
      case LT -> c < 0;
      case LTE -> c <= 0;
      case IN -> false;
    };
  }

  /** The bounds {@code store.ListSql.timeCondition} binds: times compare at the shown second. */
  private void timeBounds(int n, Op op, Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.SECONDS);
    boolean whole = floor.equals(t);
    Instant ceil = whole ? t : floor.plusSeconds(1);
    Instant next = floor.plusSeconds(1);
    long a;
    long b = 0;
    switch (op) {
      case GTE, LT -> a = IndexedImage.micros(ceil);
      case GT, LTE -> a = IndexedImage.micros(next);
      case EQ, NEQ -> {
        a = whole ? IndexedImage.micros(t) : IndexedImage.NULL;
        b = IndexedImage.micros(next);
      }
      default -> throw new IllegalArgumentException("no IN on times");
    }
    time[2 * n] = a;
    time[2 * n + 1] = b;
  }
}
