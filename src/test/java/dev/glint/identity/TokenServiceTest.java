package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.error.ApiException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenService without a server: what goes in comes out, and bad input is a 404 reason. */
class TokenServiceTest {
  @TempDir Path keys;

  TokenService service(Revocations revocations) {
    return new TokenService(
        FernetKeys.loadOrCreate(keys), Clock.systemUTC(), Duration.ofHours(1), revocations);
  }

  @Test
  void aTokenWithManyLongRoleNamesStillValidates() {
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      roles.add("role-with-a-rather-long-descriptive-name-" + i);
    }
    TokenService tokens = service(Revocations.NONE);

    TokenService.Issued issued =
        tokens.issue(TokenClaims.user(
                "u".repeat(32), "n".repeat(255), "default", roles, List.of("password"))
                    .withProject("p".repeat(32), "q".repeat(64), "default"));

    assertThat(issued.id().length()).isGreaterThan(1024);
    assertThat(tokens.validate(issued.id())).hasValueSatisfying(c -> {
      assertThat(c.roles()).isEqualTo(roles);
      assertThat(c.userName()).hasSize(255);
      assertThat(c.auditIds()).containsExactly(issued.caller().auditId());
    });
  }

  @Test
  void badTokensAreRejectedWithKeystonesReasons() {
    TokenService tokens = service(Revocations.NONE);
    assertThatThrownBy(() -> tokens.verify(null)).hasMessage("No token in the request");
    assertThatThrownBy(() -> tokens.verify("x".repeat(20_000)))
        .isInstanceOf(ApiException.class)
        .hasMessage("Could not recognize Fernet token");
    TokenService otherKeys =
        new TokenService(FernetKeys.loadOrCreate(keys.resolve("other")), Clock.systemUTC(),
            Duration.ofHours(1));
    String foreign =
        otherKeys.issue(TokenClaims.user("u", "n", "default", List.of(), List.of("password"))).id();
    assertThatThrownBy(() -> tokens.verify(foreign)).hasMessage("Could not recognize Fernet token");
  }

  @Test
  void aRevokedTokenFailsToValidate() {
    TokenService tokens = service(token -> token.userId().equals("gone"));
    String revoked =
        tokens.issue(TokenClaims.user("gone", "n", "default", List.of(), List.of("password"))).id();
    String kept =
        tokens.issue(TokenClaims.user("kept", "n", "default", List.of(), List.of("password"))).id();

    assertThatThrownBy(() -> tokens.verify(revoked)).hasMessage("Failed to validate token");
    assertThat(tokens.validate(kept)).isPresent();
  }
}
