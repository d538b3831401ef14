package dev.glint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/** The command line as an operator meets it: one line and exit status 2 for fixable problems. */
class CommandLineTest {
  private Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    Assumptions.assumeFalse(TestStores.postgres(), "runs once, in the default execution");
    dir = Files.createTempDirectory("glint-cli");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private int run(String... args) {
    CommandLine cmd = GlintCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("glint.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void printsItsVersion() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().strip()).matches("glint \\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void aBadConfigKeyIsOneLineAndStatus2() throws Exception {
    Path file = yaml("compute:\n  prot: 8774\n");
    assertThat(run("config", "check", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString().lines().toList()).hasSize(1);
    assertThat(err.toString()).startsWith("glint: configuration: unknown key 'compute.prot'")
        .contains("Fix:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void configCheckPrintsTheEffectiveConfigurationWithSecretsMasked() throws Exception {
    Path file = yaml("""
        store:
          url: jdbc:postgresql://db.example:5432/glint?user=glint&password=pg-secret-1
        admin:
          password: admin-secret-2
        blob:
          store: s3
        s3:
          bucket: images
          access:
            key: AKIAEXAMPLE
          secret:
            key: s3-secret-3
        log:
          format: json
        """);
    assertThat(run("config", "check", "--config", file.toString(), "-d", dir.toString()))
        .isZero();
    String printed = out.toString();
    assertThat(printed).doesNotContain("pg-secret-1", "admin-secret-2", "s3-secret-3");
    assertThat(printed)
        .contains("store.url: jdbc:postgresql://db.example:5432/glint?user=glint&password=***")
        .contains("admin.password: ***")
        .contains("demo.password: (generated at bootstrap)")
        .contains("s3.secret.key: ***")
        .contains("s3.access.key: AKIAEXAMPLE")
        .contains("compute.port: 8774")
        .contains("log.format: json")
        .contains("faults.enabled: false")
        .contains("data.dir: " + dir);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void theExampleConfigurationIsValid() {
    Path example = Path.of("packaging", "glint.yaml").toAbsolutePath();
    assertThat(run("config", "check", "--config", example.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).contains("data.dir: /var/lib/glint")
        .contains("healthcheck.disable.by.file: /var/lib/glint/healthcheck_disable");
  }

  @Test
  void aPortInUseIsOneLineNamingThePortAndItsSetting() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file = yaml("""
          identity: {port: %d}
          image: {port: %d}
          compute: {port: %d}
          admin: {password: a-secret}
          demo: {password: d-secret}
          """.formatted(TestServer.freePort(), TestServer.freePort(), taken.getLocalPort()));
      assertThat(run("serve", "--config", file.toString(), "-d", dir.resolve("data").toString()))
          .isEqualTo(2);
    }
    assertThat(err.toString().lines().toList()).hasSize(1);
    assertThat(err.toString()).startsWith("glint: port ").contains("already in use")
        .contains("compute.port").contains("GLINT_COMPUTE_PORT");
  }

  @Test
  void anUnreachableStoreIsOneLineWithoutItsPassword() throws Exception {
    int closed = TestServer.freePort();
    Path file = yaml("store: {busy: {timeout: {ms: 500}}}\nblob: {file: {shared: true}}\n");
    assertThat(run("serve", "--config", file.toString(), "-d", dir.resolve("data").toString(),
        "--store-url", "jdbc:postgresql://127.0.0.1:" + closed + "/glint?user=g&password=hunter2"))
        .isEqualTo(2);
    assertThat(err.toString().lines().toList()).hasSize(1);
    assertThat(err.toString())
        .startsWith("glint: cannot open the store jdbc:postgresql://127.0.0.1:" + closed)
        .contains("password=***").doesNotContain("hunter2").contains("Fix:");
  }

  @Test
  void aPostgresqlStoreWithAnUnsharedFileStoreIsOneLineNamingTheSetting() throws Exception {
    Path file = yaml("admin: {password: a-secret}\n");
    assertThat(run("serve", "--config", file.toString(), "-d", dir.resolve("data").toString(),
        "--store-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"))
        .isEqualTo(2);
    assertThat(err.toString().lines().toList()).hasSize(1);
    assertThat(err.toString()).startsWith("glint: configuration: with a PostgreSQL store")
        .contains("blob.file.shared=true").contains("blob.store=s3");
  }
}
