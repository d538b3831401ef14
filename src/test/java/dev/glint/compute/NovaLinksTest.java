package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NovaLinksTest {
  static final String PROJECT = "94612bb3cea443e0afc3ac2e17dc0aa6";
  static final String ID = "75fa6d4c-51fe-46db-b4c3-e5b48070115f";

  NovaLinks links(String root, String tenantSegment) {
    return new NovaLinks(
        "http://127.0.0.1:8774", "http://127.0.0.1:9292", root, tenantSegment, PROJECT);
  }

  @Test
  void selfFollowsTheRequestRootAndProjectSegment() {
    assertThat(links("/v2", "/" + PROJECT).self("images", ID))
        .isEqualTo("http://127.0.0.1:8774/v2/" + PROJECT + "/images/" + ID);
    assertThat(links("/v2.1", "").self("images", ID))
        .isEqualTo("http://127.0.0.1:8774/v2.1/images/" + ID);
  }

  @Test
  void bookmarkDropsTheVersion() {
    assertThat(links("/v2.1", "/" + PROJECT).bookmark("images", ID))
        .isEqualTo("http://127.0.0.1:8774/" + PROJECT + "/images/" + ID);
    assertThat(links("/v2", "").bookmark("servers", ID))
        .isEqualTo("http://127.0.0.1:8774/servers/" + ID);
  }

  /** DESIGN ruling: the seed's form, with the caller's project, whatever the request URL. */
  @Test
  void alternateIsTheSeedFormAtTheImageService() {
    assertThat(links("/v2.1", "").alternate(ID))
        .isEqualTo("http://127.0.0.1:9292/" + PROJECT + "/images/" + ID);
  }

  @Test
  void pageLinkSortsEveryParameterAndReplacesTheMarker() {
    Map<String, String> params = new TreeMap<>(Map.of("name", "golden base", "limit", "10",
        "marker", "old", "zz", "a&b"));
    assertThat(links("/v2", "/" + PROJECT).page("/images", params, ID))
        .isEqualTo(
            "http://127.0.0.1:8774/v2/" + PROJECT + "/images?limit=10&marker=" + ID
                + "&name=golden+base&zz=a%26b");
  }

  @Test
  void pageLinkAppendsTheMarkerOrDropsItForTheFirstPage() {
    assertThat(links("/v2.1", "").page("/images/detail", Map.of("limit", "2"), ID))
        .isEqualTo("http://127.0.0.1:8774/v2.1/images/detail?limit=2&marker=" + ID);
    assertThat(links("/v2.1", "").page("/images", Map.of("marker", "x"), ""))
        .isEqualTo("http://127.0.0.1:8774/v2.1/images");
  }

  /** A pager's link (limit and marker only) is written without the map; the same text. */
  @Test
  void aPagersLinkHasItsLimitThenTheMarkerFormEncoded() {
    NovaLinks l = links("/v2.1", "/" + PROJECT);
    String base = "http://127.0.0.1:8774/v2.1/" + PROJECT + "/images";
    assertThat(l.page("/images", Map.of("limit", "25", "marker", "old"), ID))
        .isEqualTo(base + "?limit=25&marker=" + ID);
    assertThat(l.page("/images", Map.of("marker", "old"), ID)).isEqualTo(base + "?marker=" + ID);
    assertThat(l.page("/images", Map.of(), "a b/\u00fc")).isEqualTo(base + "?marker=a+b%2F%C3%BC");
    assertThat(l.page("/images", Map.of("limit", "2 5"), "m")).isEqualTo(base + "?limit=2+5&marker=m");
    assertThat(l.page("/images", Map.of("limit", "3", "marker", "m"), "")).isEqualTo(base + "?limit=3");
  }
}
