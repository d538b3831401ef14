package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The columnar snapshot's orders after many patches equal those of a snapshot built from scratch
 * from the same images: patching (new rows for changed images, the old rows dropped from every
 * order and group) loses nothing and keeps nothing stale.
 */
class IndexSnapshotTest {
  private static final String[] OWNERS = {"p1", "p2", "p3", null};
  private static final String[] NAMES = {"a", "b", "", "𝒳-math", "é", null, "zz"};
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private final Random random = new Random(42);

  @Test
  void patchedSnapshotsEqualOnesBuiltFromScratch() {
    Map<String, Image> images = new LinkedHashMap<>();
    Map<String, List<ImageMember>> members = new HashMap<>();
    for (int n = 0; n < 300; n++) {
      Image i = image(UUID.randomUUID().toString());
      images.put(i.id(), i);
      members.put(i.id(), members(i.id()));
    }
    IndexColumns c = IndexColumns.create(16); // small: appends grow the columns too
    for (Image i : images.values()) {
      c = c.append(i, members.get(i.id()));
    }
    IndexSnapshot s = IndexSnapshot.build(1, c);
    List<ListQuery.Sort> byName =
        List.of(new ListQuery.Sort(ListQuery.SortKey.NAME, true),
            new ListQuery.Sort(ListQuery.SortKey.ID, false));
    assertThat(s.sortedBy(byName)).isNotNull();
    List<String> ids = new ArrayList<>(images.keySet());
    for (int round = 0; round < 60; round++) {
      int changes = 1 + random.nextInt(12);
      Map<String, Image> changed = new LinkedHashMap<>();
      for (int k = 0; k < changes; k++) {
        String id = random.nextInt(5) == 0 ? odd() : ids.get(random.nextInt(ids.size()));
        changed.put(id, image(id));
      }
      int[] dropped = new int[changed.size()];
      int[] added = new int[changed.size()];
      int k = 0;
      for (Image i : changed.values()) {
        members.put(i.id(), members(i.id()));
        images.put(i.id(), i);
        if (!ids.contains(i.id())) {
          ids.add(i.id());
        }
        c = c.append(i, members.get(i.id()));
        dropped[k] = s.find(i.id());
        added[k++] = c.rows - 1;
      }
      s = s.patch(round + 2, c, dropped, added);

      IndexColumns fresh = IndexColumns.create(images.size());
      for (Image i : images.values()) {
        fresh = fresh.append(i, members.get(i.id()));
      }
      IndexSnapshot built = IndexSnapshot.build(round + 2, fresh);
      assertSame(s, built, x -> x.all);
      assertSame(s, built, x -> x.byId);
      assertSame(s, built, x -> x.byUpdated);
      assertSame(s, built, x -> x.publicRows);
      assertSame(s, built, x -> x.communityRows);
      assertSame(s, built, x -> x.byName);
      assertSame(s, built, x -> x.byServer);
      assertSame(s, built, x -> x.sortedBy(byName));
      for (String p : new String[] {"p1", "p2", "p3", "m1", "m2"}) {
        assertThat(ids(s, group(s, s.byOwner, p))).as("owner " + p)
            .isEqualTo(ids(built, group(built, built.byOwner, p)));
        assertThat(ids(s, group(s, s.byMember, p))).as("member " + p)
            .isEqualTo(ids(built, group(built, built.byMember, p)));
      }
      for (String id : ids) {
        assertThat(s.columns.id(s.find(id))).isEqualTo(id);
      }
      assertThat(s.find(UUID.randomUUID().toString())).isEqualTo(-1);
    }
  }

  private static int[] group(IndexSnapshot s, IndexSnapshot.Groups g, String key) {
    int code = s.columns.dictionary.lookup(key);
    return Arrays.copyOfRange(g.rows, g.from(code), g.to(code));
  }

  private static void assertSame(
      IndexSnapshot patched, IndexSnapshot built, Function<IndexSnapshot, int[]> order) {
    assertThat(ids(patched, order.apply(patched))).isEqualTo(ids(built, order.apply(built)));
  }

  private static List<String> ids(IndexSnapshot s, int[] rows) {
    List<String> out = new ArrayList<>();
    for (int r : rows) {
      out.add(s.columns.id(r) + "/" + s.columns.updated[r]);
    }
    return out;
  }

  private String odd() {
    return "odd-" + random.nextInt(20);
  }

  private List<ImageMember> members(String id) {
    List<ImageMember> out = new ArrayList<>();
    if (random.nextBoolean()) {
      out.add(new ImageMember(id, "m1", MemberStatus.values()[random.nextInt(3)], BASE, BASE));
    }
    if (random.nextInt(3) == 0) {
      out.add(new ImageMember(id, "m2", MemberStatus.ACCEPTED, BASE, BASE));
    }
    return out;
  }

  private Image image(String id) {
    Instant created = BASE.plus(random.nextInt(50), ChronoUnit.HOURS);
    Instant updated = created.plus(random.nextInt(5000), ChronoUnit.MINUTES);
    boolean deleted = random.nextInt(8) == 0;
    Map<String, String> props = new HashMap<>();
    if (random.nextInt(3) == 0) {
      props.put("instance_uuid", random.nextBoolean() ? "11111111-1111-4111-8111-111111111111"
          : random.nextBoolean() ? "ODD-server" : UUID.randomUUID().toString());
      props.put("image_type", "snapshot");
    }
    return new Image(
        id, OWNERS[random.nextInt(OWNERS.length)], NAMES[random.nextInt(NAMES.length)],
        deleted ? ImageStatus.DELETED : ImageStatus.ACTIVE,
        Visibility.values()[random.nextInt(Visibility.values().length)], false,
        random.nextInt(10) == 0, 0, 0, random.nextBoolean() ? null : (long) random.nextInt(5000),
        null, "raw", "bare", null, null, null, created, updated, deleted ? updated : null, props,
        random.nextBoolean() ? Set.of("gold") : Set.of());
  }
}
