package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.store.JdbcAccountRepository;
import dev.glint.store.JdbcIdentityRepository;
import dev.glint.testing.TestServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A state change that must end tokens commits with its revocation event or not at all (issue 8):
 * with the event's insert failing, the user, project, grant or role is as it was and the old token
 * still works, consistently; with the insert working, the change lands and the token is refused.
 * Runs on SQLite and on PostgreSQL (the repository is the real one, wrapped to fail on demand).
 */
class RevocationInOneTransactionTest {
  static final Duration LIFETIME = Duration.ofHours(1);

  static TestServer server;
  static JdbcIdentityRepository store;
  AtomicBoolean failEvents = new AtomicBoolean();
  RevocationList revocations;
  IdentityAdminService admin;
  TokenService tokens;
  Caller operator;
  String userId;
  String projectId;
  String roleId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    store = new JdbcIdentityRepository(server.app().db());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    IdentityRepository failing =
        (IdentityRepository)
            Proxy.newProxyInstance(
                IdentityRepository.class.getClassLoader(),
                new Class<?>[] {IdentityRepository.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("addRevocation") && failEvents.get()) {
                    throw new IllegalStateException("revocation insert failed (test)");
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    revocations = RevocationList.start(failing, Clock.systemUTC());
    admin =
        new IdentityAdminService(
            failing, new JdbcAccountRepository(server.app().db()), revocations, LIFETIME);
    tokens =
        new TokenService(
            FernetKeys.loadOrCreate(server.dataDir().resolve("fernet-keys")),
            Clock.systemUTC(),
            LIFETIME,
            revocations);
    operator = server.app().tokens().validate(server.tokenFor("ops", "admin")).orElseThrow();
    userId = UUID.randomUUID().toString().replace("-", "");
    projectId = UUID.randomUUID().toString().replace("-", "");
    roleId = UUID.randomUUID().toString().replace("-", "");
    store.createProject(new Project(projectId, "p-" + projectId, "default", "", true));
    store.createUser(new User(userId, "u-" + userId, "default", true, null, "{}"), null);
    store.createRole(new Role(roleId, "r-" + roleId, null));
    store.grant(projectId, userId, roleId);
  }

  @AfterEach
  void tearDown() {
    revocations.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "disable user", "change password", "delete user", "revoke grant", "disable project",
        "delete project", "delete role"
      })
  void stateChangeRollsBackWhenItsRevocationCannotBeStored(String change) throws Exception {
    Consumer<IdentityAdminService> act = action(change);
    String token = issue();
    Thread.sleep(5); // the event must postdate the token's issue time
    int events = store.revocationsSince(Instant.EPOCH, Instant.now()).size();

    failEvents.set(true);
    assertThatThrownBy(() -> act.accept(admin)).hasMessageContaining("revocation insert failed");
    assertUnchanged();
    assertThat(store.revocationsSince(Instant.EPOCH, Instant.now())).hasSize(events);
    assertThat(tokens.validate(token)).as("old token after the rolled-back " + change).isPresent();

    failEvents.set(false);
    act.accept(admin);
    assertThat(store.revocationsSince(Instant.EPOCH, Instant.now()).size()).isGreaterThan(events);
    assertThat(tokens.validate(token)).as("old token after the committed " + change).isEmpty();
  }

  Consumer<IdentityAdminService> action(String change) {
    return switch (change) {
      case "disable user" -> a -> a.updateUser(operator, userId, json("{\"enabled\": false}"));
      case "change password" -> a -> a.updateUser(operator, userId, json("{\"password\": \"n3w-pw\"}"));
      case "delete user" -> a -> a.deleteUser(operator, userId);
      case "revoke grant" -> a -> a.revokeGrant(operator, projectId, userId, roleId);
      case "disable project" ->
          a -> a.updateProject(operator, projectId, json("{\"enabled\": false}"));
      case "delete project" -> a -> a.deleteProject(operator, projectId);
      case "delete role" -> a -> a.deleteRole(operator, roleId);
      default -> throw new IllegalArgumentException(change);
    };
  }

  void assertUnchanged() {
    assertThat(store.user(userId)).hasValueSatisfying(u -> assertThat(u.enabled()).isTrue());
    assertThat(store.passwordHash(userId)).isEmpty();
    assertThat(store.project(projectId)).hasValueSatisfying(p -> assertThat(p.enabled()).isTrue());
    assertThat(store.role(roleId)).isPresent();
    assertThat(store.hasGrant(projectId, userId, roleId)).isTrue();
  }

  String issue() {
    return tokens
        .issue(TokenClaims.user(
                userId, "u-" + userId, "default", List.of("r-" + roleId), List.of("password"))
                    .withProject(projectId, "p-" + projectId, "default"))
        .id();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
