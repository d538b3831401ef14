package dev.glint.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.glint.config.GlintConfig;
import dev.glint.store.S3BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy (the jar Maven copies to {@code target/s3proxy}) in its own
 * JVM on a free loopback port, with jclouds' in-memory provider and SigV4 auth under a fixed key
 * pair. The in-memory provider copies a multipart object whole when it completes, so its heap is
 * sized for a 600 MiB image (about three times that). Set {@code -Dglint.s3proxy.keep=true} to keep
 * its log. A separate process because s3proxy embeds Jetty 11, which cannot share a class path with
 * Glint's Jetty 12.1. Tests are skipped (not failed) only when the jar is absent.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String ACCESS_KEY = "glint-test";
  public static final String SECRET_KEY = "glint-test-secret";

  private final Process process;
  private final Path dir;
  private final String endpoint;

  private S3Proxy(Process process, Path dir, String endpoint) {
    this.process = process;
    this.dir = dir;
    this.endpoint = endpoint;
  }

  /** Starts s3proxy and waits until it accepts connections (at most 60 s). */
  public static S3Proxy start() {
    String jarProperty = System.getProperty("glint.s3proxy.jar", "target/s3proxy/s3proxy.jar");
    Path jar = Path.of(jarProperty);
    assumeTrue(Files.isRegularFile(jar), "s3proxy jar not found at " + jar + "; run through Maven");
    try {
      Path dir = Files.createTempDirectory("glint-s3proxy");
      int port = TestServer.freePort();
      String endpoint = "http://127.0.0.1:" + port;
      Path properties = dir.resolve("s3proxy.conf");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              "jclouds.provider=transient",
              "jclouds.identity=" + ACCESS_KEY,
              "jclouds.credential=" + SECRET_KEY,
              ""));
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Path log = dir.resolve("s3proxy.log");
      Process process =
          new ProcessBuilder(
                  List.of(
                      java.toString(),
                      "-Xmx3g",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar.toAbsolutePath().toString(),
                      "--properties",
                      properties.toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      S3Proxy proxy = new S3Proxy(process, dir, endpoint);
      proxy.awaitPort(port, log);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitPort(int port, Path log) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    close();
    throw new IllegalStateException("s3proxy did not listen within 60 s:\n" + Files.readString(log));
  }

  public String endpoint() {
    return endpoint;
  }

  /** The store configuration Glint would build for {@code bucket} on this server. */
  public GlintConfig.S3 config(String bucket) {
    return new GlintConfig.S3(
        Optional.of(endpoint),
        "us-east-1",
        bucket,
        "images",
        Optional.of(ACCESS_KEY),
        Optional.of(SECRET_KEY),
        true);
  }

  /** The {@code blob.store=s3} configuration keys for a {@link TestServer} on {@code bucket}. */
  public Map<String, String> serverConfig(String bucket) {
    return Map.of(
        "blob.store", "s3",
        "s3.endpoint", endpoint,
        "s3.bucket", bucket,
        "s3.access.key", ACCESS_KEY,
        "s3.secret.key", SECRET_KEY);
  }

  /** A client with Glint's settings, for creating buckets and looking inside them. */
  public S3Client client() {
    return S3BlobStore.client(config("unused"));
  }

  /** Creates {@code bucket} and returns its name. */
  public String createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (Boolean.getBoolean("glint.s3proxy.keep")) {
      System.out.println("s3proxy log kept in " + dir.resolve("s3proxy.log"));
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
