package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.ListVisibility;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The walks of {@link IndexQuery} (merged per-project orders, a name's or a server's rows, the
 * gathered recent changes, a project's few candidates sorted, the catalog's order for a sort
 * walked with the visibility test, markers anywhere, the previous page's marker) give the page
 * that filtering every row in the sort's order gives. The SQL side of the same answers is {@code
 * ImageIndexEquivalenceTest}'s; this one is quick and covers many more shapes of catalog.
 */
class IndexQueryTest {
  private static final String[] PROJECTS = {"p1", "p2", "p3", "m1"};
  private static final String[] NAMES = {"a", "b", "", "𝒳-math", "é", null, "zz"};
  private static final String SERVER = "11111111-1111-4111-8111-111111111111";
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<List<Sort>> SORTS =
      List.of(
          ListQuery.NEWEST_FIRST,
          List.of(new Sort(SortKey.NAME, true), new Sort(SortKey.CREATED_AT, false),
              new Sort(SortKey.ID, false)),
          List.of(new Sort(SortKey.NAME, false), new Sort(SortKey.ID, true)),
          List.of(new Sort(SortKey.SIZE, true), new Sort(SortKey.ID, true)),
          List.of(new Sort(SortKey.UPDATED_AT, false), new Sort(SortKey.ID, false)),
          List.of(new Sort(SortKey.STATUS, true), new Sort(SortKey.DISK_FORMAT, false),
              new Sort(SortKey.ID, true)));

  private final Random random = new Random(7);

  @Test
  void pagesEqualAFilterOfEveryRowInTheSortsOrder() {
    for (int catalog = 0; catalog < 4; catalog++) {
      int size = new int[] {0, 30, 600, 3000}[catalog];
      IndexColumns c = IndexColumns.create(8);
      List<String> ids = new ArrayList<>();
      for (int n = 0; n < size; n++) {
        Image i = image();
        ids.add(i.id());
        c = c.append(i, members(i.id()));
      }
      IndexSnapshot s = IndexSnapshot.build(1, c);
      ids.add(UUID.randomUUID().toString()); // a marker no image has
      for (int q = 0; q < 1500; q++) {
        check(s, ids, q);
      }
    }
  }

