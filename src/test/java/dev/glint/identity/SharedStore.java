package dev.glint.identity;

import dev.glint.testing.TestStores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One store for several {@code TestServer}s (restarts, or two nodes): the SQLite file in the data
 * dir, or under the PostgreSQL store matrix one schema that all of them use, dropped on close.
 */
final class SharedStore implements AutoCloseable {
  private final Path dataDir;
  private final String url;

  SharedStore(Path dataDir) {
    this.dataDir = dataDir;
    this.url =
        TestStores.postgres()
            ? TestStores.newPostgresSchema()
            : "jdbc:sqlite:" + dataDir.resolve("glint.db");
  }

  /** Overrides naming the shared data dir and store, plus {@code extra} ones. */
  Map<String, String> config(String... extra) {
    Map<String, String> out = new HashMap<>();
    out.put("data.dir", dataDir.toString());
    out.put("store.url", url);
    for (int i = 0; i < extra.length; i += 2) {
      out.put(extra[i], extra[i + 1]);
    }
    return out;
  }

  @Override
  public void close() {
    TestStores.dropSchema(url);
  }
}
