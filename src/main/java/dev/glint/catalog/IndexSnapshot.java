package dev.glint.catalog;

import dev.glint.catalog.ListQuery.Sort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The in-memory list at one catalog generation: every stored image (deleted ones included, as the
 * store has them) in the arrays a list walks. Immutable; a change makes a new snapshot that shares
 * the unchanged images and the arrays no change touched.
 *
 * <p>Arrays in list order (newest first): {@link #all}; per owner; per member project; the public
 * and community images; per name and per {@code instance_uuid} (the compute API's {@code name} and
 * {@code server} filters). Plus {@link #byId} for markers, {@link #byUpdated} for {@code
 * changes-since}, and, built on first use and kept up to date afterwards, one array per other
 * sort a caller asked for.
 */
final class IndexSnapshot {
  static final Comparator<IndexedImage> NEWEST_FIRST = IndexedImage.order(ListQuery.NEWEST_FIRST);
  static final Comparator<IndexedImage> BY_ID = IndexedImage::compareIds;
  /** Newest change first. */
  static final Comparator<IndexedImage> BY_UPDATED =
      Comparator.<IndexedImage>comparingLong(i -> i.updatedAt).reversed().thenComparing(BY_ID);
  /** How many sorts other than the default one keep an array (each costs 4 bytes per image). */
  static final int MAX_SORTS = 6;

  private static final IndexedImage[] NONE = new IndexedImage[0];

  final long generation;
  final IndexedImage[] all;
  final IndexedImage[] byId;
  final IndexedImage[] byUpdated;
  final IndexedImage[] publicImages;
  final IndexedImage[] communityImages;
  final Map<String, IndexedImage[]> byOwner;
  final Map<String, IndexedImage[]> byMember;
  final Map<String, IndexedImage[]> byName;
  final Map<String, IndexedImage[]> byServer;
  private final ConcurrentHashMap<List<Sort>, IndexedImage[]> sorted;

  private IndexSnapshot(
      long generation,
      IndexedImage[] all,
      IndexedImage[] byId,
      IndexedImage[] byUpdated,
      IndexedImage[] publicImages,
      IndexedImage[] communityImages,
      Map<String, IndexedImage[]> byOwner,
      Map<String, IndexedImage[]> byMember,
      Map<String, IndexedImage[]> byName,
      Map<String, IndexedImage[]> byServer,
      ConcurrentHashMap<List<Sort>, IndexedImage[]> sorted) {
    this.generation = generation;
    this.all = all;
    this.byId = byId;
    this.byUpdated = byUpdated;
    this.publicImages = publicImages;
    this.communityImages = communityImages;
    this.byOwner = byOwner;
    this.byMember = byMember;
    this.byName = byName;
    this.byServer = byServer;
    this.sorted = sorted;
  }

  static IndexSnapshot build(long generation, List<IndexedImage> images) {
    IndexedImage[] all = images.toArray(NONE);
    Arrays.parallelSort(all, NEWEST_FIRST);
    IndexedImage[] byId = images.toArray(NONE);
    Arrays.parallelSort(byId, BY_ID);
    IndexedImage[] byUpdated = images.toArray(NONE);
    Arrays.parallelSort(byUpdated, BY_UPDATED);
    return new IndexSnapshot(
        generation,
        all,
        byId,
        byUpdated,
        filter(all, i -> i.visibility == Visibility.PUBLIC),
        filter(all, i -> i.visibility == Visibility.COMMUNITY),
        group(all, i -> single(i.owner)),
        group(all, IndexSnapshot::memberProjects),
        group(all, i -> single(i.name)),
        group(all, i -> single(i.property("instance_uuid"))),
        new ConcurrentHashMap<>());
  }

  /**
   * This snapshot with {@code changed} images replacing those with the same id (or added), at
   * {@code generation}. Cost: one pass over the whole-catalog arrays, and over the per-key arrays
   * of the keys the changed images had or have.
   */
  IndexSnapshot patch(long generation, Collection<IndexedImage> changed) {
    if (changed.isEmpty()) {
      return new IndexSnapshot(
          generation, all, byId, byUpdated, publicImages, communityImages, byOwner, byMember,
          byName, byServer, sorted);
    }
    Set<IndexedImage> gone = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    List<IndexedImage> before = new ArrayList<>();
    for (IndexedImage c : changed) {
      IndexedImage old = find(c);
      if (old != null) {
        gone.add(old);
        before.add(old);
      }
    }
    List<IndexedImage> both = new ArrayList<>(before);
    both.addAll(changed);
    boolean publicTouched = both.stream().anyMatch(i -> i.visibility == Visibility.PUBLIC);
    boolean communityTouched = both.stream().anyMatch(i -> i.visibility == Visibility.COMMUNITY);
    ConcurrentHashMap<List<Sort>, IndexedImage[]> sorts = new ConcurrentHashMap<>();
    sorted.forEach(
        (sort, array) -> sorts.put(sort, replace(array, gone, changed, IndexedImage.order(sort))));
    return new IndexSnapshot(
        generation,
        replace(all, gone, changed, NEWEST_FIRST),
        replace(byId, gone, changed, BY_ID),
        replace(byUpdated, gone, changed, BY_UPDATED),
        publicTouched
            ? replace(publicImages, gone, only(changed, Visibility.PUBLIC), NEWEST_FIRST)
            : publicImages,
        communityTouched
            ? replace(communityImages, gone, only(changed, Visibility.COMMUNITY), NEWEST_FIRST)
            : communityImages,
        regroup(byOwner, both, gone, changed, i -> single(i.owner)),
        regroup(byMember, both, gone, changed, IndexSnapshot::memberProjects),
        regroup(byName, both, gone, changed, i -> single(i.name)),
        regroup(byServer, both, gone, changed, i -> single(i.property("instance_uuid"))),
        sorts);
  }

  /** The stored image with this id, deleted ones included. */
  IndexedImage find(String id) {
    if (IndexedImage.canonical(id)) {
      java.util.UUID u = java.util.UUID.fromString(id);
      return find(u.getMostSignificantBits(), u.getLeastSignificantBits(), null);
    }
    return find(0, 0, id);
  }

  private IndexedImage find(IndexedImage like) {
    return find(like.idHi, like.idLo, like.oddId);
  }

  private IndexedImage find(long hi, long lo, String odd) {
    int low = 0;
    int high = byId.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      IndexedImage m = byId[mid];
      int c;
      if (odd == null && m.oddId == null) {
        c = Long.compareUnsigned(m.idHi, hi);
        if (c == 0) {
          c = Long.compareUnsigned(m.idLo, lo);
        }
      } else {
        c =
            IndexedImage.compareText(
                m.id(), odd != null ? odd : new java.util.UUID(hi, lo).toString());
      }
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return m;
      }
    }
    return null;
  }

  /**
   * The array of every image in {@code sort}'s order: {@link #all} for the default order, else one
   * built on first use; null when too many sorts already keep one (the caller asks the store).
   */
  IndexedImage[] sortedBy(List<Sort> sort) {
    if (sort.equals(ListQuery.NEWEST_FIRST)) {
      return all;
    }
    IndexedImage[] known = sorted.get(sort);
    if (known != null || sorted.size() >= MAX_SORTS) {
      return known;
    }
    return sorted.computeIfAbsent(
        sort,
        s -> {
          IndexedImage[] array = all.clone();
          Arrays.sort(array, IndexedImage.order(s));
          return array;
        });
  }

  // ---- building blocks ------------------------------------------------------------------------

  private static List<String> single(String key) {
    return key == null ? List.of() : List.of(key);
  }

  private static List<String> memberProjects(IndexedImage i) {
    if (i.members.length == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(i.members.length / 2);
    for (int n = 0; n < i.members.length; n += 2) {
      out.add(i.members[n]);
    }
    return out;
  }

  private static IndexedImage[] filter(
      IndexedImage[] array, java.util.function.Predicate<IndexedImage> keep) {
    return Arrays.stream(array).filter(keep).toArray(IndexedImage[]::new);
  }

  private static List<IndexedImage> only(Collection<IndexedImage> images, Visibility v) {
    return images.stream().filter(i -> i.visibility == v).toList();
  }

  private static Map<String, IndexedImage[]> group(
      IndexedImage[] ordered, Function<IndexedImage, List<String>> keys) {
    Map<String, List<IndexedImage>> lists = new HashMap<>();
    for (IndexedImage i : ordered) {
      for (String k : keys.apply(i)) {
        lists.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      }
    }
    Map<String, IndexedImage[]> out = new HashMap<>(lists.size() * 2);
    lists.forEach((k, v) -> out.put(k, v.toArray(NONE)));
    return out;
  }

  /** A copy of {@code map} whose arrays for the keys of {@code both} drop the gone and add the new. */
  private static Map<String, IndexedImage[]> regroup(
      Map<String, IndexedImage[]> map,
      List<IndexedImage> both,
      Set<IndexedImage> gone,
      Collection<IndexedImage> changed,
      Function<IndexedImage, List<String>> keys) {
    java.util.Set<String> touched = new java.util.HashSet<>();
    both.forEach(i -> touched.addAll(keys.apply(i)));
    if (touched.isEmpty()) {
      return map;
    }
    Map<String, IndexedImage[]> out = new HashMap<>(map);
    for (String key : touched) {
      List<IndexedImage> added = changed.stream().filter(i -> keys.apply(i).contains(key)).toList();
      IndexedImage[] next = replace(map.getOrDefault(key, NONE), gone, added, NEWEST_FIRST);
      if (next.length == 0) {
        out.remove(key);
      } else {
        out.put(key, next);
      }
    }
    return out;
  }

  /**
   * {@code array} (in {@code order}) without {@code gone}, with {@code added} merged in: binary
   * searches for the k changed places, then block copies, so a change to a million-image array
   * costs one memory copy rather than a million comparisons.
   */
  static IndexedImage[] replace(
      IndexedImage[] array,
      Set<IndexedImage> gone,
      Collection<IndexedImage> added,
      Comparator<IndexedImage> order) {
    int[] drop =
        gone.stream()
            .mapToInt(
                g -> {
                  int p = lowerBound(array, g, order);
                  return p < array.length && array[p] == g ? p : -1;
                })
            .filter(p -> p >= 0)
            .sorted()
            .toArray();
    IndexedImage[] in = added.toArray(NONE);
    Arrays.sort(in, order);
    int[] at = new int[in.length];
    for (int j = 0; j < in.length; j++) {
      at[j] = lowerBound(array, in[j], order);
    }
    IndexedImage[] out = new IndexedImage[array.length - drop.length + in.length];
    int s = 0;
    int n = 0;
    int d = 0;
    int j = 0;
    while (true) {
      int nextIn = j < in.length ? at[j] : Integer.MAX_VALUE;
      int nextDrop = d < drop.length ? drop[d] : Integer.MAX_VALUE;
      int next = Math.min(Math.min(nextIn, nextDrop), array.length);
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

  /** The first index whose image is not before {@code key} in {@code order}. */
  static int lowerBound(IndexedImage[] array, IndexedImage key, Comparator<IndexedImage> order) {
    int low = 0;
    int high = array.length;
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
}
