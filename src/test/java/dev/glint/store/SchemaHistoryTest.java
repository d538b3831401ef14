package dev.glint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A start skips Flyway only when the store's history is exactly this build's migrations: the
 * checksums SchemaHistory computes are Flyway's own, and any difference (a changed, missing or
 * failed migration) leaves the decision to Flyway.
 */
class SchemaHistoryTest {
  @Test
  void aStoreFlywayMigratedMatchesTheBuildsMigrationsChecksumForChecksum() {
    try (TestServer server = TestServer.start()) {
      Database db = server.app().db();
      List<String> locations = Database.migrationLocations(db.dialect());
      Map<String, SchemaHistory.Migration> shipped = SchemaHistory.shipped(locations);
      assertThat(shipped).containsKeys("V1__create_images.sql", "V170__index_in_flight_images.sql");
      if (TestStores.postgres()) {
        assertThat(shipped).containsKey("V21__widen_owner_and_member.sql");
      } else {
        assertThat(shipped).doesNotContainKey("V21__widen_owner_and_member.sql");
      }
      // Flyway's recorded checksums, versions and scripts, row for row.
      Map<String, SchemaHistory.Migration> recorded =
          db.read(
              h ->
                  h.createQuery(
                          "SELECT version, script, checksum FROM flyway_schema_history"
                              + " WHERE type = 'SQL'")
                      .map(
                          (rs, ctx) ->
                              new SchemaHistory.Migration(
                                  rs.getString("version"),
                                  rs.getString("script"),
                                  rs.getInt("checksum")))
                      .list()
                      .stream()
                      .collect(
                          java.util.stream.Collectors.toMap(
                              SchemaHistory.Migration::script, m -> m)));
      assertThat(shipped).isEqualTo(recorded);
      assertThat(upToDate(db)).isTrue();
    }
  }

  @Test
  void aChangedFailedOrMissingMigrationIsNotUpToDate() {
    try (TestServer server = TestServer.start()) {
      Database db = server.app().db();
      assertThat(upToDate(db)).isTrue();

      update(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
      assertThat(upToDate(db)).as("a migration changed since it was applied").isFalse();
      update(db, "UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '1'");
      assertThat(upToDate(db)).isTrue();

      update(db, "UPDATE flyway_schema_history SET success = " + falseLiteral(db) + " WHERE version = '170'");
      assertThat(upToDate(db)).as("a failed migration").isFalse();
      update(db, "UPDATE flyway_schema_history SET success = " + trueLiteral(db) + " WHERE version = '170'");
      assertThat(upToDate(db)).isTrue();

      update(db, "DELETE FROM flyway_schema_history WHERE version = '170'");
      assertThat(upToDate(db)).as("a migration still to apply").isFalse();
    }
  }

  @Test
  void aRestartOnAChangedHistoryStillGoesThroughFlywaysValidation() throws Exception {
    Path dir = Files.createTempDirectory("glint-schema-history");
    Map<String, String> config = Map.of("data.dir", dir.toString());
    try (TestServer server = TestServer.start(config)) {
      update(server.app().db(), "UPDATE flyway_schema_history SET checksum = 7 WHERE version = '1'");
    }
    // Flyway, not the skip, decides: its validation refuses the changed migration.
    assertThatThrownBy(() -> TestServer.start(config).close())
        .hasStackTraceContaining("checksum mismatch");
  }

  private static boolean upToDate(Database db) {
    List<String> locations = Database.migrationLocations(db.dialect());
    return db.read(h -> SchemaHistory.upToDate(h.getConnection(), locations));
  }

  private static void update(Database db, String sql) {
    db.writer().useHandle(h -> h.execute(sql));
  }

  private static String falseLiteral(Database db) {
    return db.dialect() == Dialect.SQLITE ? "0" : "false";
  }

  private static String trueLiteral(Database db) {
    return db.dialect() == Dialect.SQLITE ? "1" : "true";
  }
}
