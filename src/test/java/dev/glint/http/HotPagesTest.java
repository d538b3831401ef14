package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The first-page cache of the hot lanes: pages of one version only, within its bounds. */
class HotPagesTest {
  @Test
  void aPageIsKeptForItsVersionOnly() {
    HotPages pages = new HotPages();
    Object v1 = new Object();
    byte[] page = {1, 2, 3};
    pages.put("a", v1, page);
    assertThat(pages.get("a", v1)).isSameAs(page);
    assertThat(pages.get("a", new Object())).isNull();
  }

  @Test
  void aPageOfANewerVersionDropsThePagesOfTheOlderOne() {
    HotPages pages = new HotPages();
    Object v1 = new Object();
    Object v2 = new Object();
    pages.put("a", v1, new byte[] {1});
    pages.put("b", v2, new byte[] {2});
    // Kept, the first page would keep v1 (an index snapshot with its arrays) reachable.
    assertThat(pages.get("a", v1)).isNull();
    assertThat(pages.get("b", v2)).containsExactly(2);
  }

  @Test
  void pagesAboveTheSizeBoundAreNotKept() {
    HotPages pages = new HotPages();
    Object v = new Object();
    pages.put("big", v, new byte[HotPages.PAGE_MAX + 1]);
    assertThat(pages.get("big", v)).isNull();
  }

  @Test
  void firstPagesOnlyAreRepeatable() {
    assertThat(HotPages.repeatable("limit=25")).isTrue();
    assertThat(HotPages.repeatable("limit=25&marker=x")).isFalse();
    assertThat(HotPages.repeatable("changes-since=2026-01-01")).isFalse();
  }
}
