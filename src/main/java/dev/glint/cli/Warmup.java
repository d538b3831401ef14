package dev.glint.cli;

import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Work a {@code serve} start needs soon, begun on a second thread while the main thread parses
 * the command line and the configuration: on a machine with two cores the start then uses both.
 * Each step is a one-time initialisation that the main thread would otherwise do itself when it
 * gets there (it waits for a step in progress, or finds it done); a step that fails here is done,
 * and fails visibly, on the main thread as before.
 */
final class Warmup {
  private Warmup() {}

  /** Done once Logback is configured (at once when no warm-up runs). */
  private static volatile CompletableFuture<Void> logging = CompletableFuture.completedFuture(null);

  static void start() {
    logging = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("glint-warmup").start(Warmup::run);
  }

  /**
   * Waits for the warm-up's Logback configuration. Needed before the main thread's first use of
   * logging: while slf4j initialises on one thread it hands other threads a stand-in factory, which
   * is not Logback's (so {@code LogFormat.json()} would find nothing to switch).
   */
  static void awaitLogging() {
    logging.join();
  }

  private static void run() {
    // Logback reads its configuration on the first logger.
    try {
      step(LoggerFactory::getILoggerFactory);
    } finally {
      logging.complete(null);
    }
    // sqlite-jdbc unpacks and loads its native library on the first connection.
    step(() -> org.sqlite.SQLiteJDBCLoader.initialize());
    // JDBI registers its JFR statement event on its first statement (the JFR set-up).
    step(() -> load("org.jdbi.v3.core.statement.internal.JfrSupport"));
    // Jackson's shared mapper (the token service, the views).
    step(() -> load("dev.glint.http.Json"));
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void step(Step step) {
    try {
      step.run();
    } catch (Exception | LinkageError e) {
      // The main thread does it again and reports what goes wrong.
    }
  }

  private static void load(String className) throws ClassNotFoundException {
    Class.forName(className, true, Warmup.class.getClassLoader());
  }
}
