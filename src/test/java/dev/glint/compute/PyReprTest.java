package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.http.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Python 3's repr() of decoded JSON, as it appears in Nova's validation messages. */
class PyReprTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "null|None",
        "true|True",
        "false|False",
        "12|12",
        "123456789012345678901234567890|123456789012345678901234567890",
        "1.5|1.5",
        "100.0|100.0",
        "1e100|1e+100",
        "1e-7|1e-07",
        "\"x\"|'x'",
        "\"it's\"|\"it's\"",
        "\"a'b\\\"c\"|'a\\'b\"c'",
        "\"tab\\tnl\\n\"|'tab\\tnl\\n'",
        "\"caf\u00e9\"|'caf\u00e9'",
        "[1, \"a\", [], {}]|[1, 'a', [], {}]",
        "{\"a/b\": \"x\", \"n\": null}|{'a/b': 'x', 'n': None}",
      })
  void matchesPython(String json, String repr) throws Exception {
    assertThat(PyRepr.repr(Json.MAPPER.readTree(json))).isEqualTo(repr);
  }
}
