package dev.glint.cli;

import java.io.PrintStream;

/** A one-line progress bar on stderr with rate and time left; quiet when stderr is not a terminal. */
final class Progress {
  private final String what;
  private final long total;
  private final long started = System.nanoTime();
  private final PrintStream out = System.err;
  private final boolean terminal = System.console() != null;
  private long done;
  private long lastPrint;

  Progress(String what, long total) {
    this.what = what;
    this.total = total;
  }

  void advance(long n) {
    done += n;
    long now = System.nanoTime();
    if (now - lastPrint > 250_000_000L && done < total) {
      lastPrint = now;
      print(false);
    }
  }

  void done() {
    print(true);
  }

  private void print(boolean last) {
    double secs = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    double rate = done / secs;
    int width = 30;
    int filled = (int) (width * done / Math.max(1, total));
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    long left = rate > 0 ? (long) ((total - done) / rate) : 0;
    String line =
        String.format(
            "[%s] %,d/%,d %s  %,.0f/s  %ds left", bar, done, total, what, rate, left);
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else if (last || done % Math.max(1, total / 10) < 5000) {
      out.println(line);
    }
    out.flush();
  }
}
