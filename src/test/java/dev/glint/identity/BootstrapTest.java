package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.config.ConfigLoader;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code IdentityService.bootstrap()}: what a first start creates, and what later starts keep. */
class BootstrapTest {
  @TempDir Path dir;
  SharedStore store;

  @BeforeEach
  void shareOneStore() {
    store = new SharedStore(dir);
  }

  @AfterEach
  void dropIt() {
    store.close();
  }

  static String env(Path openrc, String name) throws IOException {
    for (String line : Files.readAllLines(openrc)) {
      String prefix = "export " + name + "='";
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length(), line.length() - 1).replace("'\\''", "'");
      }
    }
    throw new AssertionError(name + " not in " + openrc);
  }

  static long count(TestServer server, String table) {
    return server.app().db().read(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }

  @Test
  void firstStartWritesOwnerOnlyOpenrcFilesThatWork() throws IOException {
    try (TestServer server = TestServer.start(store.config())) {
      Path openrc = dir.resolve("admin-openrc.sh");

      assertThat(Files.getPosixFilePermissions(openrc))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(dir.resolve("demo-openrc.sh")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readAllLines(openrc).subList(1, 10))
          .containsExactly(
              "export OS_AUTH_URL='" + server.identityUrl() + "/v3'",
              "export OS_USERNAME='admin'",
              "export OS_PASSWORD='admin-secret'",
              "export OS_PROJECT_NAME='admin'",
              "export OS_USER_DOMAIN_NAME='Default'",
              "export OS_PROJECT_DOMAIN_NAME='Default'",
              "export OS_IDENTITY_API_VERSION='3'",
              "export OS_REGION_NAME='RegionOne'",
              "export OS_INTERFACE='public'");
      assertThat(env(dir.resolve("demo-openrc.sh"), "OS_PROJECT_NAME")).isEqualTo("demo");
      assertThat(server.token(env(openrc, "OS_USERNAME"), env(openrc, "OS_PASSWORD"), "admin"))
          .isNotEmpty();
    }
  }

  @Test
  void bootstrapTwiceChangesNothing() {
    try (TestServer server = TestServer.start()) {
      long users = count(server, "users");
      long projects = count(server, "projects");
      long roles = count(server, "roles");
      long grants = count(server, "role_grants");
      String adminProject =
          server.app().tokens().validate(server.adminToken()).orElseThrow().projectId();

      BootstrapResult again = server.app().identity().bootstrap();

      assertThat(again.created()).isFalse();
      assertThat(again.admin().created()).isFalse();
      assertThat(again.admin().generatedPassword()).isEmpty();
      assertThat(again.admin().passwordUpdated()).isFalse();
      assertThat(again.admin().openrcWritten()).isFalse();
      assertThat(again.admin().projectId()).isEqualTo(adminProject).matches("[0-9a-f]{32}");
      assertThat(again.demo().projectId()).matches("[0-9a-f]{32}").isNotEqualTo(adminProject);
      assertThat(List.of(count(server, "users"), count(server, "projects"), count(server, "roles"),
              count(server, "role_grants")))
          .containsExactly(users, projects, roles, grants);
      assertThat(List.of(users, projects, roles, grants)).containsExactly(2L, 2L, 3L, 2L);
      assertThat(count(server, "implied_roles")).isEqualTo(2);
    }
  }

  @Test
  void withoutConfiguredPasswordsTheyAreGeneratedOnceAndKeptInTheOpenrc() throws IOException {
    Map<String, String> noPasswords =
        store.config("admin.password", "", "demo.password", "");
    String adminPassword;
    try (TestServer server = TestServer.start(noPasswords)) {
      adminPassword = env(dir.resolve("admin-openrc.sh"), "OS_PASSWORD");
      String demoPassword = env(dir.resolve("demo-openrc.sh"), "OS_PASSWORD");

      assertThat(adminPassword).matches("[A-Za-z0-9_-]{20,}").isNotEqualTo(demoPassword);
      assertThat(server.token("admin", adminPassword, "admin")).isNotEmpty();
      assertThat(server.token("demo", demoPassword, "demo")).isNotEmpty();

      BootstrapResult again = server.app().identity().bootstrap();
      assertThat(again.admin().generatedPassword()).isEmpty();
      assertThat(again.admin().openrcWritten()).isFalse();
    }
    // A restart keeps the generated password.
    try (TestServer server = TestServer.start(noPasswords)) {
      assertThat(server.token("admin", adminPassword, "admin")).isNotEmpty();
      assertThat(env(dir.resolve("admin-openrc.sh"), "OS_PASSWORD")).isEqualTo(adminPassword);
    }
  }

  @Test
  void theOpenrcFollowsAChangedIdentityUrlKeepingTheGeneratedPassword() throws IOException {
    Map<String, String> noPasswords =
        store.config("admin.password", "", "demo.password", "");
    String before;
    try (TestServer server = TestServer.start(noPasswords)) {
      before = env(dir.resolve("demo-openrc.sh"), "OS_PASSWORD");
    }
    // TestServer picks new ports, so the identity URL differs on this start.
    try (TestServer server = TestServer.start(noPasswords)) {
      assertThat(env(dir.resolve("demo-openrc.sh"), "OS_AUTH_URL"))
          .isEqualTo(server.identityUrl() + "/v3");
      assertThat(env(dir.resolve("demo-openrc.sh"), "OS_PASSWORD")).isEqualTo(before);
      assertThat(server.token("demo", before, "demo")).isNotEmpty();
    }
  }

  @Test
  void aRestartWithNothingConfiguredChecksNoPasswordAtAll() throws IOException {
    // The same ports on both starts, so the openrc files are already as they should be.
    Map<String, String> noPasswords =
        store.config("admin.password", "", "demo.password", "",
            "identity.port", Integer.toString(TestServer.freePort()),
            "image.port", Integer.toString(TestServer.freePort()),
            "compute.port", Integer.toString(TestServer.freePort()));
    try (TestServer server = TestServer.start(noPasswords)) {
      assertThat(server.app().tokens()).isNotNull();
    }
    String adminPassword = env(dir.resolve("admin-openrc.sh"), "OS_PASSWORD");
    long before = Passwords.VERIFICATIONS.get();
    try (TestServer server = TestServer.start(noPasswords)) {
      // Before: one bcrypt check per user, to learn whether its openrc still held its password.
      assertThat(Passwords.VERIFICATIONS.get() - before).isZero();
      assertThat(server.token("admin", adminPassword, "admin")).isNotEmpty();
    }
  }

  @Test
  void inTheBackgroundTheProjectsComeFirstAndLoginsWaitForTheAccounts() throws Exception {
    try (TestServer server = TestServer.start(store.config())) {
      assertThat(server.adminToken()).isNotEmpty();
    }
    ConfigLoader loader = ConfigLoader.defaults();
    // blob.file.shared: one node alone on the PostgreSQL run, as TestServer declares it too.
    store.config("admin.password", "changed-secret", "demo.password", TestServer.DEMO_PASSWORD,
            "blob.file.shared", "true")
        .forEach(loader::set);
    try (dev.glint.App app = dev.glint.App.open(loader.build())) {
      java.util.concurrent.CompletableFuture<Runnable> held =
          new java.util.concurrent.CompletableFuture<>();
      long before = Passwords.VERIFICATIONS.get();
      IdentityService.PendingBootstrap pending =
          app.identity().bootstrapInBackground(held::complete);

      assertThat(Passwords.VERIFICATIONS.get() - before).isZero();
      assertThat(pending.adminProjectId()).matches("[0-9a-f]{32}");
      assertThat(pending.demoProjectId()).matches("[0-9a-f]{32}");
      assertThat(pending.accounts()).isNotDone();
      AuthRequest request =
          AuthRequest.parse(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(
                      """
                      {"auth": {"identity": {"methods": ["password"], "password":
                        {"user": {"name": "admin", "domain": {"id": "default"},
                        "password": "changed-secret"}}}}}"""));
      var login =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> app.identity().authenticate(request, "127.0.0.1"));
      Thread.sleep(300);
      assertThat(login).isNotDone();

      held.join().run();

      assertThat(pending.accounts().join().admin().passwordUpdated()).isTrue();
      assertThat(login.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }
  }

  @Test
  void theGeneratedPasswordIsReturnedForTheCliToPrint() {
    ConfigLoader loader = ConfigLoader.defaults().set("data.dir", dir.toString());
    try (dev.glint.App app = dev.glint.App.open(loader.build())) {
      BootstrapResult first = app.identity().bootstrap();

      assertThat(first.created()).isTrue();
      assertThat(first.admin().created()).isTrue();
      assertThat(first.admin().generatedPassword()).isPresent();
      assertThat(first.admin().openrcWritten()).isTrue();
      assertThat(first.admin().openrc()).isEqualTo(dir.resolve("admin-openrc.sh"));
      assertThat(first.demo().generatedPassword()).isPresent();
    }
  }

  @Test
  void aChangedConfiguredPasswordReplacesTheStoredOne() throws IOException {
    String before;
    try (TestServer server = TestServer.start(store.config())) {
      before = server.adminToken();
    }
    // As GLINT_ADMIN_PASSWORD would set it.
    String changed = ConfigLoader.defaults().env(Map.of("GLINT_ADMIN_PASSWORD", "n3w 'pass'"))
        .build().adminPassword().orElseThrow();
    try (TestServer server =
        TestServer.start(store.config("admin.password", changed))) {
      assertThat(server.token("admin", changed, "admin")).isNotEmpty();
      assertThat(
              server
                  .post(
                      server.identityUrl() + "/v3/auth/tokens",
                      """
                      {"auth": {"identity": {"methods": ["password"], "password": {"user":
                        {"name": "admin", "domain": {"id": "default"}, "password": "admin-secret"}}}}}""")
                  .statusCode())
          .isEqualTo(401);
      assertThat(env(dir.resolve("admin-openrc.sh"), "OS_PASSWORD")).isEqualTo("n3w 'pass'");
      // As in Keystone, a password change ends the tokens issued before it.
      assertThat(server.app().tokens().validate(before)).isEmpty();
      assertThat(server.demoToken()).isNotEmpty();
    }
  }

  @Test
  void openrcValuesSurviveTheShell() throws Exception {
    String tricky = "it's \"$HOME\" `id` \\ ; done";
    try (TestServer server =
        TestServer.start(store.config("demo.password", tricky))) {
      Process sh =
          new ProcessBuilder(
                  "sh", "-c", ". \"$1\" && printf %s \"$OS_PASSWORD\"", "sh",
                  dir.resolve("demo-openrc.sh").toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(sh.waitFor()).isZero();
      assertThat(out).isEqualTo(tricky);
      assertThat(server.token("demo", tricky, "demo")).isNotEmpty();
    }
  }
}
