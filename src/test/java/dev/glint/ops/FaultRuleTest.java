package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.error.ApiException;
import org.junit.jupiter.api.Test;

/** Fault rules without a server: parsing, counts and probability. */
class FaultRuleTest {

  @Test
  void aCountedRuleFiresThatManyTimes() {
    FaultInjector.Rule rule = FaultInjector.parse("{\"effect\": {\"status\": 503}, \"count\": 3}");
    int fired = 0;
    for (int i = 0; i < 10; i++) {
      fired += rule.fire() ? 1 : 0;
    }
    assertThat(fired).isEqualTo(3);
    assertThat(rule.view().get("remaining").asInt()).isZero();
    assertThat(rule.view().get("hits").asInt()).isEqualTo(3);
  }

  @Test
  void aProbableRuleFiresAboutThatOften() {
    FaultInjector.Rule rule =
        FaultInjector.parse("{\"effect\": {\"delay_ms\": 1}, \"probability\": 0.25}");
    int fired = 0;
    for (int i = 0; i < 20_000; i++) {
      fired += rule.fire() ? 1 : 0;
    }
    // 5000 expected; the bounds are more than 10 standard deviations (61) away.
    assertThat(fired).isBetween(4300, 5700);
    assertThat(rule.view().get("remaining").isNull()).isTrue();
  }

  @Test
  void refusesRulesThatCannotWork() {
    for (String bad : new String[] {
      "{\"effect\": {\"status\": 503, \"reset\": true}}",
      "{\"effect\": {\"status\": 302}}",
      "{\"effect\": {\"delay_ms\": -1}}",
      "{\"effect\": {\"status\": 503}, \"count\": 0}",
      "{\"effect\": {\"status\": 503}, \"probability\": 0}",
      "{\"effect\": {\"status\": 503}, \"probability\": 1.5}",
      "{\"effect\": {\"status\": 503}, \"ttl_seconds\": 0}",
      "{\"match\": {\"listener\": \"volume\"}, \"effect\": {\"status\": 503}}",
      "{\"match\": {\"route\": \"v2/images\"}, \"effect\": {\"status\": 503}}",
      "{\"match\": {\"query\": {\"limit\": {\"x\": 1}}}, \"effect\": {\"status\": 503}}",
      "{\"effect\": {\"status\": \"503\"}}",
      "{\"effect\": {\"status\": 503}, \"persist\": true}",
    }) {
      assertThatThrownBy(() -> FaultInjector.parse(bad)).as(bad).isInstanceOf(ApiException.class);
    }
  }
}
