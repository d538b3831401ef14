package dev.glint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code glint gen-data}'s images: no {@code saving} image (nothing streams it, so a start would
 * requeue it and change the catalog measured), the draws for uploads in progress queued instead;
 * the same seed gives the same images.
 */
class GeneratedImagesTest {
  @Test
  void noUploadIsInProgressAndTheMixHolds() {
    GeneratedImages gen =
        new GeneratedImages(List.of("p1", "p2", "p3"), 42, Instant.parse("2026-12-01T00:00:00Z"), 20_000);
    List<Image> images = gen.batch(0, 20_000);
    Map<ImageStatus, Long> byStatus =
        images.stream().collect(Collectors.groupingBy(Image::status, Collectors.counting()));
    assertThat(byStatus).doesNotContainKey(ImageStatus.SAVING);
    // 92% active; 3% queued (the 1% once drawn as saving included), 1% each killed, deactivated
    assertThat(byStatus.get(ImageStatus.ACTIVE)).isBetween(18_000L, 18_800L);
    assertThat(byStatus.get(ImageStatus.QUEUED)).isBetween(450L, 750L);
    assertThat(byStatus.get(ImageStatus.KILLED)).isBetween(100L, 300L);
    assertThat(gen.image(12_345)).isEqualTo(gen.batch(12_345, 1).get(0));
    assertThat(images.stream().map(Image::id).distinct().count()).isEqualTo(20_000);
    assertThat(images.stream().collect(Collectors.toMap(Image::id, Function.identity())))
        .hasSize(20_000);
  }

  /** Image n is the n-th oldest, and a million of them span the two years up to the end. */
  @Test
  void creationTimesRiseWithNAcrossTwoYears() {
    Instant end = Instant.parse("2026-12-01T00:00:00Z");
    GeneratedImages gen = new GeneratedImages(List.of("p1", "p2"), 42, end, 1_000_000);
    Instant previous = Instant.MIN;
    for (long n = 0; n < 1_000_000; n += 997) {
      Instant created = gen.image(n).createdAt();
      assertThat(created).isAfter(previous);
      previous = created;
    }
    assertThat(gen.image(0).createdAt()).isBefore(end.minus(java.time.Duration.ofDays(729)));
    assertThat(gen.image(999_999).createdAt()).isAfter(end.minus(java.time.Duration.ofHours(1)));
  }
}
