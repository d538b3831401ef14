package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  static final Image IMAGE =
      new Image(
          "7a1c6e0e-0000-4000-8000-000000000001", "p", "n", ImageStatus.QUEUED, Visibility.SHARED,
          false, false, 0, 0, null, null, null, null, null, null, null, Instant.EPOCH,
          Instant.EPOCH, null, Map.of("k", "v"), Set.of("t"));

  static JsonPatch patch(String json, boolean draft4) throws Exception {
    return JsonPatch.parse(Json.MAPPER.readTree(json), draft4);
  }

  @Test
  void mediaTypesSelectTheDialect() {
    assertThat(JsonPatch.isDraft4("application/openstack-images-v2.1-json-patch")).isFalse();
    assertThat(JsonPatch.isDraft4("application/openstack-images-v2.0-json-patch; charset=UTF-8")).isTrue();
    assertThat(JsonPatch.isDraft4("application/json-patch+json")).isNull();
    assertThat(JsonPatch.isDraft4(null)).isNull();
  }

  @Test
  void pointersDecodeEscapesAndStayOneLevelDeep() {
    assertThat(JsonPatch.attribute("/a~1b~0c", "add")).isEqualTo("a/b~c");
    assertThatThrownBy(() -> JsonPatch.attribute("/a~2", "add"))
        .hasMessage("Pointer `/a~2` contains \"~\" not part of a recognized escape sequence.");
    assertThatThrownBy(() -> JsonPatch.attribute("/a//b", "add"))
        .hasMessage("Pointer `/a//b` contains adjacent \"/\".");
    assertThatThrownBy(() -> JsonPatch.attribute("/a/", "add")).hasMessage("Pointer `/a/` end with \"/\".");
  }

  @Test
  void operationsApplyInOrder() throws Exception {
    Image after =
        patch(
                "[{\"op\": \"add\", \"path\": \"/k2\", \"value\": \"v2\"},"
                    + " {\"op\": \"remove\", \"path\": \"/k\"},"
                    + " {\"op\": \"replace\", \"path\": \"/k2\", \"value\": \"v3\"},"
                    + " {\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"private\"}]",
                false)
            .applyTo(IMAGE);
    assertThat(after.properties()).containsExactly(Map.entry("k2", "v3"));
    assertThat(after.visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(after.tags()).containsExactly("t");
  }

  @Test
  void draft4AddOfAPresentAttributeIsAConflictButV21AddOverwrites() throws Exception {
    assertThatThrownBy(() -> patch("[{\"add\": \"/k\", \"value\": \"x\"}]", true).applyTo(IMAGE))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
        .hasMessage("Property k already present.");
    assertThat(patch("[{\"op\": \"add\", \"path\": \"/k\", \"value\": \"x\"}]", false).applyTo(IMAGE).properties())
        .containsEntry("k", "x");
    assertThatThrownBy(() -> patch("[{\"add\": \"/k\", \"replace\": \"/k\", \"value\": \"x\"}]", true))
        .hasMessage(
            "Operation objects must contain only one member named \"add\", \"remove\", or \"replace\".");
  }
}
