package dev.glint.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.glint.logging.MaskingJsonEncoder;
import ch.qos.logback.core.AsyncAppenderBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code log.format=json}: every console appender switches to Logback's own {@link JsonEncoder}
 * (as {@link MaskingJsonEncoder}: tokens and secrets masked, as the text layout masks them),
 * one JSON object per line with {@code timestamp} (epoch ms), {@code level}, {@code loggerName},
 * {@code mdc} (request_id, global_request_id, user, project, api, method, route, status,
 * duration_ms, as far as known) and {@code message}, plus {@code throwable} on errors. Text (the
 * pattern in logback.xml) stays the default.
 */
public final class LogFormat {
  private LogFormat() {}

  public static void json() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      appenders.add(appender);
      // logback.xml writes through an AsyncAppender: its console appender sits behind it.
      if (appender instanceof AsyncAppenderBase<ILoggingEvent> async) {
        async.iteratorForAppenders().forEachRemaining(appenders::add);
      }
    }
    for (Appender<ILoggingEvent> appender : appenders) {
      if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
        JsonEncoder encoder = encoder(context);
        console.stop();
        console.setEncoder(encoder);
        console.start();
      }
    }
  }

  /** The encoder {@link #json()} installs, started. */
  static JsonEncoder encoder(LoggerContext context) {
    JsonEncoder encoder = new MaskingJsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithThreadName(false);
    encoder.setWithArguments(false);
    encoder.setWithKVPList(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }

  /**
   * Stops the logging context: the asynchronous appender writes out what it has queued (up to its
   * {@code maxFlushTime}). Called last on shutdown, so that no log line of the last requests is lost.
   */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
