package dev.glint.store;

import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.ImageStatus;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On SQLite a start puts uploads a stop cut off back to queued, and finds them through the partial
 * index images_in_flight (V170) rather than a scan of every row.
 */
class StartupRecoveryTest {
  private static final String SAVING = "4a0c1b7e-6f0e-4a59-9a43-5c2e8f3d1b01";
  private static final String ACTIVE = "4a0c1b7e-6f0e-4a59-9a43-5c2e8f3d1b02";

  @Test
  void aRestartRequeuesTheInterruptedUploadThroughTheInFlightIndex() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "start-up recovery runs on SQLite only");
    Path dir = Files.createTempDirectory("glint-recovery");
    Map<String, String> config = Map.of("data.dir", dir.toString());
    try (TestServer server = TestServer.start(config)) {
      server.app().catalog().addAll(List.of(
          image().id(SAVING).name("cut-off").status(ImageStatus.SAVING).build(),
          image().id(ACTIVE).name("done").build()));
      List<String> plans =
          server.app().db().read(h -> h.createQuery(
                  "EXPLAIN QUERY PLAN UPDATE images SET status = 'queued' WHERE status = 'saving'"
                      + " AND status IN ('saving', 'importing', 'uploading') AND deleted_at IS NULL")
              .map((rs, ctx) -> rs.getString("detail")).list());
      assertThat(plans).anyMatch(p -> p.contains("USING INDEX images_in_flight"));
    }
    try (TestServer server = TestServer.start(config)) {
      assertThat(status(server, SAVING)).isEqualTo("queued");
      assertThat(status(server, ACTIVE)).isEqualTo("active");
    }
  }

  private static String status(TestServer server, String id) {
    return server.app().db().read(h -> h.createQuery("SELECT status FROM images WHERE id = :id")
        .bind("id", id).mapTo(String.class).one());
  }
}
