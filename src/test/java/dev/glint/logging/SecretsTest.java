package dev.glint.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {
  static final String FERNET =
      "gAAAAABpLd3h8mX0Yq1f2vYk9Zr0bC3dE4fG5hI6jK7lM8nO9pQ0rS1tU2vW3xY4zA5bC6dE7fG8hI9jK0lM1nO2pQ3rS4tU5vW6xY7zA8bC9dE0fG1hI2jK3lM4nO5pQ6rS7tU8vW9xY0zA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU1vW2xY3zA4bC5dE6fG7hI8jK9lM0nO==";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /v2.0/tokens/abc123def 200 | GET /v2.0/tokens/*** 200",
        "GET /v2.0/tokens/abc?x=1 | GET /v2.0/tokens/***?x=1",
        "X-Subject-Token: s3cr3t-token, Vary | X-Subject-Token: ***, Vary",
        "x-auth-token=abcdef | x-auth-token=***",
        "{\"password\": \"pa\\\"ss\", \"name\": \"bob\"} | {\"password\": \"***\", \"name\": \"bob\"}",
        "{\"original_password\":\"old\"} | {\"original_password\":\"***\"}",
        "{\"secret\": \"app-cred-secret\"} | {\"secret\": \"***\"}",
        "nothing to hide here | nothing to hide here",
      })
  void masksTokensAndSecrets(String in, String out) {
    assertThat(Secrets.mask(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({"Could not find token: TOKEN.", "token TOKEN in the middle", "TOKEN"})
  void masksFernetTokensAnywhere(String template) {
    String masked = Secrets.mask(template.replace("TOKEN", FERNET));
    assertThat(masked).doesNotContain(FERNET.substring(6, 40)).contains(Secrets.MASK);
  }

  @ParameterizedTest
  @CsvSource({"/v2.0/tokens/abc,/v2.0/tokens/***", "/v3/auth/tokens,/v3/auth/tokens", "/V2.0/TOKENS/x,/v2.0/tokens/***"})
  void masksTheTokenInAnAccessLogPath(String path, String shown) {
    assertThat(Secrets.path(path)).isEqualTo(shown);
  }
}
