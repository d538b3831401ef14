package dev.glint.catalog;

import dev.glint.catalog.IndexColumns.IntOrder;
import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.ListVisibility;
import dev.glint.catalog.ListQuery.Op;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link ListQuery} answered from an {@link IndexSnapshot}, with exactly the rows, order and
 * paging of {@code store.ListSql} (the randomized {@code ImageIndexEquivalenceTest} holds the two
 * equal). {@link #run} returns null for the few queries it leaves to the store: conditions on
 * checksums and on properties other than {@code image_type} and {@code instance_uuid}, whose
 * values the index does not keep, and value types SQL would coerce.
 *
 * <p>A page walks candidate row orders merged in list order from just after the marker (a binary
 * search in each) and keeps the rows that pass {@link #matches}, which compares ints, longs and
 * bytes: strings are dictionary codes looked up once per query. The candidates are the cheapest
 * at hand: one name's or one server's rows, the matching rows changed since a recent {@code
 * changes-since}, or the union of what a project can see (public, own, shared with it); for
 * another sort, the project's few candidates sorted, or else the catalog's order for that sort
 * walked with the same cheap test. Nothing per request grows with the catalog or the project.
 */
final class IndexQuery {
  /** A changes-since or another sort gathers and sorts at most this many candidates. */
  private static final int GATHER_MAX = 16_384;

  private final IndexSnapshot snapshot;
  private final IndexColumns c;
  private final ImageRepository.Scope scope;
  private final ListQuery query;
  private final long deletedSince;
  /** The changes-since bound in microseconds, or {@link IndexColumns#NULL}. */
  private final long changesSince;
  private final IntOrder order;
  /** The caller's project as an owner/member code (-2: none, or no image names it). */
  private final int project;
  /** The member status a shared image needs, as an ordinal (-1: any). */
  private final int memberStatus;
  /** The one visibility asked for, as an ordinal, or -1. */
  private final int askedVisibility;
  private final long[] time; // per condition: bounds for time conditions
  private final Object[] values; // per condition: the values in the index's terms
  private final int imageType; // code of the image_type asked for, or -1 when not asked
  private final boolean wantServer;
  private long serverHi;
  private long serverLo;
  private String serverOdd;
  private final int[] tags;

  private IndexQuery(
      IndexSnapshot snapshot, ImageRepository.Scope scope, ListQuery query, Instant deletedSince) {
    this.snapshot = snapshot;
    this.c = snapshot.columns;
    this.scope = scope;
    this.query = query;
    this.deletedSince = deletedSince == null ? IndexColumns.NULL : IndexColumns.micros(deletedSince);
    this.changesSince =
        query.changesSince() == null
            ? IndexColumns.NULL
            : IndexColumns.micros(query.changesSince());
    this.order = c.order(query.sort());
    this.project = c.dictionary.lookup(scope.project());
    this.memberStatus = query.memberStatus() == null ? -1 : query.memberStatus().ordinal();
    ListVisibility v = query.visibility();
    this.askedVisibility =
        v == ListVisibility.DEFAULT || v == ListVisibility.ALL
            ? -1
            : Visibility.valueOf(v.name()).ordinal();
    this.time = new long[query.conditions().size() * 2];
    this.values = new Object[query.conditions().size()];
    String type = query.properties().get("image_type");
    this.imageType = type == null ? -1 : Math.max(-2, c.dictionary.lookup(type));
    String server = query.properties().get("instance_uuid");
    this.wantServer = server != null;
    if (server != null) {
      if (IndexColumns.canonical(server)) {
        UUID u = UUID.fromString(server);
        serverHi = u.getMostSignificantBits();
        serverLo = u.getLeastSignificantBits();
      } else {
        serverOdd = server;
      }
    }
    this.tags = query.tags().stream().mapToInt(c.dictionary::lookup).toArray();
  }

  /**
   * What a list read: as {@code ImageRepository.ListRead}, with rows of {@link #snapshot}.
   *
   * @param marker the marker's row, -1 when there is none or no image has that id
   */
  record Result(
      IndexSnapshot snapshot, int marker, boolean markerMember, int[] page, boolean more,
      String previous) {
    boolean markerFound() {
      return marker >= 0;
    }

    String markerOwner() {
      return snapshot.columns.owner(marker);
    }

    Visibility markerVisibility() {
      return snapshot.columns.visibility(marker);
    }

    boolean markerDeleted() {
      return snapshot.columns.deleted(marker);
    }
  }

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

  private static final int[] NONE = new int[0];

  /**
   * Every row the query lists, in its order, without its marker and limit; null when the store
   * must answer it or when there are more than {@code max}.
   */
  static int[] all(
      IndexSnapshot snapshot, ImageRepository.Scope scope, ListQuery query, int max) {
    try {
      IndexQuery q = new IndexQuery(snapshot, scope, query, null);
      Sources sources = q.supported() ? q.sources() : null;
      if (sources == null) {
        return null;
      }
      int[] rows = new int[Math.min(max, sources.size()) + 1];
      int found = q.walk(sources, -1, rows, true);
      return found < rows.length ? Arrays.copyOf(rows, found) : null;
    } catch (ArithmeticException outOfRange) {
      return null;
    }
  }

  /**
   * The query's WHERE clause as a test of one row, or null when the store must answer: for tests
   * that hold a walk's pages equal to a filter of every row.
   */
  static java.util.function.IntPredicate where(
      IndexSnapshot snapshot, ImageRepository.Scope scope, ListQuery query, Instant deletedSince) {
    IndexQuery q = new IndexQuery(snapshot, scope, query, deletedSince);
    return q.supported() ? q::matches : null;
  }

  private boolean supported() {
    for (String key : query.properties().keySet()) {
      if (!IndexColumns.KEPT_PROPERTIES.contains(key)) {
        return false; // the index keeps only the properties the compute API filters on
      }
    }
    List<Condition> conditions = query.conditions();
    for (int n = 0; n < conditions.size(); n++) {
      Condition cond = conditions.get(n);
      Object v = cond.values().isEmpty() ? null : cond.values().get(0);
      boolean ok =
          switch (cond.field()) {
            case CHECKSUM, OS_HASH_VALUE -> false;
            case ID, STATUS, CONTAINER_FORMAT, DISK_FORMAT, OWNER ->
                cond.op() == Op.IN || v instanceof String;
            // names compare as bytes: a lone surrogate has no place in that order
            case NAME ->
                cond.op() == Op.IN
                    ? cond.values().stream().allMatch(x -> IndexColumns.wellFormed(String.valueOf(x)))
                    : v instanceof String s && IndexColumns.wellFormed(s);
            case MIN_RAM, MIN_DISK, SIZE, VIRTUAL_SIZE -> cond.op() != Op.IN && v instanceof Long;
            case PROTECTED ->
                (cond.op() == Op.EQ || cond.op() == Op.NEQ) && v instanceof Boolean;
            case CREATED_AT, UPDATED_AT -> cond.op() != Op.IN && v instanceof Instant;
          };
      if (!ok) {
        return false;
      }
      if (v instanceof Instant t && cond.op() != Op.IN) {
        timeBounds(n, cond.op(), t);
      }
      if (cond.field() == ListQuery.Field.NAME) {
        values[n] =
            cond.op() == Op.IN
                ? cond.values().stream().map(x -> IndexColumns.utf8(String.valueOf(x)))
                    .toArray(byte[][]::new)
                : IndexColumns.utf8((String) v);
      }
    }
    return true;
  }

  private Result answer() {
    int marker = -1;
    boolean member = false;
    if (query.marker() != null) {
      marker = snapshot.find(query.marker());
      if (marker < 0) {
        return new Result(snapshot, -1, false, NONE, false, null);
      }
      member = c.member(marker, project, -1);
    }
    if (query.limit() == 0) {
      return new Result(snapshot, marker, member, NONE, false, null); // as the store: no link
    }
    Sources sources = sources();
    if (sources == null) {
      return null;
    }
    int[] page = new int[query.limit() + 1];
    int found = walk(sources, marker, page, true);
    boolean more = found > query.limit();
    page = Arrays.copyOf(page, Math.min(found, query.limit()));
    String previous = null;
    if (marker >= 0 && query.previous()) {
      // Only the limit-th match before the marker matters: counted, not kept.
      int before = walk(sources, marker, null, false);
      previous = before >= 0 ? c.id(before) : "";
    }
    return new Result(snapshot, marker, member, page, more, previous);
  }

  // ---- candidates -----------------------------------------------------------------------------

  /** Up to four row orders, each a range of an array, whose union holds every listable row. */
  private static final class Sources {
    final int[][] rows = new int[4][];
    final int[] from = new int[4];
    final int[] to = new int[4];
    int count;

    Sources add(int[] array, int start, int end) {
      if (end > start) {
        rows[count] = array;
        from[count] = start;
        to[count] = end;
        count++;
      }
      return this;
    }

    Sources add(int[] array) {
      return add(array, 0, array.length);
    }

    int size() {
      int n = 0;
      for (int s = 0; s < count; s++) {
        n += to[s] - from[s];
      }
      return n;
    }
  }

  /**
   * Row orders in {@link #order} whose union holds every row the query can list; null when the
   * sort has no array (too many sorts in use) and the store must answer.
   */
  private Sources sources() {
    boolean newestFirst = query.sort().equals(ListQuery.NEWEST_FIRST);
    Sources visible = visibleSources();
    int candidates = visible.size();
    Sources pinned = pinned(candidates);
    if (pinned != null) {
      return pinned;
    }
    if (newestFirst) {
      return visible;
    }
    // Another sort: the project's candidates sorted when few, else the catalog in that order
    // walked with the visibility test (which passes about candidates / N of the rows).
    if (!scope.admin() && candidates <= gatherLimit()) {
      int[] rows = new int[candidates];
      int n = 0;
      for (int s = 0; s < visible.count; s++) {
        System.arraycopy(visible.rows[s], visible.from[s], rows, n, visible.to[s] - visible.from[s]);
        n += visible.to[s] - visible.from[s];
      }
      IntSort.sort(rows, order);
      return new Sources().add(rows); // the walk skips a row seen twice in a row
    }
    int[] sorted = snapshot.sortedBy(query.sort());
    return sorted == null ? null : new Sources().add(sorted);
  }

  /**
   * Below this many candidates, gathering and sorting them costs less than walking the catalog's
   * order past the rows the caller cannot see: n log n against (limit + 1) N / n.
   */
  private int gatherLimit() {
    long n = snapshot.size();
    long walk = (long) Math.sqrt((double) (query.limit() + 1) * n);
    return (int) Math.min(GATHER_MAX, walk);
  }

  /** What the caller may see, newest first, as the visibility asked for narrows it. */
  private Sources visibleSources() {
    Sources out = new Sources();
    ListVisibility v = query.visibility();
    if (scope.admin()) {
      return switch (v) {
        case PUBLIC -> out.add(snapshot.publicRows);
        case COMMUNITY -> out.add(snapshot.communityRows);
        default -> out.add(snapshot.all);
      };
    }
    if (v == ListVisibility.COMMUNITY || v == ListVisibility.ALL) {
      out.add(snapshot.communityRows);
    }
    if (v == ListVisibility.COMMUNITY) {
      return out;
    }
    if (v != ListVisibility.PRIVATE && v != ListVisibility.SHARED) {
      out.add(snapshot.publicRows);
    }
    if (project >= 0) {
      out.add(snapshot.byOwner.rows, snapshot.byOwner.from(project), snapshot.byOwner.to(project));
      if (v != ListVisibility.PUBLIC && v != ListVisibility.PRIVATE) {
        out.add(
            snapshot.byMember.rows, snapshot.byMember.from(project), snapshot.byMember.to(project));
      }
    }
    return out;
  }

  /**
   * One small candidate set, in the query's order, when the query pins a name, a server or a
   * recent changes-since and that is smaller than {@code candidates}; else null.
   */
  private Sources pinned(int candidates) {
    int[] array = null;
    int from = 0;
    int to = 0;
    Condition name = query.condition(ListQuery.Field.NAME);
    if (name != null && name.op() == Op.EQ) {
      byte[] value = (byte[]) values[query.conditions().indexOf(name)];
      array = snapshot.byName;
      from = nameBound(value, false);
      to = nameBound(value, true);
    }
    if (wantServer) {
      int f = serverBound(false);
      int t = serverBound(true);
      if (array == null || t - f < to - from) {
        array = snapshot.byServer;
        from = f;
        to = t;
      }
    }
    if (changesSince != IndexColumns.NULL) {
      int recent = recent(changesSince);
      int best = array == null ? candidates : Math.min(to - from, candidates);
      if (recent < best && recent <= gatherLimit()) {
        // The few rows changed since: the matching ones, sorted into the list order.
        int[] rows = new int[Math.min(recent, 64)];
        int n = 0;
        for (int k = 0; k < recent; k++) {
          int r = snapshot.byUpdated[k];
          if (matches(r)) {
            if (n == rows.length) {
              rows = Arrays.copyOf(rows, Math.min(recent, n * 2));
            }
            rows[n++] = r;
          }
        }
        rows = Arrays.copyOf(rows, n);
        IntSort.sort(rows, order);
        return new Sources().add(rows, 0, n);
      }
    }
    if (array == null || to - from >= candidates) {
      return null;
    }
    if (query.sort().equals(ListQuery.NEWEST_FIRST)) {
      return new Sources().add(array, from, to); // already newest first within a name or server
    }
    int[] rows = Arrays.copyOfRange(array, from, to);
    IntSort.sort(rows, order);
    return new Sources().add(rows);
  }

  /** In {@link IndexSnapshot#byName}: the first row whose name is not before (after) {@code v}. */
  private int nameBound(byte[] v, boolean after) {
    int[] a = snapshot.byName;
    int low = 0;
    int high = a.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      int cmp = c.compareName(a[mid], v);
      if (after ? cmp <= 0 : cmp < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private int serverBound(boolean after) {
    int[] a = snapshot.byServer;
    int low = 0;
    int high = a.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      int cmp = c.compareServer(a[mid], serverHi, serverLo, serverOdd);
      if (after ? cmp <= 0 : cmp < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** How many rows were updated at or after {@code since} (they lead {@code byUpdated}). */
  private int recent(long since) {
    int[] byUpdated = snapshot.byUpdated;
    int low = 0;
    int high = byUpdated.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (c.updated[byUpdated[mid]] >= since) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  // ---- the walk -------------------------------------------------------------------------------

  /**
   * Forward: fills {@code out} with up to its length of matching rows strictly after {@code
   * marker} and returns how many. Backward ({@code out} null): the {@code limit}-th matching row
   * before the marker (nearest first), or -1 when there are fewer.
   */
  private int walk(Sources sources, int marker, int[] out, boolean forward) {
    int k = sources.count;
    int[] at = new int[k];
    for (int s = 0; s < k; s++) {
      int[] a = sources.rows[s];
      int lo = sources.from[s];
      int hi = sources.to[s];
      if (forward) {
        at[s] = marker < 0 ? lo : upperBound(a, lo, hi, marker);
      } else {
        at[s] = IndexSnapshot.lowerBound(a, lo, hi, marker, order) - 1;
      }
    }
    int want = forward ? out.length : query.limit();
    int found = 0;
    int last = -1;
    while (found < want) {
      int pick = -1;
      for (int s = 0; s < k; s++) {
        int i = at[s];
        if (forward ? i >= sources.to[s] : i < sources.from[s]) {
          continue;
        }
        int r = sources.rows[s][i];
        if (pick < 0 || (forward ? order.compare(r, pick) < 0 : order.compare(r, pick) > 0)) {
          pick = r;
        }
      }
      if (pick < 0) {
        break;
      }
      for (int s = 0; s < k; s++) { // the same row may stand in several sources
        int i = at[s];
        if ((forward ? i < sources.to[s] : i >= sources.from[s]) && sources.rows[s][i] == pick) {
          at[s] += forward ? 1 : -1;
        }
      }
      if (pick != last && matches(pick)) {
        if (forward) {
          out[found] = pick;
        }
        found++;
        if (!forward && found == want) {
          return pick;
        }
      }
      last = pick;
    }
    return forward ? found : -1;
  }

  /** The first index in [from, to) whose row comes after {@code key} in {@link #order}. */
  private int upperBound(int[] array, int from, int to, int key) {
    int low = from;
    int high = to;
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

  // ---- the WHERE clause of store.ListSql, on one row ------------------------------------------

  boolean matches(int r) {
    return visible(r)
        && rows(r)
        && c.osHidden(r) == query.osHidden()
        && conditions(r)
        && properties(r)
        && tags(r)
        && (changesSince == IndexColumns.NULL || c.updated[r] >= changesSince);
  }

  private static final int PUBLIC = Visibility.PUBLIC.ordinal();
  private static final int SHARED = Visibility.SHARED.ordinal();
  private static final int COMMUNITY = Visibility.COMMUNITY.ordinal();

  private boolean visible(int r) {
    int vis = c.visibility[r];
    boolean own = c.owner[r] == project; // project is -2 when none: never a row's code
    if (scope.admin()) {
      return switch (query.visibility()) {
        case DEFAULT -> vis != COMMUNITY || own;
        case ALL -> true;
        default -> vis == askedVisibility;
      };
    }
    boolean base = vis == PUBLIC || own || (vis == SHARED && c.member(r, project, memberStatus));
    return switch (query.visibility()) {
      case DEFAULT -> base;
      case ALL -> base || vis == COMMUNITY;
      case COMMUNITY -> vis == COMMUNITY;
      default -> base && vis == askedVisibility;
    };
  }

  private static final int KILLED = ImageStatus.KILLED.ordinal();
  private static final int DELETED = ImageStatus.DELETED.ordinal();
  private static final int PENDING_DELETE = ImageStatus.PENDING_DELETE.ordinal();

  private boolean rows(int r) {
    long deletedAt = c.deletedAt(r);
    boolean recentlyDeleted =
        deletedSince != IndexColumns.NULL
            && deletedAt != IndexColumns.NULL
            && deletedAt >= deletedSince;
    int s = c.status[r];
    return switch (query.rows()) {
      case LIVE ->
          (deletedAt == IndexColumns.NULL && s != KILLED && s != DELETED && s != PENDING_DELETE)
              || recentlyDeleted;
      case UNDELETED -> deletedAt == IndexColumns.NULL || recentlyDeleted;
    };
  }

  private boolean properties(int r) {
    if (imageType != -1 && c.imageType(r) != imageType) {
      return false;
    }
    return !wantServer || c.compareServer(r, serverHi, serverLo, serverOdd) == 0;
  }

  private boolean tags(int r) {
    for (int t : tags) {
      if (!c.hasTag(r, t)) {
        return false;
      }
    }
    return true;
  }

  private boolean conditions(int r) {
    List<Condition> conditions = query.conditions();
    for (int n = 0; n < conditions.size(); n++) {
      if (!condition(n, conditions.get(n), r)) {
        return false;
      }
    }
    return true;
  }

  private boolean condition(int n, Condition cond, int r) {
    switch (cond.field()) {
      case NAME -> {
        if (!c.hasName(r)) {
          return false; // NULL compares to nothing
        }
        if (cond.op() == Op.IN) {
          for (byte[] v : (byte[][]) values[n]) {
            if (c.compareName(r, v) == 0) {
              return true;
            }
          }
          return false;
        }
        return compare(cond.op(), c.compareName(r, (byte[]) values[n]));
      }
      case ID, STATUS, CONTAINER_FORMAT, DISK_FORMAT, OWNER -> {
        String value =
            switch (cond.field()) {
              case ID -> c.id(r);
              case STATUS -> c.status(r).wire();
              case CONTAINER_FORMAT -> c.containerFormat(r);
              case DISK_FORMAT -> c.diskFormat(r);
              default -> c.owner(r);
            };
        if (value == null) {
          return false; // NULL compares to nothing
        }
        if (cond.op() == Op.IN) {
          for (Object v : cond.values()) {
            if (value.equals(String.valueOf(v))) {
              return true;
            }
          }
          return false;
        }
        return compare(
            cond.op(), IndexColumns.compareText(value, (String) cond.values().get(0)));
      }
      case MIN_RAM, MIN_DISK, SIZE, VIRTUAL_SIZE -> {
        long value =
            switch (cond.field()) {
              case MIN_RAM -> c.minRam(r);
              case MIN_DISK -> c.minDisk(r);
              case SIZE -> c.size[r];
              default -> c.virtualSize(r);
            };
        if (value == IndexColumns.NULL) {
          return false;
        }
        return compare(cond.op(), Long.compare(value, (Long) cond.values().get(0)));
      }
      case PROTECTED -> {
        boolean want = (Boolean) cond.values().get(0);
        return cond.op() == Op.EQ ? c.isProtected(r) == want : c.isProtected(r) != want;
      }
      case CREATED_AT, UPDATED_AT -> {
        long value = cond.field() == ListQuery.Field.CREATED_AT ? c.created[r] : c.updated[r];
        long a = time[2 * n];
        long b = time[2 * n + 1];
        return switch (cond.op()) {
          case GTE, GT -> value >= a;
          case LT, LTE -> value < a;
          case EQ -> a != IndexColumns.NULL && value >= a && value < b;
          case NEQ -> a == IndexColumns.NULL || value < a || value >= b;
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
      case GTE, LT -> a = IndexColumns.micros(ceil);
      case GT, LTE -> a = IndexColumns.micros(next);
      case EQ, NEQ -> {
        a = whole ? IndexColumns.micros(t) : IndexColumns.NULL;
        b = IndexColumns.micros(next);
      }
      default -> throw new IllegalArgumentException("no IN on times");
    }
    time[2 * n] = a;
    time[2 * n + 1] = b;
  }
}
