package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Rows;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComputeListParamsTest {
  static final int MAX = 1000;

  static ComputeListParams parse(String... pairs) {
    Map<String, List<String>> raw = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      raw.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return ComputeListParams.parse(raw, MAX, false);
  }

  static String badRequest(String... pairs) {
    try {
      parse(pairs);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      return e.getMessage();
    }
    throw new AssertionError("no 400 for " + List.of(pairs));
  }

  @Test
  void absentLimitIsAFullPageOfMaxLimit() {
    assertThat(parse().query().limit()).isEqualTo(MAX);
  }

  @ParameterizedTest
  @CsvSource({"0, 1000", "1, 1", "25, 25", "1000, 1000", "1001, 1000", "100000, 1000",
      "99999999999999999999999999, 1000", "' 7 ', 7", "+5, 5"})
  void limitIsCappedAtMaxLimitAndZeroMeansAFullPage(String value, int expected) {
    assertThat(parse("limit", value).query().limit()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"-1", "-100000000000000000000"})
  void negativeLimitIsNovasMessage(String value) {
    assertThat(badRequest("limit", value)).isEqualTo("Invalid input received: limit must be >= 0");
  }

  @ParameterizedTest
  @CsvSource({"abc", "1.5", "''", "1e3", "0x10"})
  void nonIntegerLimitIsNovasMessage(String value) {
    assertThat(badRequest("limit", value))
        .isEqualTo("Invalid input received: limit must be an integer");
  }

  @ParameterizedTest
  @CsvSource({"page_size", "offset"})
  void pageSizeAndOffsetAreValidatedWithTheirOwnNames(String name) {
    assertThat(parse(name, "0").query().limit()).isEqualTo(MAX);
    assertThat(parse(name, "50").query().limit()).isEqualTo(MAX);
    assertThat(badRequest(name, "x"))
        .isEqualTo("Invalid input received: " + name + " must be an integer");
    assertThat(badRequest(name, "-2")).isEqualTo("Invalid input received: " + name + " must be >= 0");
  }

  @Test
  void theLastOfRepeatedValuesCounts() {
    assertThat(parse("limit", "abc", "limit", "3").query().limit()).isEqualTo(3);
    assertThat(parse("name", "a", "name", "b").query().condition(Field.NAME))
        .isEqualTo(Condition.of(Field.NAME, Op.EQ, "b"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ACTIVE|ACTIVE",
        "active|ACTIVE",
        "SAVING|QUEUED,SAVING",
        "ERROR|KILLED",
        "DELETED|DELETED,PENDING_DELETE",
        "UNKNOWN|UPLOADING,IMPORTING,DEACTIVATED",
        "queued|QUEUED",
        "deactivated|DEACTIVATED",
        "killed|KILLED",
      })
  void statusIsReadInNovaAndGlanceTerms(String value, String statuses) {
    List<Object> expected =
        java.util.Arrays.stream(statuses.split(","))
            .map(s -> ImageStatus.valueOf(s).wire())
            .sorted()
            .<Object>map(s -> s)
            .toList();
    ListQuery q = parse("status", value).query();
    assertThat(q.condition(Field.STATUS)).isEqualTo(new Condition(Field.STATUS, Op.IN, expected));
    // Asked for by status, killed images are listed (as ERROR): not only the live ones.
    assertThat(q.rows()).isEqualTo(Rows.UNDELETED);
    assertThat(parse().query().rows()).isEqualTo(Rows.LIVE);
  }

  @ParameterizedTest
  @CsvSource({"garbage", "''", "in:active,queued"})
  void unknownStatusIs400NamingTheValue(String value) {
    assertThat(badRequest("status", value)).contains("'" + value + "'");
  }

  @Test
  void serverIsAUuidOrAUrlEndingInOne() {
    String uuid = "b8004092-f9e2-4b92-9b38-eefa6bced784";
    assertThat(parse("server", uuid).query().properties()).isEqualTo(Map.of("instance_uuid", uuid));
    assertThat(
            parse("server", "http://nova:8774/v2.1/servers/" + uuid).query().properties())
        .isEqualTo(Map.of("instance_uuid", uuid));
    for (String garbage : List.of("garbage", "http://nova/servers/", "")) {
      assertThat(badRequest("server", garbage)).contains("'" + garbage + "'");
    }
  }

  @Test
  void typeFiltersOnImageType() {
    assertThat(parse("type", "snapshot").query().properties())
        .isEqualTo(Map.of("image_type", "snapshot"));
    assertThat(parse("type", "backup", "server", "b8004092-f9e2-4b92-9b38-eefa6bced784")
            .query().properties())
        .containsEntry("image_type", "backup")
        .hasSize(2);
  }

  @Test
  void propertyPrefixIsStrippedAsAPrefixNotACharacterSet() {
    assertThat(parse("property-os_distro", "ubuntu", "property-ramdisk_id", "r").query().properties())
        .isEqualTo(Map.of("os_distro", "ubuntu", "ramdisk_id", "r"));
    assertThat(parse("property-", "x").query().properties()).isEmpty();
  }

  @Test
  void minRamAndMinDiskAreMinimums() {
    assertThat(parse("minRam", "512", "minDisk", "0").query().condition(Field.MIN_RAM))
        .isEqualTo(Condition.of(Field.MIN_RAM, Op.GTE, 512L));
    assertThat(parse("minDisk", "10").query().condition(Field.MIN_DISK))
        .isEqualTo(Condition.of(Field.MIN_DISK, Op.GTE, 10L));
    assertThat(parse().query().conditions()).isEmpty();
    assertThat(badRequest("minRam", "lots")).contains("'lots'");
    assertThat(badRequest("minDisk", "-1")).contains("'-1'");
  }

  @Test
  void emptyMarkerIsTheUnknownMarkerMessage() {
    assertThat(badRequest("marker", "")).isEqualTo("HTTP 400 Bad Request: No image found with ID ");
    assertThat(parse("marker", "abc").query().marker()).isEqualTo("abc");
    // Nova: a marker the caller cannot see is as unknown as one that does not exist.
    assertThat(parse("marker", "abc").query().markerRule())
        .isEqualTo(MarkerRule.INVISIBLE_IS_UNKNOWN);
  }

  @Test
  void changesSinceIsParsedAndGarbageNamed() {
    assertThat(parse("changes-since", "2015-01-24T17:08:00Z").query().changesSince())
        .isEqualTo(java.time.Instant.parse("2015-01-24T17:08:00Z"));
    assertThat(badRequest("changes-since", "garbage")).contains("'garbage'");
  }

  @Test
  void everyParameterIsKeptSortedForPagingLinks() {
    assertThat(parse("zeta", "1", "limit", "2", "name", "x").params().keySet())
        .containsExactly("limit", "name", "zeta");
  }

  @Test
  void detailLoadsPropertiesAndIndexDoesNot() {
    assertThat(ComputeListParams.parse(Map.of(), MAX, true).query().full()).isTrue();
    assertThat(parse().query().full()).isFalse();
    assertThat(parse().query().previous()).isTrue();
    assertThat(parse().query().sort()).isEqualTo(ListQuery.NEWEST_FIRST);
  }
}
