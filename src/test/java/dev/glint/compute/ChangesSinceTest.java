package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.error.ApiException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every ISO 8601 form the seed and spec §6.2 name, parsed to the instant it means. */
class ChangesSinceTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2015-01-24T17:08:00Z,          2015-01-24T17:08:00Z",
    "2015-01-24T17:08:00+01:00,     2015-01-24T16:08:00Z",
    "2015-01-24T17:08:00-05:00,     2015-01-24T22:08:00Z",
    "2015-01-24T17:08:00+0500,      2015-01-24T12:08:00Z",
    "2015-01-24T17:08:00-0130,      2015-01-24T18:38:00Z",
    "2015-01-24T17:08:00+05,        2015-01-24T12:08:00Z",
    "2015-01-24T17:08:00,           2015-01-24T17:08:00Z",
    "2015-01-24T17:08:00.123456Z,   2015-01-24T17:08:00.123456Z",
    "2015-01-24T17:08:00.5,         2015-01-24T17:08:00.500Z",
    "2015-01-24T17:08:00.123456789+02:00, 2015-01-24T15:08:00.123456789Z",
    "2015-01-24 17:08:00,           2015-01-24T17:08:00Z",
    "2015-01-24T17:08,              2015-01-24T17:08:00Z",
    "2015-01-24T17Z,                2015-01-24T17:00:00Z",
    "20150124T170800Z,              2015-01-24T17:08:00Z",
    "2015-01-24,                    2015-01-24T00:00:00Z",
    "2015-01,                       2015-01-01T00:00:00Z",
    "2015,                          2015-01-01T00:00:00Z",
  })
  void isoFormsMeanTheirInstant(String value, String expected) {
    assertThat(ChangesSince.parse(value.trim())).isEqualTo(Instant.parse(expected.trim()));
  }

  /** A '+' sent unencoded reaches us as a space; Glint reads it as the '+' it was. */
  @ParameterizedTest
  @CsvSource({"'2015-01-24T17:08:00 01:00'", "'2015-01-24 17:08:00 0100'"})
  void spaceForPlusIsReadAsPlus(String value) {
    assertThat(ChangesSince.parse(value)).isEqualTo(Instant.parse("2015-01-24T16:08:00Z"));
  }

  @ParameterizedTest
  @CsvSource({"garbage", "''", "2015-1-2T3:4:5Z", "2015-02-30", "2015-01-24T25:00:00Z",
      "2015-01-24T17:08:00+25:00", "2015-01-24X17:08", "yesterday", "1422118080"})
  void garbageIs400NamingTheValue(String value) {
    assertThatThrownBy(() -> ChangesSince.parse(value))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining("Use ISO 8601 DateTime notation.");
  }
}
