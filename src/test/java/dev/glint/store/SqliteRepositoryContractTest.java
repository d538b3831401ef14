package dev.glint.store;

import dev.glint.testing.TestStores;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The repository contract on SQLite (in the SQLite execution only). */
class SqliteRepositoryContractTest extends RepositoryContract {
  @Override
  String storeUrl(Path dir) {
    Assumptions.assumeFalse(TestStores.postgres(), "runs in the SQLite execution");
    return "jdbc:sqlite:" + dir.resolve("glint.db");
  }
}
