package dev.glint.testing;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every log line of the test JVM, at every level, for the log-leak check: {@code logback-test.xml}
 * attaches this appender to the root logger (at TRACE) and to the access log, and pins the same
 * libraries at WARN as the shipped {@code logback.xml} does (Jetty, whose debug output dumps raw
 * request bytes, Javalin, HikariCP, Flyway), plus test-only client libraries that are no part of a
 * running Glint. So the capture holds what a Glint started with {@code GLINT_LOG_LEVEL=TRACE}
 * would write, as the production layout writes it (masking converters included). Glint's own
 * lines (loggers {@code dev.glint…} and {@code glint.…}) are also kept before masking, marked
 * {@code UNMASKED}: its code must not log a secret in the first place; the layout's masking is the
 * second line of defence. Logs of {@link GlintProcess} nodes are added when they stop.
 *
 * <p>Lines go to a temporary file (the whole suite writes far too much to hold in memory), which
 * {@link #leaks} searches for secrets, so that a secret the tests learn only after it was logged
 * (a token in the response that issued it) is still found. Nothing captured is printed.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {
  static final String PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %logger{20} [%X{request_id:--}] %msg%n%xEx";
  static final String UNMASKED = "UNMASKED ";
  private static final int SHOWN = 40;

  private static volatile LogCapture instance;

  private PatternLayout layout;
  private Path file;
  private Writer out;
  private long lines;

  /** The capture logback-test.xml installed, or null when logging runs without it. */
  public static LogCapture instance() {
    return instance;
  }

  @Override
  public void start() {
    layout = new PatternLayout();
    layout.setContext(getContext());
    layout.getInstanceConverterMap().put("msg", dev.glint.logging.MaskedMessageConverter::new);
    layout.getInstanceConverterMap().put("xEx", dev.glint.logging.MaskedThrowableConverter::new);
    layout.setPattern(PATTERN);
    layout.start();
    try {
      file = Files.createTempFile("glint-log-capture", ".log");
      file.toFile().deleteOnExit();
      // Replacing what UTF-8 cannot encode (a lone surrogate from the fuzzer), not failing on it.
      out =
          new java.io.BufferedWriter(
              new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      addError("cannot create the log capture file", e);
      return;
    }
    super.start();
    instance = this;
  }

  @Override
  protected void append(ILoggingEvent e) {
    write(layout.doLayout(e));
    String logger = e.getLoggerName();
    if (logger.startsWith("dev.glint") || logger.startsWith("glint.")) {
      StringBuilder raw = new StringBuilder(UNMASKED).append(logger).append(' ');
      raw.append(e.getFormattedMessage());
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        raw.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
      }
      write(raw.toString().replace('\n', ' ').replace('\r', ' ') + "\n");
    }
  }

  /** Adds the log a Glint process wrote (its standard error), line by line. */
  public synchronized void addProcessLog(String name, String log) {
    if (!isStarted()) {
      return;
    }
    for (String line : log.split("\n", -1)) {
      if (!line.isEmpty()) {
        write("[" + name + "] " + line + "\n");
      }
    }
  }

  private void write(String text) {
    try {
      out.write(text);
    } catch (IOException e) {
      addError("cannot write the log capture", e);
    }
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lines++;
    }
  }

  /** Lines captured so far: a position to search from. */
  public synchronized long lines() {
    return lines;
  }

  /**
   * Each captured line from line {@code from} on that holds one of {@code secrets}, the secret
   * replaced by {@code <SECRET>} and shown by its first four characters (at most {@value #SHOWN}
   * lines, then a count of the rest).
   */
  public List<String> leaks(long from, Collection<String> secrets) {
    synchronized (this) {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    SecretIndex index = new SecretIndex(secrets);
    List<String> found = new ArrayList<>();
    long more = 0;
    try (BufferedReader in =
        new BufferedReader(
            new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      long n = 0;
      for (String line; (line = in.readLine()) != null; n++) {
        if (n < from) {
          continue;
        }
        for (String secret : index.in(line)) {
          if (found.size() >= SHOWN) {
            more++;
            continue;
          }
          found.add("[" + secret.substring(0, 4) + "…] " + line.replace(secret, "<SECRET>"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (more > 0) {
      found.add("… and " + more + " more");
    }
    return found;
  }

  /**
   * Finds which of many secrets a line contains in one pass over the line: each secret is indexed
   * by a rolling hash of its last {@link SecretsSeen#MIN_LENGTH} characters (the end of a Fernet
   * token is its random HMAC, where the start is the same for every token of the hour), and only
   * a hash hit is compared in full.
   */
  static final class SecretIndex {
    private static final int W = SecretsSeen.MIN_LENGTH;
    private static final long B = 1_000_003L;
    private static final long POW = pow();
    private static final int BITS = 1 << 22;

    private final Map<Long, List<String>> byTail = new HashMap<>();
    private final BitSet maybe = new BitSet(BITS);

    SecretIndex(Collection<String> secrets) {
      for (String s : secrets) {
        if (s.length() >= W) {
          long h = hash(s, s.length() - W);
          byTail.computeIfAbsent(h, k -> new ArrayList<>(1)).add(s);
          maybe.set(slot(h));
        }
      }
    }

    /** The secrets {@code line} contains. */
    List<String> in(String line) {
      List<String> out = List.of();
      if (line.length() < W || byTail.isEmpty()) {
        return out;
      }
      long h = hash(line, 0);
      for (int i = 0; ; i++) {
        if (maybe.get(slot(h))) {
          for (String s : byTail.getOrDefault(h, List.of())) {
            int start = i + W - s.length();
            if (start >= 0 && line.startsWith(s, start) && !out.contains(s)) {
              if (out.isEmpty()) {
                out = new ArrayList<>();
              }
              out.add(s);
            }
          }
        }
        if (i + W >= line.length()) {
          return out;
        }
        h = (h - line.charAt(i) * POW) * B + line.charAt(i + W);
      }
    }

    private static long hash(String s, int from) {
      long h = 0;
      for (int i = from; i < from + W; i++) {
        h = h * B + s.charAt(i);
      }
      return h;
    }

    private static int slot(long h) {
      return (int) ((h * 0x9E3779B97F4A7C15L) >>> (64 - 22));
    }

    private static long pow() {
      long p = 1;
      for (int i = 1; i < W; i++) {
        p *= B;
      }
      return p;
    }
  }
}
