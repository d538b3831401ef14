package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.CatalogPurge;
import dev.glint.cli.GlintCommand;
import dev.glint.testing.TestImages;
import dev.glint.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code glint purge} (issue 10, as {@code glance-manage db purge}) on a running server: images
 * deleted before the cut-off go with their properties, tags, members and data, in batches that
 * each advance the catalog generation; data no live image owns goes from every store; images
 * deleted since, and live ones, stay whole.
 */
class PurgeTest {
  TestServer server;
  ImageClient owner;

  @BeforeEach
  void start() {
    server = TestServer.start();
    owner = ImageClient.of(server, TestImages.DEMO, "member", "reader");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String imageWithEverything(String name) {
    String id =
        owner.createWithData(
            """
            {"name": "%s", "disk_format": "raw", "container_format": "bare",
             "visibility": "shared", "tags": ["t1", "t2"], "purpose": "test"}"""
                .formatted(name),
            ("data of " + name).getBytes());
    assertThat(
            owner.post("/v2/images/" + id + "/members", "{\"member\": \"" + TestImages.OTHER + "\"}")
                .statusCode())
        .isEqualTo(200);
    return id;
  }

  private long rows(String table, String column, String id) {
    return server.app().db().read(
        h ->
            h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .one());
  }

  @Test
  void oldDeletedImagesGoWithTheirRowsAndDataAndOrphansGoFromEveryStore() throws Exception {
    String old = imageWithEverything("old");
    assertThat(owner.delete("/v2/images/" + old).statusCode()).isEqualTo(204);
    // As if removing its data at delete time had failed (S3 down): purge removes it.
    Path images = server.dataDir().resolve("images");
    Files.write(images.resolve(old), new byte[] {1, 2, 3});
    Thread.sleep(20);
    Instant cutoff = Instant.now();
    Thread.sleep(20);
    String recent = imageWithEverything("recent");
    assertThat(owner.delete("/v2/images/" + recent).statusCode()).isEqualTo(204);
    String live = imageWithEverything("live");
    // Data whose image never existed, in the image store and the staging store.
    String orphan = UUID.randomUUID().toString();
    String stagedOrphan = UUID.randomUUID().toString();
    Files.write(images.resolve(orphan), new byte[] {4});
    Files.write(server.dataDir().resolve("staging").resolve(stagedOrphan), new byte[] {5});
    // An upload in progress is a temp file, never an orphan.
    Path inProgress = images.resolve(live + ".tmp-" + UUID.randomUUID());
    Files.write(inProgress, new byte[] {6});
    long generation = server.app().catalog().generation().current();

    CatalogPurge.Report report = server.app().catalog().purge().run(cutoff, 1);

    assertThat(report.images()).isEqualTo(1);
    assertThat(report.batches()).isEqualTo(1);
    // Its one property, and os_glance_stores, which the upload recorded (named stores).
    assertThat(report.properties()).isEqualTo(2);
    assertThat(report.tags()).isEqualTo(2);
    assertThat(report.members()).isEqualTo(1);
    assertThat(report.blobs()).isEqualTo(1);
    assertThat(report.orphanBlobs()).isEqualTo(2);
    assertThat(report.failures()).isZero();
    assertThat(server.app().catalog().generation().current()).isGreaterThan(generation);
    for (String[] t :
        new String[][] {
          {"images", "id"}, {"image_properties", "image_id"}, {"image_tags", "image_id"},
          {"image_members", "image_id"}
        }) {
      assertThat(rows(t[0], t[1], old)).as(t[0] + " of the old image").isZero();
      assertThat(rows(t[0], t[1], recent)).as(t[0] + " of the recent image").isPositive();
    }
    assertThat(images.resolve(old)).doesNotExist();
    assertThat(images.resolve(orphan)).doesNotExist();
    assertThat(server.dataDir().resolve("staging").resolve(stagedOrphan)).doesNotExist();
    assertThat(inProgress).exists();
    assertThat(owner.get("/v2/images/" + live + "/file").body()).isEqualTo("data of live");
    // Within the retention window the recent delete still shows in changes-since.
    String since = cutoff.minusSeconds(60).toString();
    assertThat(
            server.get(
                    server.computeUrl() + "/v2/" + TestImages.DEMO + "/images?changes-since=" + since,
                    server.tokenFor(TestImages.DEMO, "member", "reader"))
                .body())
        .contains(recent)
        .doesNotContain(old);
    // Nothing left to do: a second run removes nothing and leaves the generation alone.
    long after = server.app().catalog().generation().current();
    CatalogPurge.Report again = server.app().catalog().purge().run(cutoff, 1);
    assertThat(again.images() + again.blobs() + again.orphanBlobs()).isZero();
    assertThat(server.app().catalog().generation().current()).isEqualTo(after);
  }

  @Test
  void theCommandLinePurgesAndReportsCounts() throws Exception {
    String gone = imageWithEverything("gone");
    assertThat(owner.delete("/v2/images/" + gone).statusCode()).isEqualTo(204);
    String live = imageWithEverything("kept");
    Path yaml = Files.createTempFile("glint-purge", ".yaml");
    try {
      // The server's store (its own PostgreSQL schema on that run), file store shared with it.
      Files.writeString(
          yaml,
          "store:\n  url: \"" + server.app().config().storeUrl() + "\"\n"
              + "blob:\n  file:\n    shared: true\n");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cmd = GlintCommand.commandLine();
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(err, true));
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stdout = System.out;
      System.setOut(new java.io.PrintStream(printed, true));
      int status;
      try {
        status =
            cmd.execute(
                "purge", "-c", yaml.toString(), "-d", server.dataDir().toString(),
                "--older-than", "0s", "--batch-size", "10");
      } finally {
        System.setOut(stdout);
      }
      assertThat(status).as(err.toString()).isZero();
      assertThat(printed.toString())
          .contains("Purged images deleted more than 0s ago: 1 images, 2 properties, 2 tags,"
              + " 1 members (1 batches)");
    } finally {
      Files.deleteIfExists(yaml);
    }
    assertThat(rows("images", "id", gone)).isZero();
    assertThat(rows("images", "id", live)).isEqualTo(1);
    assertThat(owner.get("/v2/images/" + live + "/file").body()).isEqualTo("data of kept");
  }

  @Test
  void aBadAgeIsOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cmd = GlintCommand.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    int status =
        cmd.execute("purge", "-d", server.dataDir().toString(), "--older-than", "thirty days");
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).contains("--older-than must be a number with d, h, m or s");
  }
}
