package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.http.WebobFaults.Form;
import dev.glint.http.WebobFaults;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlanceFaultsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "NULL|PLAIN",
        "application/json|JSON",
        "*/*|HTML",
        "text/html|HTML",
        "text/plain|PLAIN",
        "application/json, */*|HTML",
        "application/json, text/html;q=0.5|JSON",
        "application/*|JSON",
        "text/html;q=0, application/json;q=0|PLAIN",
        "application/xml|PLAIN",
      })
  void formFollowsWebobsChoice(String accept, Form form) {
    assertThat(WebobFaults.form(accept)).isEqualTo(form);
  }
}
