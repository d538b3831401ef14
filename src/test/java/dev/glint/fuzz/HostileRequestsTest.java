package dev.glint.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator's promise: request {@code i} of a seed is always the same bytes. The digest of a
 * seed's first 2 000 requests over fixed targets is pinned, so a change meant to make generation
 * cheaper (as the hex tables that replaced {@code String.format}) cannot change the requests
 * that {@code scripts/fuzz.sh} and CI send; a change meant to change them updates the digest.
 */
class HostileRequestsTest {
  static final HostileRequests.Targets TARGETS =
      new HostileRequests.Targets("fuzzproject", "victimproject", "gAAAAABtokenfuzz",
          "gAAAAABtokenadmin", "gAAAAABexpired",
          List.of("11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"),
          List.of("33333333-3333-4333-8333-333333333333"), List.of("u1", "u2"), List.of("r1"));

  @Test
  void aSeedGivesTheSameRequestsAsEver() throws Exception {
    assertThat(digest(new HostileRequests(20_261_201L, TARGETS), 2_000))
        .isEqualTo("6a251d4667e604514b5455adfe9501e10cd9694d4803a2d105cef27f97c10e16");
  }

  @Test
  void requestIDoesNotDependOnWhatWasGeneratedBefore() {
    HostileRequests gen = new HostileRequests(7L, TARGETS);
    byte[] first = gen.request(1_234, 5000, 9292, 8774).bytes();
    for (long i = 0; i < 50; i++) {
      gen.request(i, 5000, 9292, 8774);
    }
    assertThat(new HostileRequests(7L, TARGETS).request(1_234, 5000, 9292, 8774).bytes())
        .isEqualTo(first)
        .isEqualTo(gen.request(1_234, 5000, 9292, 8774).bytes());
  }

  static String digest(HostileRequests gen, int n) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (long i = 0; i < n; i++) {
      HostileRequests.Request r = gen.request(i, 5000, 9292, 8774);
      md.update(r.listener().name().getBytes());
      md.update(r.route().getBytes());
      md.update(r.bytes());
      md.update((byte) (r.fresh() ? 1 : 0));
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
