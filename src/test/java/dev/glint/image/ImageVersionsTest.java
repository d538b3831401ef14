package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The version document follows Glance Zed's configuration ({@code glance/api/versions.py}): the
 * cache adds v2.16 (CURRENT) and v2.14, several stores v2.13 to v2.8 in place of v2.9.
 */
class ImageVersionsTest {
  static final List<String> TAIL = List.of("v2.7", "v2.6", "v2.5", "v2.4", "v2.3", "v2.2", "v2.1", "v2.0");

  static List<String> with(List<String> head) {
    List<String> all = new ArrayList<>(head);
    all.addAll(TAIL);
    return all;
  }

  @Test
  void theListedVersionsAreGlancesForEachConfiguration() {
    assertThat(ImageVersionsEndpoint.versions(false, false)).isEqualTo(with(List.of("v2.15", "v2.9")));
    assertThat(ImageVersionsEndpoint.versions(true, false))
        .isEqualTo(with(List.of("v2.16", "v2.15", "v2.14", "v2.9")));
    assertThat(ImageVersionsEndpoint.versions(false, true))
        .isEqualTo(with(List.of("v2.15", "v2.13", "v2.12", "v2.11", "v2.10", "v2.9", "v2.8")));
    assertThat(ImageVersionsEndpoint.versions(true, true))
        .isEqualTo(
            with(List.of("v2.16", "v2.15", "v2.14", "v2.13", "v2.12", "v2.11", "v2.10", "v2.9", "v2.8")));
  }
}
