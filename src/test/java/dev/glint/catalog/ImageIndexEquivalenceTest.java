package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.ListVisibility;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Rows;
import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import dev.glint.testing.TestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-memory list ({@link ImageIndex}) against the store's SQL ({@code store.ListSql}), on a
 * random catalog, for thousands of random queries: any filter, sort, marker, limit and caller,
 * before and just after writes. Each answer (page, {@code more}, previous marker, or the refusal)
 * must be the same; since both APIs render from the page, equal pages are equal bytes. Runs on
 * SQLite and, in the PostgreSQL execution, on PostgreSQL.
 */
class ImageIndexEquivalenceTest {
  static final long SEED = Long.getLong("glint.equivalence.seed", 20261202L);
  static final int QUERIES = Integer.getInteger("glint.equivalence.queries", 2000);
  static final String[] PROJECTS = {
    "aaaa0000aaaa0000aaaa0000aaaa0000", "bbbb1111bbbb1111bbbb1111bbbb1111",
    "cccc2222cccc2222cccc2222cccc2222", "dddd3333dddd3333dddd3333dddd3333"
  };
  /** Names chosen to probe the order: case, a prefix, unicode, a code point above U+FFFF. */
  static final String[] NAMES = {
    "cirros", "Cirros", "cirros-0.6", "ubuntu", "zeta", "émile", "\uD835\uDCB3-math", "\uFF5Ewide",
    "", null
  };
  static final String[] SERVERS = {
    "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
  };

  /**
   * Sorts clients use (Glance's sort_key/sort_dir with its implied created_at and id): the index
   * keeps an array for up to {@link IndexSnapshot#MAX_SORTS} of them, and the store answers others.
   */
  static final List<List<Sort>> SORTS =
      List.of(
          List.of(new Sort(SortKey.NAME, true), new Sort(SortKey.CREATED_AT, false), new Sort(SortKey.ID, false)),
          List.of(new Sort(SortKey.NAME, false), new Sort(SortKey.ID, true)),
          List.of(new Sort(SortKey.SIZE, true), new Sort(SortKey.STATUS, false), new Sort(SortKey.ID, false)),
          List.of(new Sort(SortKey.UPDATED_AT, false), new Sort(SortKey.ID, false)),
          List.of(new Sort(SortKey.DISK_FORMAT, true), new Sort(SortKey.CONTAINER_FORMAT, false), new Sort(SortKey.ID, true)),
          List.of(new Sort(SortKey.ID, true)));

  static TestServer server;
  static CatalogService catalog;
  static final Random random = new Random(SEED);
  static final List<String> ids = new ArrayList<>();
  static final Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(40, ChronoUnit.DAYS);

