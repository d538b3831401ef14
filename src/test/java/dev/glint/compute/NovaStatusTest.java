package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.ImageStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Nova's views/images.py: status names and progress numbers for each stored status. */
class NovaStatusTest {

  @ParameterizedTest
  @CsvSource({
    "ACTIVE, ACTIVE, 100",
    "QUEUED, SAVING, 25",
    "SAVING, SAVING, 50",
    "DELETED, DELETED, 0",
    "PENDING_DELETE, DELETED, 0",
    "KILLED, ERROR, 0",
    "UPLOADING, UNKNOWN, 0",
    "IMPORTING, UNKNOWN, 0",
    "DEACTIVATED, UNKNOWN, 0",
  })
  void mapsEveryStoredStatus(ImageStatus stored, NovaStatus shown, int progress) {
    assertThat(NovaStatus.of(stored)).isEqualTo(shown);
    assertThat(NovaStatus.progress(stored)).isEqualTo(progress);
  }

  @ParameterizedTest
  @CsvSource({"ACTIVE", "SAVING", "DELETED", "ERROR", "UNKNOWN"})
  void aNovaStatusFilterMatchesExactlyWhatIsShownUnderThatName(NovaStatus status) {
    for (ImageStatus stored : ImageStatus.values()) {
      assertThat(NovaStatus.filter(status.name()).contains(stored))
          .as(stored + " under " + status)
          .isEqualTo(NovaStatus.of(stored) == status);
    }
  }
}
