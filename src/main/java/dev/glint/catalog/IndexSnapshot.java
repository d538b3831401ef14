package dev.glint.catalog;

import dev.glint.catalog.IndexColumns.IntOrder;
import dev.glint.catalog.ListQuery.Sort;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory list at one catalog generation: every stored image (deleted ones included, as the
 * store has them), as row numbers into {@link IndexColumns}, in the orders a list walks. Immutable;
 * a change makes a new snapshot that shares the columns and the orders no change touched.
 *
 * <p>Orders, each an {@code int[]} of rows: {@link #all} newest first; {@link #byId} for markers;
 * {@link #byUpdated} newest change first for {@code changes-since}; the public and community
 * images newest first; {@link #byName} and {@link #byServer} (by name or instance_uuid, then newest
 * first: one binary search finds a name's or a server's images); per owner and per member project
 * as {@link Groups} (one array of rows grouped by the key's code, plus offsets); and, built on
 * first use and kept up to date afterwards, one array per other sort a caller asked for.
 */
final class IndexSnapshot {
  /** How many sorts other than the default one keep an array (each costs 4 bytes per image). */
  static final int MAX_SORTS = 6;

  private static final int[] NONE = new int[0];

  final long generation;
  final IndexColumns columns;
  final int[] all;
  final int[] byId;
  final int[] byUpdated;
  final int[] publicRows;
  final int[] communityRows;
  final Groups byOwner;
  final Groups byMember;
  /** Rows with a name, by name then newest first. */
  final int[] byName;
  /** Rows with an instance_uuid, by it then newest first. */
  final int[] byServer;
  private final ConcurrentHashMap<List<Sort>, int[]> sorted;

  private IndexSnapshot(
      long generation,
      IndexColumns columns,
      int[] all,
      int[] byId,
      int[] byUpdated,
      int[] publicRows,
      int[] communityRows,
      Groups byOwner,
      Groups byMember,
      int[] byName,
      int[] byServer,
      ConcurrentHashMap<List<Sort>, int[]> sorted) {
    this.generation = generation;
    this.columns = columns;
    this.all = all;
    this.byId = byId;
    this.byUpdated = byUpdated;
    this.publicRows = publicRows;
    this.communityRows = communityRows;
    this.byOwner = byOwner;
    this.byMember = byMember;
    this.byName = byName;
    this.byServer = byServer;
    this.sorted = sorted;
  }

  /** Every row of {@code c} as the catalog at {@code generation}. */
  static IndexSnapshot build(long generation, IndexColumns c) {
    int n = c.rows;
    int[] all = new int[n];
    for (int r = 0; r < n; r++) {
      all[r] = r;
    }
    int[] byId = all.clone();
    int[] byUpdated = all.clone();
    IntSort.sort(all, c::newestFirst);
    IntSort.sort(byId, c::compareIds);
    IntSort.sort(byUpdated, c::newestChangeFirst);
    int[] byName = filter(all, c::hasName);
    IntSort.sort(byName, nameOrder(c));
    int[] byServer = filter(all, r -> c.serverIndex(r) >= 0);
    IntSort.sort(byServer, serverOrder(c));
    return new IndexSnapshot(
        generation,
        c,
        all,
        byId,
        byUpdated,
        filter(all, r -> c.visibility[r] == Visibility.PUBLIC.ordinal()),
        filter(all, r -> c.visibility[r] == Visibility.COMMUNITY.ordinal()),
        Groups.of(all, c, ownerKeys(c)),
        Groups.of(all, c, memberKeys(c)),
        byName,
        byServer,
        new ConcurrentHashMap<>());
  }

  /**
   * This snapshot at {@code generation} over {@code c} (these columns, perhaps grown, with rows
   * appended), where the rows {@code added} replace the rows {@code dropped} (old versions of the
   * same images; -1 for an image that is new). Cost: a binary search per change and one block
   * copy per order; per-key groups are copied once with only the touched keys' groups rebuilt.
   */
  IndexSnapshot patch(long generation, IndexColumns c, int[] dropped, int[] added) {
    if (added.length == 0) {
      return new IndexSnapshot(
          generation, c, all, byId, byUpdated, publicRows, communityRows, byOwner, byMember,
          byName, byServer, sorted);
    }
    int[] gone = Arrays.stream(dropped).filter(r -> r >= 0).toArray();
    int pub = Visibility.PUBLIC.ordinal();
    int com = Visibility.COMMUNITY.ordinal();
    ConcurrentHashMap<List<Sort>, int[]> sorts = new ConcurrentHashMap<>();
    sorted.forEach((sort, array) -> sorts.put(sort, replace(array, gone, added, c.order(sort))));
    return new IndexSnapshot(
        generation,
        c,
        replace(all, gone, added, c::newestFirst),
        replace(byId, gone, added, c::compareIds),
        replace(byUpdated, gone, added, c::newestChangeFirst),
        replaceWhere(publicRows, gone, added, c::newestFirst, r -> c.visibility[r] == pub),
        replaceWhere(communityRows, gone, added, c::newestFirst, r -> c.visibility[r] == com),
        byOwner.patch(c, gone, added, ownerKeys(c)),
        byMember.patch(c, gone, added, memberKeys(c)),
        replaceWhere(byName, gone, added, nameOrder(c), c::hasName),
        replaceWhere(byServer, gone, added, serverOrder(c), r -> c.serverIndex(r) >= 0),
        sorts);
  }

  /** How many images the snapshot holds (deleted ones included). */
  int size() {
    return all.length;
  }

  /** The row of the stored image with this id (deleted ones included), or -1. */
  int find(String id) {
    IndexColumns.IdKey key = IndexColumns.IdKey.of(id);
    long hi = key.hi();
    long lo = key.lo();
    String odd = key.odd();
    int low = 0;
    int high = byId.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = columns.compareId(byId[mid], hi, lo, odd);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return byId[mid];
      }
    }
    return -1;
  }

  /**
   * The rows of every image in {@code sort}'s order: {@link #all} for the default order, else one
   * built on first use; null when too many sorts already keep one (the caller asks the store).
   */
  int[] sortedBy(List<Sort> sort) {
    if (sort.equals(ListQuery.NEWEST_FIRST)) {
      return all;
    }
    int[] known = sorted.get(sort);
    if (known != null || sorted.size() >= MAX_SORTS) {
      return known;
    }
    return sorted.computeIfAbsent(
        sort,
        s -> {
          int[] array = all.clone();
          IntSort.sort(array, columns.order(s));
          return array;
        });
  }

  // ---- orders ---------------------------------------------------------------------------------

  static IntOrder nameOrder(IndexColumns c) {
    return (a, b) -> {
      int x = c.compareNames(a, b);
      return x != 0 ? x : c.newestFirst(a, b);
    };
  }

  static IntOrder serverOrder(IndexColumns c) {
    return (a, b) -> {
      int x = c.compareServers(a, b);
      return x != 0 ? x : c.newestFirst(a, b);
    };
  }

  /** The keys a row is grouped under: its owner's code. */
  interface Keys {
    /** Calls {@code out} with each key code of row {@code r}. */
    void keys(int r, java.util.function.IntConsumer out);
  }

  private static Keys ownerKeys(IndexColumns c) {
    return (r, out) -> {
      if (c.owner[r] >= 0) {
        out.accept(c.owner[r]);
      }
    };
  }

  private static Keys memberKeys(IndexColumns c) {
    return (r, out) -> {
      for (int k = 0, n = c.memberCount(r); k < n; k++) {
        out.accept(c.memberProject(r, k));
      }
    };
  }

  // ---- building blocks ------------------------------------------------------------------------

  private static int[] filter(int[] rows, java.util.function.IntPredicate keep) {
    int n = 0;
    for (int r : rows) {
      n += keep.test(r) ? 1 : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int r : rows) {
      if (keep.test(r)) {
        out[k++] = r;
      }
    }
    return out;
  }

  private static int[] replaceWhere(
      int[] array, int[] gone, int[] added, IntOrder order, java.util.function.IntPredicate in) {
    int[] g = filter(gone, in);
    int[] a = filter(added, in);
    return g.length == 0 && a.length == 0 ? array : replace(array, g, a, order);
  }

  /**
   * {@code array} (in {@code order}) without the rows {@code gone}, with {@code added} merged in:
   * binary searches for the changed places, then block copies, so a change to a million-row array
   * costs one memory copy rather than a million compares. Rows of {@code gone} not in the array
   * are ignored.
   */
  static int[] replace(int[] array, int[] gone, int[] added, IntOrder order) {
    return replace(array, 0, array.length, gone, added, order);
  }

  static int[] replace(int[] array, int from, int to, int[] gone, int[] added, IntOrder order) {
    int[] drop = new int[gone.length];
    int d = 0;
    for (int g : gone) {
      int p = lowerBound(array, from, to, g, order);
      if (p < to && array[p] == g) {
        drop[d++] = p;
      }
    }
    drop = Arrays.copyOf(drop, d);
    Arrays.sort(drop);
    int[] in = added.clone();
    IntSort.sort(in, order);
    int[] at = new int[in.length];
    for (int j = 0; j < in.length; j++) {
      at[j] = lowerBound(array, from, to, in[j], order);
    }
    int[] out = new int[to - from - drop.length + in.length];
    int s = from;
    int n = 0;
    d = 0;
    int j = 0;
    while (true) {
      int nextIn = j < in.length ? at[j] : Integer.MAX_VALUE;
      int nextDrop = d < drop.length ? drop[d] : Integer.MAX_VALUE;
      int next = Math.min(Math.min(nextIn, nextDrop), to);
      System.arraycopy(array, s, out, n, next - s);
      n += next - s;
      s = next;
      if (nextIn == next) {
        out[n++] = in[j++];
      } else if (nextDrop == next) {
        s++;
        d++;
      } else {
        break;
      }
    }
    return out;
  }

  /** The first index in [from, to) whose row is not before {@code key} in {@code order}. */
  static int lowerBound(int[] array, int from, int to, int key, IntOrder order) {
    int low = from;
    int high = to;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (order.compare(array[mid], key) < 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Rows grouped by an int key (an owner's or a member project's dictionary code), each group
   * newest first: group {@code k} is {@code rows[start[k] .. start[k + 1])}. Two arrays instead
   * of a map of arrays.
   */
  static final class Groups {
    final int[] start;
    final int[] rows;

    private Groups(int[] start, int[] rows) {
      this.start = start;
      this.rows = rows;
    }

    static Groups of(int[] newestFirst, IndexColumns c, Keys keys) {
      int codes = c.dictionary.size();
      int[] start = new int[codes + 1];
      for (int r : newestFirst) {
        keys.keys(r, k -> start[k + 1]++);
      }
      for (int k = 0; k < codes; k++) {
        start[k + 1] += start[k];
      }
      int[] rows = new int[start[codes]];
      int[] fill = Arrays.copyOf(start, codes);
      for (int r : newestFirst) {
        keys.keys(r, k -> rows[fill[k]++] = r);
      }
      return new Groups(start, rows);
    }

    /** Where group {@code key} starts; a key no row had yet is an empty group at the end. */
    int from(int key) {
      return key < 0 ? 0 : key + 1 < start.length ? start[key] : rows.length;
    }

    int to(int key) {
      return key < 0 ? 0 : key + 1 < start.length ? start[key + 1] : rows.length;
    }

    /** These groups with {@code gone} rows out and {@code added} rows in, where their keys say. */
    Groups patch(IndexColumns c, int[] gone, int[] added, Keys keys) {
      java.util.TreeMap<Integer, int[][]> touched = new java.util.TreeMap<>(); // key: gone, added
      for (int g : gone) {
        keys.keys(g, k -> add(touched, k, 0, g));
      }
      for (int a : added) {
        keys.keys(a, k -> add(touched, k, 1, a));
      }
      if (touched.isEmpty()) {
        return this;
      }
      int codes = Math.max(start.length - 1, c.dictionary.size());
      int[] nextStart = new int[codes + 1];
      int[][] groups = new int[touched.size()][];
      int total = rows.length;
      int g = 0;
      for (var e : touched.entrySet()) {
        int key = e.getKey();
        groups[g] =
            replace(rows, from(key), to(key), e.getValue()[0], e.getValue()[1], c::newestFirst);
        total += groups[g++].length - (to(key) - from(key));
      }
      int[] nextRows = new int[total];
      int n = 0;
      int copiedTo = 0; // rows[0 .. copiedTo) are in nextRows
      int k = 0; // keys below k have their offsets in nextStart
      g = 0;
      for (var e : touched.entrySet()) {
        int key = e.getKey();
        int[] group = groups[g++];
        int shift = n - copiedTo;
        for (; k < key; k++) { // untouched keys before this one keep their rows, shifted
          nextStart[k] = (k + 1 < start.length ? start[k] : rows.length) + shift;
        }
        System.arraycopy(rows, copiedTo, nextRows, n, from(key) - copiedTo);
        n += from(key) - copiedTo;
        nextStart[k++] = n;
        System.arraycopy(group, 0, nextRows, n, group.length);
        n += group.length;
        copiedTo = to(key);
      }
      int shift = n - copiedTo;
      for (; k <= codes; k++) {
        nextStart[k] = (k < start.length ? start[k] : rows.length) + shift;
      }
      System.arraycopy(rows, copiedTo, nextRows, n, rows.length - copiedTo);
      return new Groups(nextStart, nextRows);
    }

    private static void add(java.util.Map<Integer, int[][]> touched, int key, int which, int row) {
      int[][] lists = touched.computeIfAbsent(key, x -> new int[][] {NONE, NONE});
      lists[which] = append(lists[which], row);
    }

    private static int[] append(int[] a, int v) {
      int[] out = Arrays.copyOf(a, a.length + 1);
      out[a.length] = v;
      return out;
    }
  }
}
