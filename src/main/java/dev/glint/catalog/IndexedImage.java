package dev.glint.catalog;

import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One image as the in-memory list ({@link ImageIndex}) keeps it: the fields that visibility,
 * filters and sorts read, and nothing else (no checksums, no member dates). A canonical UUID id is
 * two longs; strings are shared through the index's dictionary. Immutable: a change makes a new
 * one, so identity tells versions apart ({@code equals} is identity on purpose).
 */
final class IndexedImage {
  static final long NULL = Long.MIN_VALUE;

  final long idHi;
  final long idLo;
  /** The id when it is not a canonical lower-case UUID, else null. */
  final String oddId;
  final String owner;
  final String name;
  final ImageStatus status;
  final Visibility visibility;
  final boolean isProtected;
  final boolean osHidden;
  final int minDisk;
  final int minRam;
  final long size;
  final long virtualSize;
  final String diskFormat;
  final String containerFormat;
  final long createdAt;
  final long updatedAt;
  final long deletedAt;
  /**
   * The properties the compute API filters on ({@code type}, {@code server}): key, value, ...
   * Others are left out to keep a million images small; a list filtering on them goes to the store
   * ({@link IndexQuery}).
   */
  final String[] properties;
  /** Sorted. */
  final String[] tags;
  /** member project, status wire, ...; may be empty. */
  final String[] members;

  private IndexedImage(Image i, List<ImageMember> members, Dictionary d) {
    String id = i.id();
    if (canonical(id)) {
      UUID u = UUID.fromString(id);
      idHi = u.getMostSignificantBits();
      idLo = u.getLeastSignificantBits();
      oddId = null;
    } else {
      idHi = 0;
      idLo = 0;
      oddId = id;
    }
    owner = d.intern(i.owner());
    name = d.intern(i.name());
    status = i.status();
    visibility = i.visibility();
    isProtected = i.isProtected();
    osHidden = i.osHidden();
    minDisk = i.minDisk();
    minRam = i.minRam();
    size = i.size() == null ? NULL : i.size();
    virtualSize = i.virtualSize() == null ? NULL : i.virtualSize();
    diskFormat = d.intern(i.diskFormat());
    containerFormat = d.intern(i.containerFormat());
    createdAt = micros(i.createdAt());
    updatedAt = micros(i.updatedAt());
    deletedAt = i.deletedAt() == null ? NULL : micros(i.deletedAt());
    int kept = 0;
    for (String key : KEPT_PROPERTIES) {
      kept += i.properties().containsKey(key) ? 1 : 0;
    }
    properties = kept == 0 ? NONE : new String[kept * 2];
    int n = 0;
    for (String key : KEPT_PROPERTIES) {
      String value = i.properties().get(key);
      if (value != null) {
        properties[n++] = key;
        properties[n++] = key.equals("instance_uuid") ? value : d.intern(value);
      }
    }
    tags = i.tags().isEmpty() ? NONE : i.tags().stream().map(d::intern).toArray(String[]::new);
    this.members = members.isEmpty() ? NONE : new String[members.size() * 2];
    n = 0;
    for (ImageMember m : members) {
      this.members[n++] = d.intern(m.memberId());
      this.members[n++] = m.status().wire();
    }
  }

  /** The properties kept (sorted): what Nova's {@code type} and {@code server} filters read. */
  static final List<String> KEPT_PROPERTIES = List.of("image_type", "instance_uuid");

  private static final String[] NONE = new String[0];

  static IndexedImage of(Image image, List<ImageMember> members, Dictionary dictionary) {
    return new IndexedImage(image, members, dictionary);
  }

  String id() {
    return oddId != null ? oddId : new UUID(idHi, idLo).toString();
  }

  boolean sameId(IndexedImage o) {
    return oddId == null && o.oddId == null
        ? idHi == o.idHi && idLo == o.idLo
        : id().equals(o.id());
  }

  String property(String key) {
    for (int i = 0; i < properties.length; i += 2) {
      if (properties[i].equals(key)) {
        return properties[i + 1];
      }
    }
    return null;
  }

  boolean hasTag(String tag) {
    for (String t : tags) {
      if (t.equals(tag)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code project} is a member, with {@code status} (any when null). */
  boolean member(String project, MemberStatus status) {
    if (project == null) {
      return false;
    }
    for (int i = 0; i < members.length; i += 2) {
      if (members[i].equals(project) && (status == null || members[i + 1].equals(status.wire()))) {
        return true;
      }
    }
    return false;
  }

  boolean deleted() {
    return deletedAt != NULL || status.isDeleted();
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** Lower-case hex in 8-4-4-4-12: ids whose string order equals the order of their two longs. */
  static boolean canonical(String id) {
    if (id == null || id.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = id.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  // ---- order ----------------------------------------------------------------------------------

  /** Ids in the store's order (bytes of UTF-8; for canonical UUIDs, the two longs unsigned). */
  static int compareIds(IndexedImage a, IndexedImage b) {
    if (a.oddId == null && b.oddId == null) {
      int c = Long.compareUnsigned(a.idHi, b.idHi);
      return c != 0 ? c : Long.compareUnsigned(a.idLo, b.idLo);
    }
    return compareText(a.id(), b.id());
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

  /** The comparator of a list's sort (nulls sort as '' or 0, as {@code store.ListSql} writes). */
  static Comparator<IndexedImage> order(List<Sort> sort) {
    Comparator<IndexedImage> c = null;
    for (Sort s : sort) {
      Comparator<IndexedImage> key = key(s.key());
      if (!s.ascending()) {
        key = key.reversed();
      }
      c = c == null ? key : c.thenComparing(key);
    }
    return c;
  }

  private static Comparator<IndexedImage> key(SortKey key) {
    return switch (key) {
      case NAME -> (a, b) -> compareText(orEmpty(a.name), orEmpty(b.name));
      case STATUS -> (a, b) -> compareText(a.status.wire(), b.status.wire());
      case CONTAINER_FORMAT ->
          (a, b) -> compareText(orEmpty(a.containerFormat), orEmpty(b.containerFormat));
      case DISK_FORMAT -> (a, b) -> compareText(orEmpty(a.diskFormat), orEmpty(b.diskFormat));
      case SIZE -> (a, b) -> Long.compare(orZero(a.size), orZero(b.size));
      case ID -> IndexedImage::compareIds;
      case CREATED_AT -> (a, b) -> Long.compare(a.createdAt, b.createdAt);
      case UPDATED_AT -> (a, b) -> Long.compare(a.updatedAt, b.updatedAt);
    };
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static long orZero(long v) {
    return v == NULL ? 0 : v;
  }

  /** Strings shared across the index: owners, names, formats, property keys and values. */
  static final class Dictionary {
    private final java.util.HashMap<String, String> seen = new java.util.HashMap<>();

    String intern(String s) {
      if (s == null) {
        return null;
      }
      String known = seen.putIfAbsent(s, s);
      return known == null ? s : known;
    }
  }
}