  @BeforeAll
  static void seed() throws InterruptedException {
    // The seeded saving and importing images hold no upload lease and are days old: with the
    // default 60 s lease the node's sweep puts them back to queued mid-test, between the index's
    // answer and the store's. A lease longer than the catalog's age keeps them as seeded.
    server = TestServer.start(Map.of("upload.lease.seconds", String.valueOf(366 * 86400)));
    catalog = server.app().catalog();
    List<Image> batch = new ArrayList<>();
    for (int n = 0; n < 400; n++) {
      batch.add(randomImage(n));
    }
    catalog.addAll(batch);
    for (Image image : batch) {
      ids.add(image.id());
      if (image.visibility() == Visibility.SHARED && image.owner() != null && !image.deleted()) {
        CatalogScope owner = new CatalogScope(image.owner(), List.of("member"), false);
        for (String p : PROJECTS) {
          if (!p.equals(image.owner()) && random.nextInt(3) == 0) {
            catalog.addMember(owner, image.id(), p);
            MemberStatus status = MemberStatus.values()[random.nextInt(MemberStatus.values().length)];
            if (status != MemberStatus.PENDING) {
              catalog.updateMember(new CatalogScope(p, List.of("member"), false), image.id(), p, status);
            }
          }
        }
      }
    }
    awaitIndex();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static void awaitIndex() throws InterruptedException {
    for (int i = 0; i < 600 && !catalog.index().ready(); i++) {
      Thread.sleep(50);
    }
    assertThat(catalog.index().ready()).as("index caught up").isTrue();
  }

  @Test
  void randomQueriesGiveTheStoresAnswers() {
    int answered = 0;
    for (int n = 0; n < QUERIES; n++) {
      answered += compare(n) ? 1 : 0;
    }
    // The index must really answer: it leaves only filters on checksums and on properties other
    // than the compute API's (os_distro here), and further sorts, to the store.
    assertThat(answered).isGreaterThan(QUERIES * 90 / 100);
  }

  @Test
  void justAfterEachWriteTheIndexHasItAndStillAgrees() {
    for (int n = 0; n < 120; n++) {
      write();
      // Read-your-writes: the write's commit moved the index before it returned.
      assertThat(catalog.index().ready()).as("index current after write " + n).isTrue();
      for (int q = 0; q < 10; q++) {
        compare(100_000 + n * 10 + q);
      }
    }
  }

  @Test
  void aRunSlicesEveryPageAsTheWalkReadsIt() {
    IndexSnapshot snapshot = catalog.index().snapshot();
    assertThat(snapshot).isNotNull();
    int runs = 0;
    for (int n = 0; n < 300; n++) {
      CatalogScope caller = randomCaller();
      ListQuery query = randomQuery();
      if (query.changesSince() != null) {
        continue; // never run: its deleted rows depend on the clock
      }
      ImageRepository.Scope scope = CatalogService.scope(caller);
      int[] rows = IndexQuery.all(snapshot, scope, query, Integer.MAX_VALUE);
      if (rows == null) {
        continue; // a query the store answers
      }
      ListRun run = new ListRun(snapshot, rows);
      runs++;
      List<String> markers = new ArrayList<>();
      for (int p = 0; p < run.size(); p++) {
        markers.add(run.id(p));
      }
      markers.add(null);
      markers.add(ids.get(random.nextInt(ids.size()))); // in the run or not
      markers.add(UUID.randomUUID().toString());
      for (String marker : markers) {
        int limit = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(12);
        ListQuery paged = new ListQuery(query.conditions(), query.properties(), query.tags(),
            query.visibility(), query.memberStatus(), query.osHidden(), query.rows(), null,
            query.sort(), marker, query.markerRule(), limit, query.full(), query.previous());
        String what = caller + " " + paged;
        IndexQuery.Result walked = IndexQuery.run(snapshot, scope, paged, null);
        ListRun.Slice slice = run.page(marker, limit, query.previous());
        boolean inRun = marker == null || markers.indexOf(marker) < run.size();
        if (!inRun) {
          assertThat(slice).as(what).isNull();
          continue;
        }
        List<String> sliced = new ArrayList<>();
        for (int p = slice.from(); p < slice.to(); p++) {
          sliced.add(run.id(p));
        }
        List<String> walkedIds = new ArrayList<>();
        for (int r : walked.page()) {
          walkedIds.add(snapshot.columns.id(r));
        }
        assertThat(sliced).as(what).isEqualTo(walkedIds);
        assertThat(slice.more()).as(what).isEqualTo(walked.more());
        assertThat(run.previous(slice)).as(what).isEqualTo(walked.previous());
      }
    }
    assertThat(runs).isGreaterThan(100);
  }

  @Test
  void aRunIsBuiltInTheBackgroundAndDroppedByTheNextWrite() throws InterruptedException {
    CatalogScope caller = new CatalogScope(PROJECTS[1], List.of("member"), false);
    ListQuery query = ListQuery.builder().marker(ids.get(0), MarkerRule.INVISIBLE_IS_UNKNOWN)
        .limit(5).previous(true).build();
    ListRun run = null;
    for (int i = 0; i < 400 && run == null; i++) {
      run = catalog.listRun(caller, query); // the first asks build it
      Thread.sleep(10);
    }
    assertThat(run).as("a run built in the background").isNotNull();
    assertThat(run.version()).isSameAs(catalog.indexVersion());
    // It holds what a first page of everything shows, in order.
    int all = run.size();
    ListQuery everything = ListQuery.builder().limit(Math.max(1, all)).build();
    List<String> listed = catalog.list(caller, everything).items().stream().map(Image::id).toList();
    List<String> inRun = new ArrayList<>();
    for (int p = 0; p < all; p++) {
      inRun.add(run.id(p));
    }
    assertThat(inRun).isEqualTo(listed);

    Image added = randomImage(1);
    catalog.addAll(List.of(added));
    ids.add(added.id());
    ListRun after = catalog.listRun(caller, query);
    assertThat(after).as("a run of the catalog before the write").isNull();
  }

  /** Runs one random query both ways; returns whether the index answered it. */
  private boolean compare(int n) {
    CatalogScope caller = randomCaller();
    ListQuery query = randomQuery();
    String what = "query " + n + " by " + caller + ": " + query;
    IndexSnapshot snapshot = catalog.index().snapshot();
    boolean indexed =
        snapshot != null
            && IndexQuery.run(snapshot, CatalogService.scope(caller), query, null) != null;
    Object fromIndex = answer(() -> catalog.list(caller, query), query.full());
    Object fromStore = answer(() -> catalog.listFromStore(caller, query), query.full());
    assertThat(fromIndex).as(what).isEqualTo(fromStore);
    return indexed;
  }

  /** A page as ids + more + previous (+ the full images when loaded), or the refusal. */
  private static Object answer(java.util.function.Supplier<Page<Image>> list, boolean full) {
    try {
      Page<Image> page = list.get();
      return List.of(
          page.items().stream().map(i -> full ? i.toString() : shown(i)).toList(),
          page.more(),
          String.valueOf(page.previousMarker()));
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** The image without properties and tags: a summary list (full=false) skips loading them. */
  private static String shown(Image i) {
    return i.id() + " " + i.name() + " " + i.status() + " " + i.visibility() + " " + i.owner()
        + " " + i.updatedAt() + " " + i.deletedAt();
  }

  // ---- random catalog -------------------------------------------------------------------------

  static Image randomImage(int n) {
    String id =
        switch (n % 97) {
          case 3 -> UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
          case 5 -> "odd-id-" + n;
          default -> UUID.randomUUID().toString();
        };
    // Few distinct creation times, so that ties are broken by id.
    Instant created = base.plus(random.nextInt(200) * 3_600L, ChronoUnit.SECONDS)
        .plus(random.nextInt(3) == 0 ? random.nextInt(1_000_000) : 0, ChronoUnit.MICROS);
    Instant updated = created.plus(random.nextInt(40 * 24) * 3_600L, ChronoUnit.SECONDS);
    if (updated.isAfter(Instant.now())) {
      updated = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
    ImageStatus status = ImageStatus.values()[random.nextInt(ImageStatus.values().length)];
    Instant deletedAt = null;
    if (status == ImageStatus.DELETED || random.nextInt(12) == 0) {
      status = ImageStatus.DELETED;
      deletedAt = updated;
    }
    Map<String, String> properties = new TreeMap<>();
    if (random.nextInt(3) == 0) {
      properties.put("image_type", random.nextBoolean() ? "snapshot" : "backup");
      properties.put("instance_uuid", SERVERS[random.nextInt(SERVERS.length)]);
    }
    if (random.nextBoolean()) {
      properties.put("os_distro", random.nextBoolean() ? "ubuntu" : "cirros");
    }
    Set<String> tags = new TreeSet<>();
    if (random.nextInt(3) == 0) {
      tags.add(random.nextBoolean() ? "gold" : "ci");
    }
    Long size = random.nextInt(5) == 0 ? null : (long) random.nextInt(5) * 1024;
    return new Image(
        id,
        random.nextInt(25) == 0 ? null : PROJECTS[random.nextInt(PROJECTS.length)],
        NAMES[random.nextInt(NAMES.length)],
        status,
        Visibility.values()[random.nextInt(Visibility.values().length)],
        random.nextInt(5) == 0,
        random.nextInt(6) == 0,
        random.nextInt(3),
        random.nextInt(3) * 512,
        size,
        size == null ? null : size * 2,
        random.nextBoolean() ? "qcow2" : random.nextBoolean() ? "raw" : null,
        random.nextBoolean() ? "bare" : null,
        size == null ? null : "0123456789abcdef0123456789abcdef",
        size == null ? null : "sha512",
        size == null ? null : "ab".repeat(64),
        created,
        updated,
        deletedAt,
        properties,
        tags);
  }

  static CatalogScope randomCaller() {
    return switch (random.nextInt(7)) {
      case 0 -> new CatalogScope(PROJECTS[0], List.of("admin"), true);
      case 1 -> new CatalogScope(null, List.of("member"), false);
      default -> new CatalogScope(PROJECTS[random.nextInt(PROJECTS.length)], List.of("member"), false);
    };
  }

  static ListQuery randomQuery() {
    ListQuery.Builder q = ListQuery.builder();
    if (random.nextInt(3) == 0) {
      q.visibility(ListVisibility.values()[random.nextInt(ListVisibility.values().length)]);
    }
    if (random.nextInt(4) == 0) {
      int m = random.nextInt(MemberStatus.values().length + 1);
      q.memberStatus(m == MemberStatus.values().length ? null : MemberStatus.values()[m]);
    }
    q.osHidden(random.nextInt(6) == 0);
    if (random.nextInt(3) == 0) {
      q.rows(Rows.UNDELETED);
    }
    if (random.nextInt(4) == 0) {
      q.changesSince(base.plus(random.nextInt(45 * 24) * 3_600L, ChronoUnit.SECONDS));
    }
    int conditions = random.nextInt(3);
    for (int c = 0; c < conditions; c++) {
      q.where(randomCondition());
    }
    if (random.nextInt(5) == 0) {
      switch (random.nextInt(3)) {
        case 0 -> q.property("image_type", "snapshot");
        case 1 -> q.property("instance_uuid", SERVERS[random.nextInt(SERVERS.length)]);
        default -> q.property("os_distro", "ubuntu");
      }
    }
    if (random.nextInt(6) == 0) {
      q.tags(Set.of(random.nextBoolean() ? "gold" : "ci"));
    }
    if (random.nextInt(3) == 0) {
      q.sort(SORTS.get(random.nextInt(SORTS.size())));
    }
    if (random.nextInt(3) != 0) {
      String marker =
          random.nextInt(20) == 0 ? UUID.randomUUID().toString() : ids.get(random.nextInt(ids.size()));
      q.marker(marker, random.nextBoolean() ? MarkerRule.INVISIBLE_IS_UNKNOWN : MarkerRule.INVISIBLE_IS_FORBIDDEN);
    }
    q.limit(random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 5 : 40));
    q.full(random.nextBoolean());
    q.previous(random.nextBoolean());
    return q.build();
  }

  static Condition randomCondition() {
    Op[] compare = {Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE};
    Op op = compare[random.nextInt(compare.length)];
    return switch (random.nextInt(10)) {
      case 0 -> Condition.of(Field.NAME, op, orEmpty(NAMES[random.nextInt(NAMES.length)]));
      case 1 ->
          new Condition(
              Field.STATUS,
              Op.IN,
              List.of(
                  ImageStatus.values()[random.nextInt(ImageStatus.values().length)].wire(),
                  ImageStatus.values()[random.nextInt(ImageStatus.values().length)].wire()));
      case 2 -> Condition.of(Field.OWNER, Op.EQ, PROJECTS[random.nextInt(PROJECTS.length)]);
      case 3 -> Condition.of(Field.MIN_DISK, op, (long) random.nextInt(3));
      case 4 -> Condition.of(Field.SIZE, op, (long) random.nextInt(5) * 1024);
      case 5 -> Condition.of(Field.PROTECTED, random.nextBoolean() ? Op.EQ : Op.NEQ, random.nextBoolean());
      case 6 ->
          Condition.of(
              Field.CREATED_AT,
              op,
              base.plus(random.nextInt(200) * 3_600L, ChronoUnit.SECONDS)
                  .plus(random.nextBoolean() ? 0 : 500, ChronoUnit.MILLIS));
      case 7 ->
          Condition.of(
              Field.UPDATED_AT, op, base.plus(random.nextInt(45 * 24) * 3_600L, ChronoUnit.SECONDS));
      case 8 -> Condition.of(Field.DISK_FORMAT, op, random.nextBoolean() ? "qcow2" : "raw");
      default ->
          new Condition(
              Field.ID, Op.IN, List.of(ids.get(random.nextInt(ids.size())), ids.get(random.nextInt(ids.size()))));
    };
  }

  static String orEmpty(String s) {
    return s == null ? "cirros" : s;
  }

  // ---- random writes --------------------------------------------------------------------------

  static void write() {
    String id = ids.get(random.nextInt(ids.size()));
    CatalogScope admin = new CatalogScope(PROJECTS[0], List.of("admin"), true);
    try {
      switch (random.nextInt(7)) {
        case 0 -> {
          Image image = randomImage(random.nextInt(1000) * 97 + 1);
          catalog.addAll(List.of(image));
          ids.add(image.id());
        }
        case 1 -> catalog.update(admin, id, i -> withName(i, NAMES[random.nextInt(NAMES.length)]));
        case 2 -> catalog.addTag(admin, id, random.nextBoolean() ? "gold" : "ci");
        case 3 -> catalog.delete(admin, id);
        case 4 -> catalog.editProperties(admin, id, p -> Map.of("image_type", "snapshot"));
        case 5 -> {
          Image image = catalog.find(admin, id).orElse(null);
          if (image != null && image.owner() != null && image.visibility() == Visibility.SHARED) {
            String p = PROJECTS[random.nextInt(PROJECTS.length)];
            if (!p.equals(image.owner())) {
              catalog.addMember(new CatalogScope(image.owner(), List.of("member"), false), id, p);
            }
          }
        }
        default ->
            catalog.update(
                admin,
                id,
                i -> withVisibility(i, Visibility.values()[random.nextInt(Visibility.values().length)]));
      }
    } catch (RuntimeException refused) {
      // a rule refused this write (deleted image, protected, duplicate member): fine
    }
  }

  static Image withName(Image i, String name) {
    return new Image(i.id(), i.owner(), name, i.status(), i.visibility(), i.isProtected(),
        i.osHidden(), i.minDisk(), i.minRam(), i.size(), i.virtualSize(), i.diskFormat(),
        i.containerFormat(), i.checksum(), i.osHashAlgo(), i.osHashValue(), i.createdAt(),
        i.updatedAt(), i.deletedAt(), i.properties(), i.tags());
  }

  static Image withVisibility(Image i, Visibility v) {
    return new Image(i.id(), i.owner(), i.name(), i.status(), v, i.isProtected(),
        i.osHidden(), i.minDisk(), i.minRam(), i.size(), i.virtualSize(), i.diskFormat(),
        i.containerFormat(), i.checksum(), i.osHashAlgo(), i.osHashValue(), i.createdAt(),
        i.updatedAt(), i.deletedAt(), i.properties(), i.tags());
  }
}
