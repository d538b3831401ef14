package dev.glint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Glint as a separate operating-system process ({@code glint serve}), started from the test's
 * own class path, for tests about several nodes sharing one store. It logs as a production node
 * does (the shipped {@code logback.xml}, not the tests'), at {@code GLINT_LOG_LEVEL=TRACE} unless
 * the test says otherwise, and its log joins the suite's log-leak check ({@link LogCapture}) when
 * it stops.
 */
public final class GlintProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final Path errors;
  private final int identityPort;
  private final int imagePort;
  private final int computePort;

  private GlintProcess(
      Process process, Path log, Path errors, int identity, int image, int compute) {
    this.process = process;
    this.log = log;
    this.errors = errors;
    this.identityPort = identity;
    this.imagePort = image;
    this.computePort = compute;
  }

  /** Starts {@code glint serve} with these GLINT_* settings and waits until it answers. */
  public static GlintProcess start(Path dataDir, String storeUrl, Map<String, String> env)
      throws IOException, InterruptedException {
    return start(dataDir, storeUrl, env, List.of());
  }

  /** As {@link #start(Path, String, Map)}, with extra JVM options (e.g. system properties). */
  public static GlintProcess start(
      Path dataDir, String storeUrl, Map<String, String> env, List<String> jvmOptions)
      throws IOException, InterruptedException {
    int identity = TestServer.freePort();
    int image = TestServer.freePort();
    int compute = TestServer.freePort();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                javaBin,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m"));
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dlogback.configurationFile="))) {
      try {
        cmd.add("-Dlogback.configurationFile="
            + Path.of(GlintProcess.class.getResource("/logback.xml").toURI()));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "dev.glint.cli.Glint",
            "serve",
            "--data-dir",
            dataDir.toString(),
            "--store-url",
            storeUrl));
    Path log = Files.createTempFile("glint-node", ".log");
    // Standard output (what serve prints for people) and standard error (the log) apart.
    Path errors = Files.createTempFile("glint-node", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(log.toFile()).redirectError(errors.toFile());
    if (storeUrl.startsWith("jdbc:postgresql:")) {
      // Test nodes share the data dir they are given; a test about separate dirs overrides this.
      pb.environment().put("GLINT_BLOB_FILE_SHARED", "true");
    }
    pb.environment().put("GLINT_LOG_LEVEL", "TRACE");
    // As bin/glint and packaging/glint.service run it (docs/reliability.md, the soak).
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().putAll(env);
    pb.environment().put("GLINT_IDENTITY_PORT", Integer.toString(identity));
    pb.environment().put("GLINT_IMAGE_PORT", Integer.toString(image));
    pb.environment().put("GLINT_COMPUTE_PORT", Integer.toString(compute));
    GlintProcess node = new GlintProcess(pb.start(), log, errors, identity, image, compute);
    node.awaitUp();
    return node;
  }

  private void awaitUp() throws InterruptedException, IOException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("glint node exited: " + output());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(computeUrl() + "/")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("glint node did not start: " + output());
  }

  /** What the process printed so far: standard output, then standard error (its log). */
  public String output() {
    try {
      return Files.readString(log) + Files.readString(errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What it printed for people so far (standard output). */
  public String stdout() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its log so far (standard error). */
  public String stderr() {
    try {
      return Files.readString(errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operating-system process id of the node's JVM. */
  public long pid() {
    return process.pid();
  }

  public String identityUrl() {
    return "http://127.0.0.1:" + identityPort;
  }

  public String imageUrl() {
    return "http://127.0.0.1:" + imagePort;
  }

  public String computeUrl() {
    return "http://127.0.0.1:" + computePort;
  }

  /** Kills the process at once (SIGKILL), as a crashed machine would stop: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Stops the process as an operator would (SIGTERM) and waits; its output stays readable. */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (LogCapture.instance() != null) {
      LogCapture.instance().addProcessLog("glint-node", stderr());
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Files.deleteIfExists(log);
      Files.deleteIfExists(errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
