package dev.glint.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What the command line prints when a command fails: one line and exit status 2 for what the
 * operator can fix ({@link StartupFailure}), the stack trace and status 1 for anything else.
 */
public final class Failures implements IExecutionExceptionHandler {
  /** The exit status for a problem in the configuration or the environment. */
  public static final int USAGE = 2;

  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof StartupFailure f) {
      err.println("glint: " + f.getMessage());
      err.flush();
      return USAGE;
    }
    ex.printStackTrace(err);
    err.flush();
    return 1;
  }

  /** Wraps a failure to open the store (at start-up) in one line; anything else unchanged. */
  static RuntimeException store(String storeUrl, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException || t.getClass().getName().startsWith("org.flywaydb")) {
        return new StartupFailure(
            "cannot open the store " + maskUrl(storeUrl) + " (" + root(e) + "). Fix: start the"
                + " database or correct store.url (--store-url, GLINT_STORE_URL, glint.yaml).",
            e);
      }
    }
    return e;
  }

  /** Wraps a listener that cannot bind in one line naming the port and its setting. */
  static RuntimeException bind(RuntimeException e, String host, int identity, int image,
      int compute) {
    boolean bind = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      bind |= t instanceof BindException || t.getClass().getSimpleName().contains("BindException");
    }
    if (!bind) {
      return e;
    }
    Matcher m = Pattern.compile("port (\\d+)").matcher(String.valueOf(e.getMessage()));
    int port = m.find() ? Integer.parseInt(m.group(1)) : -1;
    String key = port == identity ? "identity.port" : port == image ? "image.port"
        : port == compute ? "compute.port" : "identity.port, image.port or compute.port";
    return new StartupFailure(
        (port > 0 ? "port " + port + " on " + host : "a listener port on " + host)
            + " is already in use. Fix: stop the process using it (ss -ltnp), or set " + key
            + " (GLINT_" + key.split(",")[0].replace('.', '_').toUpperCase(java.util.Locale.ROOT)
            + " or glint.yaml) to a free port.",
        e);
  }

  static String maskUrl(String url) {
    return PASSWORD.matcher(url).replaceAll("$1***");
  }

  private static String root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return (message == null ? t.getClass().getSimpleName() : message).lines().findFirst()
        .orElse("").strip();
  }
}
