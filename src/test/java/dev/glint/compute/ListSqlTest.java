package dev.glint.compute;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import dev.glint.catalog.Page;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One query model, one SQL builder: the SQL of a list, printed from one place ({@code
 * CatalogService.listSql}), for a compute list parsed by Nova's rules and an image service list.
 * The printed page statement is the one the list runs: executed as printed, it returns the page.
 */
class ListSqlTest {
  static TestServer server;
  static CatalogService catalog;
  static CatalogScope demo;
  static final List<Image> images = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    catalog = server.app().catalog();
    demo = server.callerFor(DEMO, "member");
    for (int i = 0; i < 6; i++) {
      images.add(image().name("pub-" + i).createdPlus(i).build());
    }
    images.add(
        image().owner(DEMO).visibility(Visibility.PRIVATE).name("it's mine").createdPlus(10)
            .minRam(512).build());
    catalog.addAll(images);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ListQuery compute(String... pairs) {
    Map<String, List<String>> raw = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      raw.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
    }
    return ComputeListParams.parse(raw, 1000, true).query();
  }

  @Test
  void aComputeListPrintsItsMarkerPageAndPreviousStatementsWithValues() {
    String marker = images.get(4).id();
    ListQuery query =
        compute("limit", "2", "marker", marker, "minRam", "0", "status", "ACTIVE");
    String sql = catalog.listSql(demo, query);
    System.out.println(sql);
    assertThat(sql)
        .contains("-- marker\nSELECT ")
        .contains("WHERE i.id = '" + marker + "'")
        .contains("-- page\nSELECT ")
        .contains("-- previous\nSELECT i.id FROM images i WHERE ")
        .contains("m.member = '" + DEMO + "'")
        .contains("i.status IN ('active')")
        .contains("i.min_ram >= 0")
        .contains("i.deleted_at IS NULL")
        .contains("ORDER BY i.created_at DESC, i.id DESC LIMIT 3")
        .contains("ORDER BY i.created_at ASC, i.id ASC LIMIT 2")
        .doesNotContainPattern(":\\w|<\\w");
  }

  @Test
  void anImageServiceListPrintsItsSortTagsAndHiddenStatuses() {
    ListQuery query =
        ListQuery.builder()
            .tags(Set.of("gold"))
            .property("os_distro", "ubuntu")
            .sort(List.of(new Sort(SortKey.NAME, true), new Sort(SortKey.ID, false)))
            .marker(images.get(0).id(), MarkerRule.INVISIBLE_IS_FORBIDDEN)
            .limit(5)
            .build();
    String sql = catalog.listSql(demo, query);
    System.out.println(sql);
    assertThat(sql)
        .contains("i.status NOT IN ('killed', 'deleted', 'pending_delete')")
        .contains("t.tag = 'gold'")
        .contains("p.name = 'os_distro' AND p.value = 'ubuntu'")
        .contains(
            "((COALESCE(i.name, '') > 'pub-0')"
                + " OR (COALESCE(i.name, '') = 'pub-0' AND i.id < '")
        .contains("ORDER BY COALESCE(i.name, '') ASC, i.id DESC LIMIT 6")
        .doesNotContain("-- previous");
  }

  @Test
  void thePrintedPageStatementIsTheOneTheListRuns() {
    ListQuery query = compute("limit", "3");
    Page<Image> page = catalog.list(demo, query);
    String sql = catalog.listSql(demo, query);
    Matcher m = Pattern.compile("-- page\n(.*);\n").matcher(sql);
    assertThat(m.find()).as(sql).isTrue();
    String printed = m.group(1);
    List<String> ids =
        server.app().db().reader()
            .withHandle(h -> h.createQuery(printed).mapTo(String.class).list());
    assertThat(ids.subList(0, 3)).isEqualTo(page.items().stream().map(Image::id).toList());
    assertThat(page.items().get(0).name()).isEqualTo("it's mine");
    assertThat(page.more()).isTrue();
  }

  @Test
  void anUnknownMarkerReadsNoPage() {
    String sql = catalog.listSql(server.callerFor(ADMIN, "admin"), compute("marker", "nope"));
    assertThat(sql)
        .contains("WHERE i.id = 'nope'")
        .contains("-- no such marker")
        .doesNotContain("-- page");
  }
}
