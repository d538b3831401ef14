package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The version arithmetic; header negotiation is covered over HTTP in ComputeMicroversionTest. */
class MicroversionTest {

  @Test
  void ordersNumericallyNotLexically() {
    assertThat(new Microversion(2, 10)).isGreaterThan(new Microversion(2, 9));
    assertThat(new Microversion(3, 0)).isGreaterThan(Microversion.MAX);
    assertThat(Microversion.IMAGES_MAX).isLessThan(Microversion.METADATA_MAX);
  }

  @Test
  void boundsAreZeds() {
    assertThat(Microversion.MIN).hasToString("2.1");
    assertThat(Microversion.MAX).hasToString("2.93");
    assertThat(Microversion.IMAGES_MAX).hasToString("2.35");
    assertThat(Microversion.METADATA_MAX).hasToString("2.38");
  }
}
