package dev.glint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl from the Debian packages), on a port
 * below 32768, so a test may stop and start it without touching the shared server. Run as the
 * {@code postgres} user through {@code runuser} when the test runs as root. Tests skip when the
 * binaries are missing.
 */
public final class PrivatePostgres implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final int port;

  private PrivatePostgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** Makes and starts a new cluster; aborts the calling test when PostgreSQL is not installed. */
  public static PrivatePostgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("glint-private-pg");
    if (root()) {
      exec(List.of("chown", "postgres", dir.toString()));
    }
    int port = freePortBelow32768();
    PrivatePostgres pg = new PrivatePostgres(bin, dir, port);
    pg.pg("initdb", "-D", pg.data().toString(), "-A", "trust", "-U", "postgres", "--no-sync",
        "-E", "UTF8");
    pg.startServer();
    return pg;
  }

  private static Path binaries() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      Assumptions.abort("PostgreSQL binaries not installed (" + base + ")");
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.naturalOrder())
          .orElseGet(
              () -> {
                Assumptions.abort("no initdb and pg_ctl under " + base);
                return null;
              });
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** A port in 20000–32767 that is free now (never one in the ephemeral range tests use). */
  private static int freePortBelow32768() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port below 32768");
  }

  private Path data() {
    return dir.resolve("data");
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** Starts the server and waits until it accepts connections. */
  public void startServer() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w",
        "-t", "120", "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=40",
        "start");
  }

  /**
   * Stops the server as a crash would ({@code -m immediate}: no checkpoint, connections cut);
   * the next start recovers from the WAL, so every committed transaction survives.
   */
  public void crash() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
  }

  private void pg(String tool, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (root()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    exec(cmd);
  }

  private static void exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IOException(cmd + " exited " + p.exitValue() + ": " + out);
    }
  }

  @Override
  public void close() {
    try {
      pg("pg_ctl", "-D", data().toString(), "-m", "immediate", "stop");
    } catch (IOException | InterruptedException stoppedAlready) {
      // not running
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
