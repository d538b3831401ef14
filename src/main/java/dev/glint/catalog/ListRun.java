package dev.glint.catalog;


/**
 * Every row of one caller's list for one query, in list order, read from one snapshot of the
 * in-memory index, with a hash of its ids: a page after any marker in it is then a lookup and a
 * slice, however deep the marker lies and however many row orders the walk would merge. {@link
 * ListRuns} builds runs off the request path and hands one out only while the index is still the
 * snapshot it was read from. A marker not in the run (deleted, hidden, another caller's) is not
 * answered here: the walk and its marker checks decide.
 */
public final class ListRun {
  final IndexSnapshot snapshot;
  private final IndexColumns c;
  private final int[] rows;
  /** Position + 1 by id hash (open addressing, linear probing), 0 for an empty slot. */
  private final int[] slots;

  ListRun(IndexSnapshot snapshot, int[] rows) {
    this.snapshot = snapshot;
    this.c = snapshot.columns;
    this.rows = rows;
    int capacity = Integer.highestOneBit(Math.max(2, rows.length) * 2 - 1) * 2;
    this.slots = new int[capacity];
    for (int p = 0; p < rows.length; p++) {
      int r = rows[p];
      int s = hash(c.idHi[r], c.idLo[r], odd(r)) & (capacity - 1);
      while (slots[s] != 0) {
        s = (s + 1) & (capacity - 1);
      }
      slots[s] = p + 1;
    }
  }

  private String odd(int r) {
    return c.idHi[r] == 0 && c.idLo[r] == 0 ? c.oddIds.get(r) : null;
  }

  private static int hash(long hi, long lo, String odd) {
    long h = odd != null ? odd.hashCode() : hi * 0x9E3779B97F4A7C15L ^ lo;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ h >>> 32);
  }

  /**
   * What the run was read from, compared by identity: runs from the same object belong to the
   * same state of the catalog.
   */
  public Object version() {
    return snapshot;
  }

  /** Memory held, in ints (for {@link ListRuns}' budget). */
  long ints() {
    return rows.length + (long) slots.length;
  }

  public int size() {
    return rows.length;
  }

  /** Where the image with this id stands in the list, or -1 when it is not in it. */
  public int position(String id) {
    IndexColumns.IdKey key = IndexColumns.IdKey.of(id);
    long hi = key.hi();
    long lo = key.lo();
    String odd = key.odd();
    int mask = slots.length - 1;
    for (int s = hash(hi, lo, odd) & mask; slots[s] != 0; s = (s + 1) & mask) {
      int p = slots[s] - 1;
      if (c.compareId(rows[p], hi, lo, odd) == 0) {
        return p;
      }
    }
    return -1;
  }

  public String id(int position) {
    return c.id(rows[position]);
  }

  /** The image's name as UTF-8 (WTF-8 when it holds a lone surrogate), or null for none. */
  public byte[] name(int position) {
    return c.nameBytes(rows[position]);
  }

  /**
   * The id as ASCII bytes when it is a lower-case UUID (which neither form- nor JSON-encoding
   * changes), written from the index's two longs without a string; null for any other id.
   */
  public byte[] uuidAscii(int position) {
    return c.uuidAscii(rows[position]);
  }

  /**
   * A page as the walk reads it ({@code IndexQuery}): the positions {@code [from, to)} after the
   * marker (from the top without one), whether rows follow, and where the previous page's marker
   * stands ({@link Slice#FIRST} for the first page, {@link Slice#NONE} when there is no previous
   * link). Null when the marker is not in the run.
   */
  public Slice page(String marker, int limit, boolean previousWanted) {
    int from = 0;
    if (marker != null) {
      int at = position(marker);
      if (at < 0) {
        return null;
      }
      from = at + 1;
    }
    if (limit == 0) {
      return new Slice(from, from, false, Slice.NONE); // as the store: no link
    }
    int to = (int) Math.min(rows.length, (long) from + limit);
    int previous = Slice.NONE;
    if (marker != null && previousWanted) {
      int before = from - 1 - limit; // the limit-th row before the marker
      previous = before >= 0 ? before : Slice.FIRST;
    }
    return new Slice(from, to, to < rows.length, previous);
  }

  /** The previous page's marker as the walk gives it: "" for the first page, null for none. */
  public String previous(Slice slice) {
    return switch (slice.previousAt()) {
      case Slice.NONE -> null;
      case Slice.FIRST -> "";
      default -> id(slice.previousAt());
    };
  }

  /**
   * Positions {@code [from, to)} of a run, and the position of the previous page's marker, or
   * {@link #FIRST} (the previous page is the first) or {@link #NONE} (no previous link).
   */
  public record Slice(int from, int to, boolean more, int previousAt) {
    public static final int NONE = -1;
    public static final int FIRST = -2;

    public int count() {
      return to - from;
    }
  }
}