  private void check(IndexSnapshot s, List<String> ids, int n) {
    boolean admin = random.nextInt(5) == 0;
    String project = random.nextInt(8) == 0 ? null : PROJECTS[random.nextInt(PROJECTS.length)];
    ImageRepository.Scope scope = new ImageRepository.Scope(project, admin);
    ListQuery.Builder b = ListQuery.builder();
    b.sort(SORTS.get(random.nextInt(SORTS.size())));
    b.visibility(
        random.nextBoolean()
            ? ListVisibility.DEFAULT
            : ListVisibility.values()[random.nextInt(ListVisibility.values().length)]);
    b.memberStatus(
        random.nextInt(4) == 0 ? null : MemberStatus.values()[random.nextInt(3)]);
    b.limit(random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(30));
    b.previous(true);
    if (random.nextInt(3) == 0) {
      b.rows(ListQuery.Rows.UNDELETED);
    }
    if (random.nextInt(3) == 0) {
      b.changesSince(BASE.plus(random.nextInt(60), ChronoUnit.HOURS));
    }
    List<Condition> conditions = new ArrayList<>();
    if (random.nextInt(4) == 0) {
      conditions.add(Condition.of(Field.NAME, Op.EQ, NAMES[random.nextInt(NAMES.length - 2)]));
    }
    if (random.nextInt(6) == 0) {
      conditions.add(Condition.of(Field.SIZE, Op.GTE, (long) random.nextInt(5000)));
    }
    conditions.forEach(b::where);
    if (random.nextInt(8) == 0) {
      b.osHidden(true);
    }
    if (random.nextInt(5) == 0) {
      b.properties(Map.of("instance_uuid", SERVER));
    } else if (random.nextInt(6) == 0) {
      b.properties(Map.of("image_type", "snapshot"));
    }
    if (random.nextInt(6) == 0) {
      b.tags(Set.of("gold"));
    }
    if (!ids.isEmpty() && random.nextBoolean()) {
      b.marker(ids.get(random.nextInt(ids.size())), ListQuery.MarkerRule.INVISIBLE_IS_UNKNOWN);
    }
    ListQuery query = b.build();
    Instant deletedSince = random.nextBoolean() ? null : BASE.plus(30, ChronoUnit.HOURS);

    IndexQuery.Result r = IndexQuery.run(s, scope, query, deletedSince);
    IntPredicate where = IndexQuery.where(s, scope, query, deletedSince);
    String what = "query " + n + " by " + scope + ": " + query;
    assertThat(r).as(what).isNotNull();

    // Every row in the sort's order, filtered; the page after the marker's place.
    IndexColumns c = s.columns;
    int[] all = s.all.clone();
    IntSort.sort(all, c.order(query.sort()));
    int marker = query.marker() == null ? -1 : s.find(query.marker());
    assertThat(r.marker()).as(what).isEqualTo(marker);
    if (query.marker() != null && marker < 0) {
      assertThat(r.page()).as(what).isEmpty();
      return;
    }
    int at = 0;
    if (marker >= 0) {
      while (all[at] != marker) {
        at++;
      }
    }
    List<String> expected = new ArrayList<>();
    int k = marker >= 0 ? at + 1 : 0;
    for (; k < all.length && expected.size() <= query.limit(); k++) {
      if (where.test(all[k])) {
        expected.add(c.id(all[k]));
      }
    }
    boolean more = expected.size() > query.limit();
    if (more) {
      expected.remove(expected.size() - 1);
    }
    String previous = null;
    if (marker >= 0) {
      int seen = 0;
      previous = "";
      for (int j = at - 1; j >= 0; j--) {
        if (where.test(all[j]) && ++seen == query.limit()) {
          previous = c.id(all[j]);
          break;
        }
      }
    }
    List<String> got = new ArrayList<>();
    for (int row : r.page()) {
      got.add(c.id(row));
    }
    assertThat(got).as(what).isEqualTo(expected);
    assertThat(r.more()).as(what).isEqualTo(more);
    assertThat(r.previous()).as(what).isEqualTo(previous);
  }

  private List<ImageMember> members(String id) {
    List<ImageMember> out = new ArrayList<>();
    for (String p : PROJECTS) {
      if (random.nextInt(6) == 0) {
        out.add(new ImageMember(id, p, MemberStatus.values()[random.nextInt(3)], BASE, BASE));
      }
    }
    return out;
  }

  private Image image() {
    Instant created = BASE.plus(random.nextInt(40), ChronoUnit.HOURS); // ties on purpose
    Instant updated = created.plus(random.nextInt(1500), ChronoUnit.MINUTES);
    boolean deleted = random.nextInt(8) == 0;
    Map<String, String> props = new HashMap<>();
    if (random.nextInt(3) == 0) {
      props.put("instance_uuid", random.nextBoolean() ? SERVER : UUID.randomUUID().toString());
      props.put("image_type", "snapshot");
    }
    ImageStatus status =
        deleted ? ImageStatus.DELETED : ImageStatus.values()[random.nextInt(ImageStatus.values().length)];
    return new Image(
        random.nextInt(10) == 0 ? "odd-" + UUID.randomUUID() : UUID.randomUUID().toString(),
        random.nextInt(10) == 0 ? null : PROJECTS[random.nextInt(PROJECTS.length)],
        NAMES[random.nextInt(NAMES.length)], status,
        Visibility.values()[random.nextInt(Visibility.values().length)], false,
        random.nextInt(10) == 0, 0, 0, random.nextBoolean() ? null : (long) random.nextInt(5000),
        null, random.nextBoolean() ? "raw" : "qcow2", "bare", null, null, null, created, updated,
        deleted ? updated : null, props, random.nextBoolean() ? Set.of("gold") : Set.of());
  }
}
