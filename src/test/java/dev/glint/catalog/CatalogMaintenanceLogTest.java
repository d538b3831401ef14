package dev.glint.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The recovered-uploads warning names a bounded sample of ids, and how many it left out. */
class CatalogMaintenanceLogTest {
  @Test
  void aFewIdsAreAllNamed() {
    assertThat(CatalogMaintenance.sample(List.of("a", "b"))).isEqualTo("[a, b]");
    List<String> ten = IntStream.range(0, 10).mapToObj(i -> "id" + i).toList();
    assertThat(CatalogMaintenance.sample(ten)).isEqualTo(ten.toString());
  }

  @Test
  void manyIdsAreCutToTenAndCounted() {
    List<String> ids = IntStream.range(0, 1129).mapToObj(i -> "id" + i).toList();
    String line = CatalogMaintenance.sample(ids);
    assertThat(line)
        .isEqualTo("[id0, id1, id2, id3, id4, id5, id6, id7, id8, id9, … 1119 more]")
        .doesNotContain("id10,");
  }
}
