package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Service;
import org.openstack4j.openstack.OSFactory;

/** openstack4j's v3 password authentication, a real client, against the real server. */
class Openstack4jAuthTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void authenticatesScopedToAProjectAndReadsTheCatalog() {
    OSClient.OSClientV3 os =
        OSFactory.builderV3()
            .endpoint(server.identityUrl() + "/v3")
            .credentials("demo", TestServer.DEMO_PASSWORD, Identifier.byName("Default"))
            .scopeToProject(Identifier.byName("demo"), Identifier.byName("Default"))
            .authenticate();

    assertThat(os.getToken().getId()).isNotEmpty();
    assertThat(os.getToken().getProject().getName()).isEqualTo("demo");
    assertThat(os.getToken().getUser().getName()).isEqualTo("demo");
    assertThat(os.getToken().getRoles()).extracting(r -> r.getName()).contains("member", "reader");
    assertThat(os.getToken().getCatalog())
        .extracting(Service::getType)
        .containsExactly("compute", "image", "identity");
    assertThat(os.getToken().getExpires()).isInTheFuture();
  }

  @Test
  void aWrongPasswordIsAnAuthenticationFailure() {
    assertThatThrownBy(
            () ->
                OSFactory.builderV3()
                    .endpoint(server.identityUrl() + "/v3")
                    .credentials("demo", "wrong", Identifier.byName("Default"))
                    .scopeToProject(Identifier.byName("demo"), Identifier.byName("Default"))
                    .authenticate())
        .isInstanceOf(AuthenticationException.class);
  }
}
