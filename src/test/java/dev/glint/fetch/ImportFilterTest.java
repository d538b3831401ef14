package dev.glint.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Glance's {@code import_filtering_opts} rules, without a network beyond literal addresses. */
class ImportFilterTest {

  @Test
  void hostsNormalizeAsGlancesNormalizeHostname() {
    assertThat(ImportFilter.normalizeHost("127.0.0.1")).isEqualTo("127.0.0.1");
    assertThat(ImportFilter.normalizeHost("Example.COM")).isEqualTo("example.com");
    assertThat(ImportFilter.normalizeHost("[::1]")).isEqualTo(
        "0:0:0:0:0:0:0:1");
    // decimal, shorthand and zero-padded forms of an address are refused outright
    assertThat(ImportFilter.normalizeHost("2130706433")).isNull();
    assertThat(ImportFilter.normalizeHost("127.1")).isNull();
    assertThat(ImportFilter.normalizeHost("0127.0.0.1")).isNull();
    assertThat(ImportFilter.normalizeHost("")).isNull();
  }

  @Test
  void theAllowListWinsOverTheDenyListAndAListedHostMayBeLoopback() throws Exception {
    ImportFilter f =
        new ImportFilter(
            List.of("http"), List.of("http"), List.of("127.0.0.1"), List.of("127.0.0.1"),
            List.of(8080), List.of(8080), false);
    assertThat(f.check("http://127.0.0.1:8080/x")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThatThrownBy(() -> f.check("http://127.0.0.1:8081/x"))
        .hasMessageContaining("port not allowed");
    assertThatThrownBy(() -> f.check("https://127.0.0.1:8080/x"))
        .hasMessageContaining("scheme not allowed");
    assertThatThrownBy(() -> f.check("http://192.0.2.1:8080/x"))
        .hasMessageContaining("host not allowed");
  }

  @Test
  void theDenyListsApplyWhenNoAllowListIsSet() throws Exception {
    ImportFilter f =
        new ImportFilter(
            List.of(), List.of("https"), List.of(), List.of("192.0.2.7"), List.of(), List.of(81),
            false);
    assertThat(f.check("http://192.0.2.1:8080/x")).isEqualTo(InetAddress.getByName("192.0.2.1"));
    assertThatThrownBy(() -> f.check("https://192.0.2.1/x")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> f.check("http://192.0.2.7/x")).hasMessageContaining("host");
    assertThatThrownBy(() -> f.check("http://192.0.2.1:81/x")).hasMessageContaining("port");
    // only http and https are ever fetched
    assertThatThrownBy(() -> f.check("ftp://192.0.2.1/x")).hasMessageContaining("scheme");
  }

  @Test
  void withoutLookupANameIsLeftForFetchTimeButAnAddressIsChecked() throws Exception {
    ImportFilter.DEFAULT.checkWithoutLookup("http://does-not.exist/x");
    assertThatThrownBy(() -> ImportFilter.DEFAULT.check("http://does-not.exist/x"))
        .hasMessageContaining("failed to resolve");
    assertThatThrownBy(() -> ImportFilter.DEFAULT.checkWithoutLookup("http://127.0.0.1/x"))
        .hasMessageContaining("no allowed addresses");
    assertThatThrownBy(() -> ImportFilter.DEFAULT.checkWithoutLookup("http://h:8080/x"))
        .hasMessageContaining("port not allowed");
  }

  @Test
  void loopbackOnlyWhenAllowedAndThenWithoutNamingTheHost() throws Exception {
    ImportFilter loopback =
        new ImportFilter(
            List.of("http"), List.of(), List.of(), List.of(), List.of(8000), List.of(), false, true);
    assertThat(loopback.check("http://127.0.0.1:8000/x"))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    // other hosts still pass the lists (a name is looked up at fetch time)
    loopback.checkWithoutLookup("http://does-not.exist/x");
    assertThatThrownBy(() -> loopback.check("http://169.254.169.254:8000/x"))
        .hasMessageContaining("no allowed addresses");
    assertThatThrownBy(() -> loopback.check("http://10.0.0.1:8000/x"))
        .hasMessageContaining("no allowed addresses");
  }

  @Test
  void privateAddressesOnlyWhenAllowedAndLoopbackNever() throws Exception {
    ImportFilter strict = ImportFilter.DEFAULT;
    ImportFilter lax =
        new ImportFilter(
            List.of("http", "https"), List.of(), List.of(), List.of(), List.of(80, 443), List.of(),
            true);
    for (String host : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "[fd00::1]")) {
      assertThatThrownBy(() -> strict.check("http://" + host + "/x"))
          .as(host)
          .hasMessageContaining("no allowed addresses");
      assertThat(lax.check("http://" + host + "/x")).as(host).isNotNull();
    }
    for (String host : List.of("127.0.0.1", "169.254.169.254", "0.0.0.0", "[::1]", "224.0.0.1")) {
      assertThatThrownBy(() -> lax.check("http://" + host + "/x"))
          .as(host)
          .hasMessageContaining("no allowed addresses");
    }
    assertThat(strict.check("http://192.0.2.1/x")).isEqualTo(InetAddress.getByName("192.0.2.1"));
  }
}
