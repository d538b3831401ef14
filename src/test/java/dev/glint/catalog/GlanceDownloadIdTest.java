package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The remote image id of a glance-download, read as Python's {@code uuid.UUID} reads it. */
class GlanceDownloadIdTest {
  static final String CANONICAL = "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c";

  @Test
  void theFormsPythonAcceptsGiveTheCanonicalId() {
    for (String form :
        new String[] {
          CANONICAL,
          "36D4B546-64A2-4BB9-BDD0-BA676AA48F2C",
          "36d4b54664a24bb9bdd0ba676aa48f2c",
          "{36d4b546-64a2-4bb9-bdd0-ba676aa48f2c}",
          "urn:uuid:36d4b546-64a2-4bb9-bdd0-ba676aa48f2c",
          "36d4-b54664a24bb9bdd0ba676aa48f2-c"
        }) {
      assertThat(ImportService.canonicalUuid(form)).as(form).hasValue(CANONICAL);
    }
  }

  @Test
  void anythingElseIsNotAUuid() {
    for (String form :
        new String[] {
          "foo", "", "36d4b546-64a2-4bb9-bdd0-ba676aa48f2", "36d4b546-64a2-4bb9-bdd0-ba676aa48f2cc",
          "36d4b546-64a2-4bb9-bdd0-ba676aa48f2g", "../36d4b546-64a2-4bb9-bdd0-ba676aa48f2c",
          "36d4b546-64a2-4bb9-bdd0-ba676aa48f2c/file"
        }) {
      assertThat(ImportService.canonicalUuid(form)).as(form).isEmpty();
    }
  }
}
