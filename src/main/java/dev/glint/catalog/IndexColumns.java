package dev.glint.catalog;

import dev.glint.catalog.ListQuery.Sort;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images the in-memory list ({@link ImageIndex}) keeps, one row number each, one primitive
 * array per field: no object per image. Only the fields that visibility, filters and sorts read
 * (no checksums, no member dates, only the properties {@code image_type} and {@code
 * instance_uuid}).
 *
 * <p>Rows are only appended: a changed image gets a new row and the snapshot that has it stops
 * listing the old one ({@link IndexSnapshot}). Appending writes past every row a published
 * snapshot reads, so snapshots share one instance without copying; when an array is full (or a
 * column first needs values), {@link #append} returns a new instance with bigger arrays and the
 * older snapshots keep the old one. Only the index's writer (under its lock) appends.
 *
 * <p>Strings: owners, formats, tags, member projects and {@code image_type} values are codes into
 * a {@link Dictionary}; names are UTF-8 (WTF-8 for a lone surrogate) in one byte pool, whose
 * unsigned byte order is the stores' code point order; an {@code instance_uuid} is two longs.
 */
final class IndexColumns {
  static final long NULL = Long.MIN_VALUE;
  /** The properties kept: what Nova's {@code type} and {@code server} filters read. */
  static final List<String> KEPT_PROPERTIES = List.of("image_type", "instance_uuid");

  static final ImageStatus[] STATUSES = ImageStatus.values();
  static final Visibility[] VISIBILITIES = Visibility.values();
  static final MemberStatus[] MEMBER_STATUSES = MemberStatus.values();
  /** Each status's rank in the text order of its wire name (what a status sort compares). */
  private static final int[] STATUS_RANK = rank();

  private static final byte PROTECTED = 1;
  private static final byte HIDDEN = 2;
  /** The row has a deleted_at, kept in the sparse {@link #deletedRows}. */
  private static final byte HAS_DELETED = 4;
  /** The row has an image_type, an instance_uuid, tags or members: see {@link #extraRows}. */
  private static final byte HAS_EXTRA = 8;

  /** Which build this is: row numbers mean something only within one lineage. */
  final int lineage;
  final Dictionary dictionary;
  /** Disk and container formats: a few values, kept as {@code char} codes + 1 (0 for NULL). */
  final Dictionary formats;

  final long[] idHi;
  final long[] idLo;
  final long[] created;
  final long[] updated;
  /**
   * deleted_at, sparse (few rows have one): the rows that have one, ascending (appends keep it
   * so), padded with {@code Integer.MAX_VALUE}, and their values.
   */
  final int[] deletedRows;
  final long[] deletedAts;
  /** Null while no row has a value (all NULL). */
  final long[] size;
  final long[] virtualSize;
  /** Null while all are 0. */
  final int[] minDisk;
  final int[] minRam;
  /** Dictionary codes, -1 for NULL. */
  final int[] owner;
  final char[] diskFormat;
  final char[] containerFormat;
  /** Offset of the name in {@link #names} (a 2-byte length, then the bytes), -1 for NULL. */
  final int[] name;
  final byte[] status;
  final byte[] visibility;
  final byte[] flags;
  /**
   * What only some images have, sparse: the rows that have any (ascending, padded with {@code
   * Integer.MAX_VALUE}), and per such row the image_type code, the index into the server pool, the
   * offset in {@link #tagPool} (count, then codes) and in {@link #memberPool} (count, then project
   * code and status ordinal each); -1 for none.
   */
  final int[] extraRows;
  final int[] extraType;
  final int[] extraServer;
  final int[] extraTags;
  final int[] extraMembers;

  final byte[] names;
  final long[] serverHi;
  final long[] serverLo;
  final int[] tagPool;
  final int[] memberPool;
  /** Ids that are not canonical UUIDs (their two longs are 0), by row; rare. */
  final Map<Integer, String> oddIds;
  /** instance_uuid values that are not canonical UUIDs, by server pool index; rare. */
  final Map<Integer, String> oddServers;

  // Writer's state: how much of each array is used. Readers never read these.
  int rows;
  int namesUsed;
  int deletedUsed;
  int extrasUsed;
  /** Names already in the pool, as offset + 1 by hash (open addressing): equal names share. */
  int[] nameSlots = new int[1024];
  int nameCount;
  int serversUsed;
  int tagsUsed;
  int membersUsed;

  private IndexColumns(int lineage, Dictionary dictionary, int capacity) {
    this.lineage = lineage;
    this.dictionary = dictionary;
    this.formats = new Dictionary();
    idHi = new long[capacity];
    idLo = new long[capacity];
    created = new long[capacity];
    updated = new long[capacity];
    deletedRows = new int[16];
    Arrays.fill(deletedRows, Integer.MAX_VALUE);
    deletedAts = new long[16];
    size = new long[capacity];
    virtualSize = null;
    minDisk = null;
    minRam = null;
    owner = new int[capacity];
    diskFormat = new char[capacity];
    containerFormat = new char[capacity];
    name = new int[capacity];
    status = new byte[capacity];
    visibility = new byte[capacity];
    flags = new byte[capacity];
    extraRows = new int[16];
    Arrays.fill(extraRows, Integer.MAX_VALUE);
    extraType = new int[16];
    extraServer = new int[16];
    extraTags = new int[16];
    extraMembers = new int[16];
    names = new byte[capacity * 8 + 64];
    serverHi = new long[capacity / 8 + 16];
    serverLo = new long[capacity / 8 + 16];
    tagPool = new int[capacity / 8 + 16];
    memberPool = new int[capacity / 4 + 16];
    oddIds = new ConcurrentHashMap<>();
    oddServers = new ConcurrentHashMap<>();
  }

  /**
   * {@code o} with room for {@code capacity} rows and pools at least as given, and the lazy columns
   * asked for. Arrays already big enough are shared, not copied: {@code o} is appended to no more,
   * and its snapshots read only rows below what it had.
   */
  private IndexColumns(
      IndexColumns o, int capacity, int namesCap, int serversCap, int tagsCap, int membersCap,
      int deletedCap, int extrasCap, boolean withVirtualSize, boolean withMins) {
    lineage = o.lineage;
    dictionary = o.dictionary;
    formats = o.formats;
    int n = o.rows;
    idHi = sized(o.idHi, capacity);
    idLo = sized(o.idLo, capacity);
    created = sized(o.created, capacity);
    updated = sized(o.updated, capacity);
    if (o.deletedRows.length >= deletedCap) {
      deletedRows = o.deletedRows;
      deletedAts = o.deletedAts;
    } else {
      deletedRows = Arrays.copyOf(o.deletedRows, deletedCap);
      Arrays.fill(deletedRows, o.deletedRows.length, deletedCap, Integer.MAX_VALUE);
      deletedAts = Arrays.copyOf(o.deletedAts, deletedCap);
    }
    size = sized(o.size, capacity);
    virtualSize = lazy(o.virtualSize, withVirtualSize, capacity, n, NULL);
    minDisk = lazy(o.minDisk, withMins, capacity);
    minRam = lazy(o.minRam, withMins, capacity);
    owner = sized(o.owner, capacity);
    diskFormat =
        o.diskFormat.length == capacity ? o.diskFormat : Arrays.copyOf(o.diskFormat, capacity);
    containerFormat =
        o.containerFormat.length == capacity
            ? o.containerFormat
            : Arrays.copyOf(o.containerFormat, capacity);
    name = sized(o.name, capacity);
    status = o.status.length == capacity ? o.status : Arrays.copyOf(o.status, capacity);
    visibility =
        o.visibility.length == capacity ? o.visibility : Arrays.copyOf(o.visibility, capacity);
    flags = o.flags.length == capacity ? o.flags : Arrays.copyOf(o.flags, capacity);
    if (o.extraRows.length >= extrasCap) {
      extraRows = o.extraRows;
      extraType = o.extraType;
      extraServer = o.extraServer;
      extraTags = o.extraTags;
      extraMembers = o.extraMembers;
    } else {
      extraRows = Arrays.copyOf(o.extraRows, extrasCap);
      Arrays.fill(extraRows, o.extraRows.length, extrasCap, Integer.MAX_VALUE);
      extraType = Arrays.copyOf(o.extraType, extrasCap);
      extraServer = Arrays.copyOf(o.extraServer, extrasCap);
      extraTags = Arrays.copyOf(o.extraTags, extrasCap);
      extraMembers = Arrays.copyOf(o.extraMembers, extrasCap);
    }
    names = o.names.length >= namesCap ? o.names : Arrays.copyOf(o.names, namesCap);
    serverHi = o.serverHi.length >= serversCap ? o.serverHi : Arrays.copyOf(o.serverHi, serversCap);
    serverLo = o.serverLo.length >= serversCap ? o.serverLo : Arrays.copyOf(o.serverLo, serversCap);
    tagPool = o.tagPool.length >= tagsCap ? o.tagPool : Arrays.copyOf(o.tagPool, tagsCap);
    memberPool =
        o.memberPool.length >= membersCap ? o.memberPool : Arrays.copyOf(o.memberPool, membersCap);
    oddIds = o.oddIds;
    oddServers = o.oddServers;
    rows = o.rows;
    namesUsed = o.namesUsed;
    deletedUsed = o.deletedUsed;
    extrasUsed = o.extrasUsed;
    nameSlots = o.nameSlots;
    nameCount = o.nameCount;
    serversUsed = o.serversUsed;
    tagsUsed = o.tagsUsed;
    membersUsed = o.membersUsed;
  }

  private static long[] sized(long[] a, int capacity) {
    return a.length == capacity ? a : Arrays.copyOf(a, capacity);
  }

  private static int[] sized(int[] a, int capacity) {
    return a.length == capacity ? a : Arrays.copyOf(a, capacity);
  }

  private static long[] lazy(long[] a, boolean want, int capacity, int used, long fill) {
    if (a != null) {
      return sized(a, capacity);
    }
    if (!want) {
      return null;
    }
    long[] out = new long[capacity];
    Arrays.fill(out, 0, used, fill);
    return out;
  }

  private static int[] lazy(int[] a, boolean want, int capacity) {
    return a != null ? sized(a, capacity) : want ? new int[capacity] : null;
  }

  private static final java.util.concurrent.atomic.AtomicInteger LINEAGES =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Empty columns for about {@code expected} rows, in a new lineage. */
  static IndexColumns create(int expected) {
    return new IndexColumns(LINEAGES.incrementAndGet(), new Dictionary(), Math.max(16, expected));
  }

  /**
   * Appends {@code image} as a new row (its number is {@code rows - 1} of the result): into this
   * instance when it has room, else into a bigger copy, which is returned.
   */
  IndexColumns append(Image i, List<ImageMember> imageMembers) {
    byte[] nameBytes = i.name() == null ? null : utf8(i.name());
    if (nameBytes != null && nameBytes.length > 0xffff) {
      throw new IllegalStateException("a name of " + nameBytes.length + " bytes"); // store answers
    }
    String serverValue = i.properties().get("instance_uuid");
    int tagCount = i.tags().size();
    int memberCount = imageMembers.size();
    int deletedNeed = deletedUsed + (i.deletedAt() == null ? 0 : 1);
    boolean extra =
        serverValue != null || tagCount > 0 || memberCount > 0
            || i.properties().get("image_type") != null;
    int extrasNeed = extrasUsed + (extra ? 1 : 0);
    boolean needVirtual = virtualSize == null && i.virtualSize() != null;
    boolean needMins = minDisk == null && (i.minDisk() != 0 || i.minRam() != 0);
    int known = nameBytes == null ? -1 : knownName(nameBytes);
    int namesNeed = namesUsed + (known >= 0 || nameBytes == null ? 0 : nameBytes.length + 2);
    int serversNeed = serversUsed + (serverValue == null ? 0 : 1);
    int tagsNeed = tagsUsed + (tagCount == 0 ? 0 : tagCount + 1);
    int membersNeed = membersUsed + (memberCount == 0 ? 0 : memberCount * 2 + 1);
    IndexColumns c = this;
    if (rows == idHi.length || namesNeed > names.length || serversNeed > serverHi.length
        || tagsNeed > tagPool.length || membersNeed > memberPool.length
        || deletedNeed > deletedRows.length || extrasNeed > extraRows.length || needVirtual
        || needMins) {
      int capacity = rows == idHi.length ? grow(rows + 1) : idHi.length;
      c = new IndexColumns(
          this, capacity, grow(namesNeed), grow(serversNeed), grow(tagsNeed), grow(membersNeed),
          grow(deletedNeed), grow(extrasNeed), needVirtual, needMins);
    }
    c.write(i, imageMembers, nameBytes, known, serverValue, extra);
    return c;
  }

  private static int grow(int need) {
    return Math.max(16, need + (need >> 2) + 16);
  }

  private void write(
      Image i, List<ImageMember> imageMembers, byte[] nameBytes, int knownName, String srv,
      boolean extra) {
    int r = rows;
    String id = i.id();
    IdKey key = IdKey.of(id);
    if (key.odd() == null) {
      idHi[r] = key.hi();
      idLo[r] = key.lo();
    } else {
      idHi[r] = 0;
      idLo[r] = 0;
      oddIds.put(r, id);
    }
    created[r] = micros(i.createdAt());
    updated[r] = micros(i.updatedAt());
    byte hasDeleted = 0;
    if (i.deletedAt() != null) {
      deletedAts[deletedUsed] = micros(i.deletedAt());
      deletedRows[deletedUsed++] = r; // rows only grow: the array stays sorted
      hasDeleted = HAS_DELETED;
    }
    size[r] = i.size() == null ? NULL : i.size();
    if (virtualSize != null) {
      virtualSize[r] = i.virtualSize() == null ? NULL : i.virtualSize();
    }
    if (minDisk != null) {
      minDisk[r] = i.minDisk();
      minRam[r] = i.minRam();
    }
    owner[r] = dictionary.code(i.owner());
    diskFormat[r] = formatCode(i.diskFormat());
    containerFormat[r] = formatCode(i.containerFormat());
    status[r] = (byte) i.status().ordinal();
    visibility[r] = (byte) i.visibility().ordinal();
    flags[r] =
        (byte)
            ((i.isProtected() ? PROTECTED : 0) | (i.osHidden() ? HIDDEN : 0) | hasDeleted
                | (extra ? HAS_EXTRA : 0));
    if (nameBytes == null) {
      name[r] = -1;
    } else if (knownName >= 0) {
      name[r] = knownName;
    } else {
      name[r] = namesUsed;
      names[namesUsed] = (byte) (nameBytes.length >>> 8);
      names[namesUsed + 1] = (byte) nameBytes.length;
      System.arraycopy(nameBytes, 0, names, namesUsed + 2, nameBytes.length);
      rememberName(name[r], nameBytes);
      namesUsed += nameBytes.length + 2;
    }
    if (extra) {
      int x = extrasUsed;
      extraType[x] = dictionary.code(i.properties().get("image_type"));
      extraServer[x] = srv == null ? -1 : server(srv);
      extraTags[x] = i.tags().isEmpty() ? -1 : tags(i);
      extraMembers[x] = imageMembers.isEmpty() ? -1 : members(imageMembers);
      extraRows[x] = r; // rows only grow: the array stays sorted
      extrasUsed = x + 1;
    }
    rows = r + 1;
  }

  private int server(String srv) {
    int s = serversUsed++;
    IdKey key = IdKey.of(srv);
    if (key.odd() == null) {
      serverHi[s] = key.hi();
      serverLo[s] = key.lo();
    } else {
      serverHi[s] = 0;
      serverLo[s] = 0;
      oddServers.put(s, srv);
    }
    return s;
  }

  private int tags(Image i) {
    int at = tagsUsed;
    tagPool[at] = i.tags().size();
    int n = at + 1;
    for (String t : i.tags()) {
      tagPool[n++] = dictionary.code(t);
    }
    tagsUsed = n;
    return at;
  }

  private int members(List<ImageMember> imageMembers) {
    int at = membersUsed;
    memberPool[at] = imageMembers.size();
    int n = at + 1;
    for (ImageMember m : imageMembers) {
      memberPool[n++] = dictionary.code(m.memberId());
      memberPool[n++] = m.status().ordinal();
    }
    membersUsed = n;
    return at;
  }

  private char formatCode(String format) {
    int code = formats.code(format) + 1;
    if (code > Character.MAX_VALUE) {
      throw new IllegalStateException("more than 65534 distinct formats"); // the store answers
    }
    return (char) code;
  }

  /** The pool offset of a name equal to {@code bytes}, or -1. */
  private int knownName(byte[] bytes) {
    int mask = nameSlots.length - 1;
    for (int k = hash(bytes, 0, bytes.length) * 0x9E3779B9 & mask; ; k = (k + 1) & mask) {
      int at = nameSlots[k] - 1;
      if (at < 0) {
        return -1;
      }
      int length = nameLength(at);
      if (length == bytes.length
          && Arrays.equals(names, at + 2, at + 2 + length, bytes, 0, bytes.length)) {
        return at;
      }
    }
  }

  private void rememberName(int at, byte[] bytes) {
    if (++nameCount * 2 > nameSlots.length) {
      int[] old = nameSlots;
      nameSlots = new int[old.length * 2];
      for (int v : old) {
        if (v != 0) {
          int length = nameLength(v - 1);
          slot(hash(names, v + 1, v + 1 + length), v);
        }
      }
    }
    slot(hash(bytes, 0, bytes.length), at + 1);
  }

  private static int hash(byte[] a, int from, int to) {
    int h = 1;
    for (int k = from; k < to; k++) {
      h = 31 * h + a[k];
    }
    return h;
  }

  private void slot(int hash, int value) {
    int mask = nameSlots.length - 1;
    int k = hash * 0x9E3779B9 & mask;
    while (nameSlots[k] != 0) {
      k = (k + 1) & mask;
    }
    nameSlots[k] = value;
  }

  /** Bytes the arrays hold (for the log and the docs' figures). */
  long bytes() {
    long b = 0;
    for (long[] a : new long[][] {idHi, idLo, created, updated, deletedAts, size, virtualSize,
        serverHi, serverLo}) {
      b += a == null ? 0 : 8L * a.length;
    }
    for (int[] a : new int[][] {deletedRows, minDisk, minRam, owner, name, extraRows, extraType,
        extraServer, extraTags, extraMembers, tagPool, memberPool}) {
      b += a == null ? 0 : 4L * a.length;
    }
    return b + 2L * diskFormat.length + 2L * containerFormat.length + status.length
        + visibility.length + flags.length + names.length;
  }

  // ---- one row's fields -----------------------------------------------------------------------

  String id(int r) {
    long hi = idHi[r];
    long lo = idLo[r];
    if (hi == 0 && lo == 0) {
      String odd = oddIds.get(r);
      if (odd != null) {
        return odd;
      }
    }
    return new UUID(hi, lo).toString();
  }

  private boolean odd(int r) {
    return idHi[r] == 0 && idLo[r] == 0 && oddIds.containsKey(r);
  }

  String owner(int r) {
    return dictionary.string(owner[r]);
  }

  ImageStatus status(int r) {
    return STATUSES[status[r]];
  }

  Visibility visibility(int r) {
    return VISIBILITIES[visibility[r]];
  }

  boolean isProtected(int r) {
    return (flags[r] & PROTECTED) != 0;
  }

  boolean osHidden(int r) {
    return (flags[r] & HIDDEN) != 0;
  }

  long deletedAt(int r) {
    if ((flags[r] & HAS_DELETED) == 0) {
      return NULL;
    }
    return deletedAts[Arrays.binarySearch(deletedRows, r)];
  }

  /** Where row {@code r}'s sparse fields are, or -1. */
  private int extra(int r) {
    return (flags[r] & HAS_EXTRA) == 0 ? -1 : Arrays.binarySearch(extraRows, r);
  }

  /** The image_type's code, or -1. */
  int imageType(int r) {
    int x = extra(r);
    return x < 0 ? -1 : extraType[x];
  }

  /** The instance_uuid's index in the server pool, or -1. */
  int serverIndex(int r) {
    int x = extra(r);
    return x < 0 ? -1 : extraServer[x];
  }

  private int tagsAt(int r) {
    int x = extra(r);
    return x < 0 ? -1 : extraTags[x];
  }

  private int membersAt(int r) {
    int x = extra(r);
    return x < 0 ? -1 : extraMembers[x];
  }

  String diskFormat(int r) {
    return formats.string(diskFormat[r] - 1);
  }

  String containerFormat(int r) {
    return formats.string(containerFormat[r] - 1);
  }

  long virtualSize(int r) {
    return virtualSize == null ? NULL : virtualSize[r];
  }

  int minDisk(int r) {
    return minDisk == null ? 0 : minDisk[r];
  }

  int minRam(int r) {
    return minRam == null ? 0 : minRam[r];
  }

  boolean deleted(int r) {
    return deletedAt(r) != NULL || status(r).isDeleted();
  }

  /** The row's instance_uuid, or null; allocates (only for a server filter's rare odd values). */
  String server(int r) {
    int s = serverIndex(r);
    if (s < 0) {
      return null;
    }
    String odd = oddServers.get(s);
    return odd != null ? odd : new UUID(serverHi[s], serverLo[s]).toString();
  }

  /** Whether {@code code} (a project) is a member with {@code wanted} (any when -1). */
  boolean member(int r, int code, int wanted) {
    if (code < 0) {
      return false;
    }
    int at = membersAt(r);
    if (at < 0) {
      return false;
    }
    int n = memberPool[at];
    for (int k = at + 1, end = at + 1 + 2 * n; k < end; k += 2) {
      if (memberPool[k] == code && (wanted < 0 || memberPool[k + 1] == wanted)) {
        return true;
      }
    }
    return false;
  }

  boolean hasTag(int r, int code) {
    int at = tagsAt(r);
    if (at < 0) {
      return false;
    }
    for (int k = at + 1, end = at + 1 + tagPool[at]; k < end; k++) {
      if (tagPool[k] == code) {
        return true;
      }
    }
    return false;
  }

  /** How many members row {@code r} has. */
  int memberCount(int r) {
    int at = membersAt(r);
    return at < 0 ? 0 : memberPool[at];
  }

  int memberProject(int r, int k) {
    return memberPool[membersAt(r) + 1 + 2 * k];
  }

  // ---- compares -------------------------------------------------------------------------------

  /** Ids in the store's order (UTF-8 bytes; for canonical UUIDs, the two longs unsigned). */
  int compareIds(int a, int b) {
    if (!odd(a) && !odd(b)) {
      int c = Long.compareUnsigned(idHi[a], idHi[b]);
      return c != 0 ? c : Long.compareUnsigned(idLo[a], idLo[b]);
    }
    return compareText(id(a), id(b));
  }

  /** Row {@code r}'s id against a canonical id's longs or an odd id. */
  int compareId(int r, long hi, long lo, String oddId) {
    if (oddId == null && !odd(r)) {
      int c = Long.compareUnsigned(idHi[r], hi);
      return c != 0 ? c : Long.compareUnsigned(idLo[r], lo);
    }
    return compareText(id(r), oddId != null ? oddId : new UUID(hi, lo).toString());
  }

  /** Names in the stores' order, a NULL name as '' (as {@code store.ListSql} sorts). */
  int compareNames(int a, int b) {
    int x = name[a];
    int y = name[b];
    if (x == y) {
      return 0;
    }
    if (x < 0 || y < 0) {
      int lx = x < 0 ? 0 : nameLength(x);
      int ly = y < 0 ? 0 : nameLength(y);
      return Integer.compare(lx, ly); // '' against anything
    }
    return Arrays.compareUnsigned(
        names, x + 2, x + 2 + nameLength(x), names, y + 2, y + 2 + nameLength(y));
  }

  /** Row {@code r}'s name (NULL as '') against UTF-8 bytes. */
  int compareName(int r, byte[] value) {
    int x = name[r];
    if (x < 0) {
      return value.length == 0 ? 0 : -1;
    }
    return Arrays.compareUnsigned(names, x + 2, x + 2 + nameLength(x), value, 0, value.length);
  }

  private int nameLength(int at) {
    return ((names[at] & 0xff) << 8) | (names[at + 1] & 0xff);
  }

  /** Row {@code r}'s name as the pool holds it (UTF-8, WTF-8 for a lone surrogate), or null. */
  byte[] nameBytes(int r) {
    int x = name[r];
    return x < 0 ? null : Arrays.copyOfRange(names, x + 2, x + 2 + nameLength(x));
  }

  boolean hasName(int r) {
    return name[r] >= 0;
  }

  /** Servers in one fixed order (rows with none first): what groups equal ones together. */
  int compareServers(int a, int b) {
    int x = serverIndex(a);
    int y = serverIndex(b);
    if (x < 0 || y < 0) {
      return Boolean.compare(x >= 0, y >= 0);
    }
    String ox = oddServers.get(x);
    String oy = oddServers.get(y);
    if (ox != null || oy != null) {
      return ox == null ? -1 : oy == null ? 1 : ox.compareTo(oy);
    }
    int c = Long.compare(serverHi[x], serverHi[y]);
    return c != 0 ? c : Long.compare(serverLo[x], serverLo[y]);
  }

  /** Row {@code r}'s server against a value in the same order as {@link #compareServers}. */
  int compareServer(int r, long hi, long lo, String oddValue) {
    int x = serverIndex(r);
    if (x < 0) {
      return -1;
    }
    String ox = oddServers.get(x);
    if (ox != null || oddValue != null) {
      return ox == null ? -1 : oddValue == null ? 1 : ox.compareTo(oddValue);
    }
    int c = Long.compare(serverHi[x], hi);
    return c != 0 ? c : Long.compare(serverLo[x], lo);
  }

  /** Newest first: {@code created_at} then id, both descending ({@link ListQuery#NEWEST_FIRST}). */
  int newestFirst(int a, int b) {
    int c = Long.compare(created[b], created[a]);
    return c != 0 ? c : compareIds(b, a);
  }

  /** Newest change first, then id. */
  int newestChangeFirst(int a, int b) {
    int c = Long.compare(updated[b], updated[a]);
    return c != 0 ? c : compareIds(a, b);
  }

  /** The row order of a list's sort (nulls as '' or 0, as {@code store.ListSql} writes). */
  IntOrder order(List<Sort> sort) {
    if (sort.equals(ListQuery.NEWEST_FIRST)) {
      return this::newestFirst;
    }
    IntOrder[] keys = new IntOrder[sort.size()];
    for (int k = 0; k < keys.length; k++) {
      IntOrder key = key(sort.get(k).key());
      keys[k] = sort.get(k).ascending() ? key : (a, b) -> key.compare(b, a);
    }
    return (a, b) -> {
      for (IntOrder key : keys) {
        int c = key.compare(a, b);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  private IntOrder key(ListQuery.SortKey key) {
    return switch (key) {
      case NAME -> this::compareNames;
      case STATUS -> (a, b) -> Integer.compare(STATUS_RANK[status[a]], STATUS_RANK[status[b]]);
      case CONTAINER_FORMAT -> (a, b) -> compareFormats(containerFormat[a], containerFormat[b]);
      case DISK_FORMAT -> (a, b) -> compareFormats(diskFormat[a], diskFormat[b]);
      case SIZE -> (a, b) -> Long.compare(orZero(size[a]), orZero(size[b]));
      case ID -> this::compareIds;
      case CREATED_AT -> (a, b) -> Long.compare(created[a], created[b]);
      case UPDATED_AT -> (a, b) -> Long.compare(updated[a], updated[b]);
    };
  }

  private int compareFormats(int a, int b) {
    return a == b ? 0 : compareText(orEmpty(formats.string(a - 1)), orEmpty(formats.string(b - 1)));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static long orZero(long v) {
    return v == NULL ? 0 : v;
  }

  private static int[] rank() {
    ImageStatus[] s = STATUSES.clone();
    Arrays.sort(s, (a, b) -> compareText(a.wire(), b.wire()));
    int[] out = new int[s.length];
    for (int n = 0; n < s.length; n++) {
      out[s[n].ordinal()] = n;
    }
    return out;
  }

  /** A compare of two rows. */
  @FunctionalInterface
  interface IntOrder {
    int compare(int a, int b);
  }

  // ---- text -----------------------------------------------------------------------------------

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /**
   * An id as the columns hold it: a canonical UUID as its two longs, any other text as itself
   * ({@code odd}, with both longs 0).
   */
  record IdKey(long hi, long lo, String odd) {
    /** A canonical id's two longs, read in the pass that checks it is one. */
    static IdKey of(String id) {
      if (id != null && id.length() == 36) {
        long hi = 0;
        long lo = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
          char c = id.charAt(i);
          if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
              return new IdKey(0, 0, id);
            }
            continue;
          }
          int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
          if (v < 0) {
            return new IdKey(0, 0, id);
          }
          if (digits++ < 16) {
            hi = hi << 4 | v;
          } else {
            lo = lo << 4 | v;
          }
        }
        return new IdKey(hi, lo, null);
      }
      return new IdKey(0, 0, id);
    }
  }

  /** Row {@code r}'s id as ASCII when it is a canonical UUID; null for an odd id. */
  byte[] uuidAscii(int r) {
    long hi = idHi[r];
    long lo = idLo[r];
    if (hi == 0 && lo == 0 && oddIds.containsKey(r)) {
      return null;
    }
    byte[] out = new byte[36];
    int at = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[at++] = '-';
      }
      long word = i < 16 ? hi : lo;
      int v = (int) (word >>> (60 - 4 * (i & 15))) & 0xf;
      out[at++] = (byte) (v < 10 ? '0' + v : 'a' + v - 10);
    }
    return out;
  }

  /** Lower-case hex in 8-4-4-4-12: ids whose string order equals the order of their two longs. */
  static boolean canonical(String id) {
    return id != null && IdKey.of(id).odd() == null;
  }

  /**
   * Text in the store's order: code points, which is UTF-8 byte order (SQLite's BINARY collation,
   * PostgreSQL's C collation). {@link String#compareTo} differs for characters above U+FFFF.
   */
  static int compareText(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean sx = Character.isSurrogate(x);
        boolean sy = Character.isSurrogate(y);
        if (sx != sy) {
          return sx ? 1 : -1; // a surrogate pair encodes a code point above every BMP one
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Whether a string has no unpaired surrogate (its UTF-8 then orders as its code points). */
  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * UTF-8, with a lone surrogate written as its own 3 bytes (WTF-8) rather than replaced, so that
   * two different names never share bytes.
   */
  static byte[] utf8(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    byte[] out = new byte[n];
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out[k++] = (byte) c;
      } else if (c < 0x800) {
        out[k++] = (byte) (0xc0 | (c >> 6));
        out[k++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out[k++] = (byte) (0xf0 | (cp >> 18));
        out[k++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        out[k++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        out[k++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        out[k++] = (byte) (0xe0 | (c >> 12));
        out[k++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        out[k++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return out;
  }

  /**
   * Strings as int codes, shared by every snapshot of a lineage. Codes are only added; readers
   * look up without a lock (an unknown string has no row, so {@link #lookup} says -2).
   */
  static final class Dictionary {
    private final ConcurrentHashMap<String, Integer> codes = new ConcurrentHashMap<>();
    private volatile String[] strings = new String[64];
    private int size;

    /** The code of {@code s}, added if new (writer only); -1 for null. */
    int code(String s) {
      if (s == null) {
        return -1;
      }
      Integer known = codes.get(s);
      if (known != null) {
        return known;
      }
      String[] table = strings;
      if (size == table.length) {
        table = Arrays.copyOf(table, size * 2);
      }
      table[size] = s;
      strings = table; // publish the table before the code
      codes.put(s, size);
      return size++;
    }

    /** The code of {@code s}, or -2 when no row has it (never equal to a row's code). */
    int lookup(String s) {
      if (s == null) {
        return -2;
      }
      Integer known = codes.get(s);
      return known == null ? -2 : known;
    }

    String string(int code) {
      return code < 0 ? null : strings[code];
    }

    int size() {
      return size;
    }
  }
}
