package dev.glint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.LoggerFactory;

/**
 * For a whole test class: turns logging up as far as {@code GLINT_LOG_LEVEL=TRACE} does with the
 * shipped {@code logback.xml} (every logger at TRACE but the libraries it pins at WARN: Jetty,
 * whose debug output dumps raw request bytes, Javalin, HikariCP, Flyway), captures every line as
 * the production layout writes it, and afterwards fails if any token, password or secret the
 * class used ({@link SecretsSeen}) appears in a line. Glint's own lines are also checked before
 * masking: its code must not log a secret in the first place; the layout's masking is the second
 * line of defence. Nothing captured is printed.
 */
public final class LogLeakCheck implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  /** Tests of the class that ran to the end (passed or failed); skipped ones prove nothing. */
  private final java.util.concurrent.atomic.AtomicInteger ran =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public void testSuccessful(ExtensionContext context) {
    ran.incrementAndGet();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    ran.incrementAndGet();
  }

  /** The root, the access log (not additive in tests) and what logback.xml pins. */
  private static final Map<String, Level> LEVELS =
      Map.of(
          Logger.ROOT_LOGGER_NAME, Level.TRACE,
          "glint.access", Level.TRACE,
          "org.eclipse.jetty", Level.WARN,
          "io.javalin", Level.WARN,
          "com.zaxxer.hikari", Level.WARN,
          "org.flywaydb", Level.WARN);
  private static final String PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %logger{20} [%X{request_id:--}] %msg%n%xEx";

  private record Saved(
      Level level, boolean additive, List<ch.qos.logback.core.Appender<ILoggingEvent>> appenders) {}

  private final Map<String, Saved> saved = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> ours = new ConcurrentLinkedQueue<>();
  private AppenderBase<ILoggingEvent> appender;
  private Set<String> before;

  @Override
  public void beforeAll(ExtensionContext context) {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayout layout = new PatternLayout();
    layout.setContext(lc);
    layout.getInstanceConverterMap()
        .put("msg", dev.glint.logging.MaskedMessageConverter::new);
    layout.getInstanceConverterMap()
        .put("xEx", dev.glint.logging.MaskedThrowableConverter::new);
    layout.setPattern(PATTERN);
    layout.start();
    appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            written.add(layout.doLayout(e));
            if (e.getLoggerName().startsWith("dev.glint") || e.getLoggerName().startsWith("glint")) {
              StringBuilder raw = new StringBuilder(e.getFormattedMessage());
              for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                raw.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
              }
              ours.add(raw.toString());
            }
          }
        };
    appender.setContext(lc);
    appender.start();
    LEVELS.forEach(
        (name, level) -> {
          Logger logger = lc.getLogger(name);
          List<ch.qos.logback.core.Appender<ILoggingEvent>> appenders = new ArrayList<>();
          logger.iteratorForAppenders().forEachRemaining(appenders::add);
          saved.put(name, new Saved(logger.getLevel(), logger.isAdditive(), appenders));
          appenders.forEach(logger::detachAppender);
          logger.setLevel(level);
          logger.setAdditive(false);
          logger.addAppender(appender);
        });
    before = SecretsSeen.snapshot();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    saved.forEach(
        (name, s) -> {
          Logger logger = lc.getLogger(name);
          logger.detachAppender(appender);
          s.appenders().forEach(logger::addAppender);
          logger.setLevel(s.level());
          logger.setAdditive(s.additive());
        });
    appender.stop();
    if (ran.get() == 0) {
      return; // every test skipped (e.g. a client test in the PostgreSQL run): nothing to search
    }
    List<String> used = new ArrayList<>(SecretsSeen.snapshot());
    used.removeAll(before);
    assertThat(used).as("secrets this class used (else it proves nothing)").isNotEmpty();
    // The bootstrap passwords were registered before this class; they count too.
    used = new ArrayList<>(SecretsSeen.snapshot());
    assertThat(written).as("log lines captured").isNotEmpty();
    List<String> leaks = new ArrayList<>();
    for (String secret : used) {
      String shown = secret.substring(0, 4) + "…";
      written.stream()
          .filter(line -> line.contains(secret))
          .forEach(line -> leaks.add("[" + shown + "] " + line.replace(secret, "<SECRET>")));
      ours.stream()
          .filter(line -> line.contains(secret))
          .forEach(line -> leaks.add("[" + shown + ", unmasked] " + line.replace(secret, "<SECRET>")));
    }
    assertThat(leaks).as("log lines holding a token or secret").isEmpty();
  }
}
