package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.error.CatalogException;
import dev.glint.error.ErrorCode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one table of status moves is Glance's {@code valid_state_targets}, and refusals are 409s. */
class ImageStatusTest {
  /** glance/domain/__init__.py (Zed), Image.valid_state_targets, copied by hand. */
  static final Map<String, Set<String>> GLANCE =
      Map.of(
          "queued", Set.of("saving", "uploading", "importing", "active", "deleted"),
          "saving", Set.of("active", "killed", "deleted", "queued"),
          "uploading", Set.of("importing", "queued", "deleted"),
          "importing", Set.of("active", "deleted", "queued"),
          "active", Set.of("pending_delete", "deleted", "deactivated"),
          "killed", Set.of("deleted"),
          "pending_delete", Set.of("deleted"),
          "deleted", Set.of(),
          "deactivated", Set.of("active", "deleted"));

  @Test
  void everyMoveIsAllowedExactlyWhenGlanceAllowsIt() {
    for (ImageStatus from : ImageStatus.values()) {
      for (ImageStatus to : ImageStatus.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from.wire(), to.wire())
            .isEqualTo(GLANCE.get(from.wire()).contains(to.wire()));
      }
    }
  }

  @Test
  void aForbiddenMoveIsAConflictWithGlancesWording() {
    for (ImageStatus from : EnumSet.of(ImageStatus.ACTIVE, ImageStatus.DEACTIVATED, ImageStatus.SAVING)) {
      assertThatThrownBy(() -> CatalogService.requireMove(image(from), ImageStatus.SAVING))
          .isInstanceOfSatisfying(
              CatalogException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Image status transition from " + from.wire() + " to saving is not allowed");
              });
    }
    CatalogService.requireMove(image(ImageStatus.QUEUED), ImageStatus.SAVING);
  }

  static Image image(ImageStatus status) {
    Instant now = Instant.now();
    return new Image(
        "11111111-2222-3333-4444-555555555555", "p", "n", status, Visibility.SHARED, false, false,
        0, 0, null, null, "raw", "bare", null, null, null, now, now, null, Map.of(), Set.of());
  }
}
