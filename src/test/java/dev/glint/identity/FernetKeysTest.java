package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key repository: Keystone's rotation, and one first key set for nodes starting at once. */
class FernetKeysTest {
  @TempDir Path dir;

  static String key(Path file) throws Exception {
    return Files.readString(file).trim();
  }

  @Test
  void rotationPromotesTheStagedKeyAndKeepsMaxActiveKeys() throws Exception {
    try (FernetKeys keys = FernetKeys.loadOrCreate(dir)) {
      assertThat(keys.all()).hasSize(2);
    }
    String staged = key(dir.resolve("0"));
    String primary = key(dir.resolve("1"));

    assertThat(FernetKeys.rotate(dir, 3)).containsExactly(0, 1, 2);
    assertThat(key(dir.resolve("2"))).isEqualTo(staged);
    assertThat(key(dir.resolve("1"))).isEqualTo(primary);
    String staged2 = key(dir.resolve("0"));
    assertThat(staged2).isNotIn(staged, primary);

    // Four keys would exceed max_active_keys 3: the oldest secondary (1) goes.
    assertThat(FernetKeys.rotate(dir, 3)).containsExactly(0, 2, 3);
    assertThat(key(dir.resolve("3"))).isEqualTo(staged2);
    assertThat(FernetKeys.rotate(dir, 4)).containsExactly(0, 2, 3, 4);
    assertThat(FernetKeys.rotate(dir, 2)).containsExactly(0, 5);

    try (FernetKeys keys = FernetKeys.loadOrCreate(dir)) {
      assertThat(keys.primary().serialise()).isEqualTo(key(dir.resolve("5")));
      assertThat(keys.all()).hasSize(2);
    }
  }

  @Test
  void aRunningRepositorySeesARotationOnReload() throws Exception {
    try (FernetKeys keys = FernetKeys.loadOrCreate(dir)) {
      long before = keys.version();
      String staged = keys.all().get(1).serialise();
      keys.reload();
      assertThat(keys.version()).isEqualTo(before);

      FernetKeys.rotate(dir, 3);
      keys.reload();

      assertThat(keys.version()).isNotEqualTo(before);
      assertThat(keys.primary().serialise()).isEqualTo(staged);
      assertThat(keys.all()).hasSize(3);
    }
  }

  @Test
  void nodesStartingTogetherAgreeOnTheFirstKeys() throws Exception {
    int nodes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> primaries = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      primaries.add(
          pool.submit(
              () -> {
                go.await();
                try (FernetKeys keys = FernetKeys.loadOrCreate(dir)) {
                  return keys.primary().serialise();
                }
              }));
    }
    go.countDown();
    List<String> seen = new ArrayList<>();
    for (Future<String> f : primaries) {
      seen.add(f.get());
    }
    pool.shutdown();
    assertThat(seen).containsOnly(key(dir.resolve("1")));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly(".lock", "0", "1");
    }
  }
}
