package dev.glint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageMember;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ImageRepository;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.MemberStatus;
import dev.glint.catalog.Page;
import dev.glint.catalog.Visibility;
import dev.glint.config.ConfigLoader;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.identity.IdentityRepository;
import dev.glint.identity.RevocationEvent;
import dev.glint.identity.User;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository contract (issue 8), one suite for every store, as Apache Polaris runs one
 * persistence suite per backend: {@link ImageRepository} and {@link IdentityRepository} called
 * directly, no HTTP. Transactions roll back whole, conflicts are 409s, merges lose no concurrent
 * key, a locked read-modify-write loses no update, the catalog generation advances exactly once
 * per committed change (never on rollback), and keyset pages stay consistent while rows are
 * inserted. Subclasses say which store.
 */
abstract class RepositoryContract {
  @TempDir Path dir;
  Database db;
  ImageRepository images;
  IdentityRepository identity;

  /** The store URL of a fresh, empty catalog. */
  abstract String storeUrl(Path dir) throws Exception;

  /** Drops what {@link #storeUrl} made, if anything. */
  void dropStore(String url) {}

  String url;

  @BeforeEach
  void open() throws Exception {
    url = storeUrl(dir);
    ConfigLoader loader = ConfigLoader.defaults();
    loader.set("data.dir", dir.toString());
    loader.set("store.url", url);
    loader.set("blob.file.shared", "true"); // one node; PostgreSQL refuses an unshared file store
    db = Database.open(loader.build());
    images = new JdbcImageRepository(db);
    identity = new JdbcIdentityRepository(db);
    identity.ensureDomain(new dev.glint.identity.Domain("default", "Default", "", true));
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
      dropStore(url);
    }
  }

  // ---- transactions ----

  @Test
  void aFailedUnitOfWorkLeavesNothingBehind() {
    Image img = image(Instant.now());
    long before = storedGeneration();
    assertThatThrownBy(
            () ->
                images.inTransaction(
                    () -> {
                      images.insert(img);
                      images.addTag(img.id(), "t", Instant.now());
                      images.changeProperties(img.id(), Map.of("k", "v"), Set.of(), Instant.now());
                      assertThat(images.find(img.id())).as("own writes visible inside").isPresent();
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThat(images.find(img.id())).isEmpty();
    assertThat(storedGeneration()).isEqualTo(before);
    assertThat(images.generation().current()).isEqualTo(before);
  }

  @Test
  void identityChangesRollBackWithTheirRevocationEvent() {
    String userId = UUID.randomUUID().toString().replace("-", "");
    Instant now = Instant.now();
    assertThatThrownBy(
            () ->
                identity.inTransaction(
                    () -> {
                      identity.createUser(
                          new User(userId, "u-" + userId, "default", true, null, "{}"), null);
                      identity.addRevocation(
                          new RevocationEvent(
                              UUID.randomUUID().toString(), null, userId, null, now,
                              now.plus(Duration.ofHours(1))),
                          now);
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThat(identity.user(userId)).isEmpty();
    assertThat(identity.revocationsSince(Instant.EPOCH, Instant.now()))
        .noneMatch(e -> userId.equals(e.userId()));
  }

  @Test
  void aDuplicateIdIsAConflict() {
    Image img = image(Instant.now());
    images.insert(img);
    assertThatThrownBy(() -> images.insert(img))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    ImageMember m = new ImageMember(img.id(), "p1", MemberStatus.PENDING, Instant.now(), Instant.now());
    images.addMember(m);
    assertThatThrownBy(() -> images.addMember(m))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
  }

  // ---- merges and locks ----

  @Test
  void concurrentMergesLoseNoKey() throws Exception {
    Image img = image(Instant.now());
    images.insert(img);
    int n = 24;
    runAtOnce(
        n,
        i -> {
          switch (i % 3) {
            case 0 -> images.changeProperties(img.id(), Map.of("p" + i, "v" + i), Set.of(), Instant.now());
            case 1 -> images.addTag(img.id(), "t" + i, Instant.now());
            default ->
                images.inTransaction(
                    () -> {
                      Image locked = images.lock(img.id()).orElseThrow();
                      Map<String, String> props = new HashMap<>(locked.properties());
                      props.put("q" + i, "v" + i);
                      return images.update(withProperties(locked, props));
                    });
          }
        });
    Image after = images.find(img.id()).orElseThrow();
    for (int i = 0; i < n; i++) {
      switch (i % 3) {
        case 0 -> assertThat(after.properties()).containsEntry("p" + i, "v" + i);
        case 1 -> assertThat(after.tags()).contains("t" + i);
        default -> assertThat(after.properties()).containsEntry("q" + i, "v" + i);
      }
    }
  }

  @Test
  void aLockedReadModifyWriteLosesNoUpdate() throws Exception {
    Image img = image(Instant.now());
    images.insert(img);
    int n = 16;
    runAtOnce(
        n,
        i ->
            images.inTransaction(
                () -> {
                  Image locked = images.lock(img.id()).orElseThrow();
                  int count = Integer.parseInt(locked.properties().getOrDefault("count", "0"));
                  images.changeProperties(
                      img.id(), Map.of("count", Integer.toString(count + 1)), Set.of(),
                      Instant.now());
                  return null;
                }));
    assertThat(images.find(img.id()).orElseThrow().properties()).containsEntry("count", "16");
  }

  @Test
  void statusMovesAreConditional() {
    Image img = image(Instant.now());
    images.insert(img);
    assertThat(images.moveStatus(img.id(), ImageStatus.QUEUED, ImageStatus.SAVING, Instant.now()))
        .isTrue();
    assertThat(images.moveStatus(img.id(), ImageStatus.QUEUED, ImageStatus.SAVING, Instant.now()))
        .as("second move from queued: the image is no longer queued")
        .isFalse();
    assertThat(images.find(img.id()).orElseThrow().status()).isEqualTo(ImageStatus.SAVING);
  }

  // ---- the generation ----

  @Test
  void theGenerationAdvancesExactlyOncePerCommittedChange() {
    List<Long> heard = new CopyOnWriteArrayList<>();
    images.generation().addListener(heard::add);
    long g = storedGeneration();
    assertThat(images.generation().current()).isEqualTo(g);

    Image img = image(Instant.now());
    images.insert(img);
    assertThat(storedGeneration()).isEqualTo(g + 1);

    images.inTransaction(
        () -> {
          images.addTag(img.id(), "a", Instant.now());
          images.changeProperties(img.id(), Map.of("k", "v"), Set.of(), Instant.now());
          images.addMember(
              new ImageMember(img.id(), "p1", MemberStatus.PENDING, Instant.now(), Instant.now()));
          return null;
        });
    assertThat(storedGeneration()).as("one transaction, one step").isEqualTo(g + 2);

    // Changes of nothing are not changes.
    assertThat(images.removeTag(img.id(), "absent", Instant.now())).isFalse();
    assertThat(images.removeMember(img.id(), "nobody")).isFalse();
    assertThat(images.moveStatus(img.id(), ImageStatus.ACTIVE, ImageStatus.DEACTIVATED, Instant.now()))
        .isFalse();
    assertThat(storedGeneration()).isEqualTo(g + 2);

    // Identity writes are not catalog changes.
    identity.createUser(new User("u" + g, "u" + g, "default", true, null, "{}"), null);
    assertThat(storedGeneration()).isEqualTo(g + 2);

    assertThatThrownBy(
            () ->
                images.inTransaction(
                    () -> {
                      images.removeMember(img.id(), "p1");
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThat(storedGeneration()).as("a rollback does not advance it").isEqualTo(g + 2);

    images.markDeleted(img.id(), Instant.now());
    assertThat(storedGeneration()).isEqualTo(g + 3);
    assertThat(images.generation().current()).as("known before the call returns").isEqualTo(g + 3);
    // A local commit may be heard twice (from the committer, and from PostgreSQL's NOTIFY).
    assertThat(heard.stream().distinct().toList()).containsExactly(g + 1, g + 2, g + 3);
  }

  @Test
  void concurrentCommitsAdvanceTheGenerationOnceEach() throws Exception {
    long g = storedGeneration();
    int n = 20;
    runAtOnce(n, i -> images.insert(image(Instant.now().plusMillis(i))));
    assertThat(storedGeneration()).isEqualTo(g + n);
    assertThat(images.generation().current()).isEqualTo(g + n);
  }

  @Test
  void anotherNodeHearsOfCommitsWithinASecond() throws Exception {
    ConfigLoader loader = ConfigLoader.defaults();
    loader.set("data.dir", dir.resolve("other").toString());
    loader.set("store.url", url);
    loader.set("blob.file.shared", "true");
    try (Database other = Database.open(loader.build())) {
      CountDownLatch heard = new CountDownLatch(1);
      long g = storedGeneration();
      other.generation().addListener(v -> {
        if (v >= g + 1) {
          heard.countDown();
        }
      });
      long start = System.nanoTime();
      images.insert(image(Instant.now()));
      assertThat(heard.await(5, TimeUnit.SECONDS)).as("other node heard").isTrue();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(ms).as("heard after %d ms", ms).isLessThan(1500);
      assertThat(other.generation().current()).isEqualTo(g + 1);
    }
  }

  // ---- keyset pages ----

  @Test
  void keysetPagesStayConsistentUnderConcurrentInserts() throws Exception {
    Instant base = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MICROS);
    List<String> expected = new ArrayList<>();
    List<Image> batch = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Image img = image(base.plusSeconds(i));
      batch.add(img);
      expected.add(0, img.id());
    }
    images.insertAll(batch);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    Future<Integer> inserted =
        writer.submit(
            () -> {
              int k = 0;
              java.util.Random random = new java.util.Random(7);
              while (!stop.get()) {
                // Between the existing rows (a page not yet read may show them) and above all.
                images.insert(image(base.plusMillis(random.nextInt(40_000))));
                images.insert(image(Instant.now().plusSeconds(k++)));
              }
              return k;
            });
    try {
      List<Image> walked = new ArrayList<>();
      Image after = null;
      while (true) {
        Page<Image> page = page(after, 7);
        walked.addAll(page.items());
        if (!page.more()) {
          break;
        }
        after = page.items().get(page.items().size() - 1);
        Thread.sleep(5);
      }
      // Strictly newest first (so nothing twice), and every row that existed before is there.
      for (int i = 1; i < walked.size(); i++) {
        Image a = walked.get(i - 1);
        Image b = walked.get(i);
        int order = a.createdAt().compareTo(b.createdAt());
        assertThat(order > 0 || (order == 0 && a.id().compareTo(b.id()) > 0))
            .as("order at %d: %s then %s", i, a.id(), b.id())
            .isTrue();
      }
      List<String> ids = walked.stream().map(Image::id).filter(expected::contains).toList();
      assertThat(ids).isEqualTo(expected);
    } finally {
      stop.set(true);
      assertThat(inserted.get()).isPositive();
      writer.shutdown();
    }
  }

  /** One page of what an admin lists, newest first, strictly after {@code after}. */
  Page<Image> page(Image after, int limit) {
    ListQuery.Builder query = ListQuery.builder().limit(limit);
    if (after != null) {
      query.marker(after.id(), ListQuery.MarkerRule.INVISIBLE_IS_UNKNOWN);
    }
    return images.list(new ImageRepository.Scope(null, true), query.build(), null).page();
  }

  // ---- helpers ----

  long storedGeneration() {
    return db.read(h -> h.createQuery("SELECT generation FROM catalog_generation").mapTo(Long.class).one());
  }

  static Image image(Instant created) {
    Instant at = created.truncatedTo(ChronoUnit.MICROS);
    return new Image(
        UUID.randomUUID().toString(), "owner-project", "contract", ImageStatus.QUEUED,
        Visibility.SHARED, false, false, 0, 0, null, null, "raw", "bare", null, null, null, at, at,
        null, Map.of(), Set.of());
  }

  interface Write {
    void run(int i) throws Exception;
  }

  /** Runs {@code n} writes on their own threads, released together; fails on any failure. */
  static void runAtOnce(int n, Write write) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  write.run(k);
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static Image withProperties(Image i, Map<String, String> properties) {
    return new Image(
        i.id(), i.owner(), i.name(), i.status(), i.visibility(), i.isProtected(), i.osHidden(),
        i.minDisk(), i.minRam(), i.size(), i.virtualSize(), i.diskFormat(), i.containerFormat(),
        i.checksum(), i.osHashAlgo(), i.osHashValue(), i.createdAt(), Instant.now(),
        i.deletedAt(), properties, i.tags());
  }
}
