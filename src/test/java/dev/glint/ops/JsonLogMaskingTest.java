package dev.glint.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code log.format=json} masks tokens and secrets as the text layout does: in the message, the
 * MDC and exception messages down the cause chain. Logback's plain {@link JsonEncoder}, given the
 * same event, writes them out (so this test can fail).
 */
class JsonLogMaskingTest {
  static final String FERNET =
      "gAAAAABpLd3h8mX0Yq1f2vYk9Zr0bC3dE4fG5hI6jK7lM8nO9pQ0rS1tU2vW3xY4zA5bC6dE7fG8hI9jK0lM1nO2pQ3"
          + "rS4tU5vW6xY7zA8bC9dE0fG1hI2jK3lM4nO5pQ6rS7tU8vW9xY0zA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0tU==";
  static final String OPAQUE = "opaque-keystone-token-0123456789";
  static final String PASSWORD = "hunter2-json-password";
  static final String SECRET = "app-cred-secret-abcdefgh";

  private static LoggingEvent event(LoggerContext context) {
    LoggingEvent e =
        new LoggingEvent(
            JsonLogMaskingTest.class.getName(),
            context.getLogger("org.example.HttpClient"),
            Level.DEBUG,
            "validating {} for body {\"password\": \"" + PASSWORD + "\"}",
            new IllegalStateException(
                "GET /v2.0/tokens/" + OPAQUE + " failed",
                new RuntimeException("header X-Subject-Token: " + OPAQUE
                    + " body {\"secret\": \"" + SECRET + "\"}")),
            new Object[] {FERNET});
    e.setMDCPropertyMap(Map.of("request_id", "req-1", "path", "/v2.0/tokens/" + OPAQUE));
    return e;
  }

  private static String encode(JsonEncoder encoder, LoggingEvent e) {
    return new String(encoder.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void theJsonFormatMasksWhatTheTextFormatMasks() throws Exception {
    LoggerContext context = new LoggerContext();
    String line = encode(LogFormat.encoder(context), event(context));

    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("formattedMessage").asText())
        .isEqualTo("validating *** for body {\"password\": \"***\"}");
    assertThat(json.path("mdc").path("path").asText()).isEqualTo("/v2.0/tokens/***");
    assertThat(json.path("mdc").path("request_id").asText()).isEqualTo("req-1");
    assertThat(json.path("throwable").path("message").asText())
        .isEqualTo("GET /v2.0/tokens/*** failed");
    assertThat(json.path("throwable").path("cause").path("message").asText())
        .isEqualTo("header X-Subject-Token: *** body {\"secret\": \"***\"}");
    assertThat(line).doesNotContain(FERNET.substring(0, 30), OPAQUE, PASSWORD, SECRET);
  }

  @Test
  void logbacksOwnEncoderWouldHaveLeakedThem() {
    LoggerContext context = new LoggerContext();
    JsonEncoder plain = new JsonEncoder();
    plain.setContext(context);
    plain.start();
    assertThat(encode(plain, event(context))).contains(FERNET, OPAQUE, PASSWORD, SECRET);
  }
}
