package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListQuery.Condition;
import dev.glint.catalog.ListQuery.Field;
import dev.glint.catalog.ListQuery.MarkerRule;
import dev.glint.catalog.ListQuery.Op;
import dev.glint.catalog.ListQuery.Rows;
import dev.glint.catalog.ListQuery.Sort;
import dev.glint.catalog.ListQuery.SortKey;
import dev.glint.catalog.MemberStatus;
import dev.glint.error.ApiException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GlanceListParamsTest {
  static ListQuery parse(String query) {
    return GlanceListParams.parse(query, 1000).query();
  }

  @Test
  void defaultsAreGlances() {
    ListQuery q = parse(null);
    assertThat(q.limit()).isEqualTo(25);
    assertThat(q.memberStatus()).isEqualTo(MemberStatus.ACCEPTED);
    assertThat(q.visibility()).isEqualTo(ListQuery.ListVisibility.DEFAULT);
    assertThat(q.osHidden()).isFalse();
    assertThat(q.rows()).isEqualTo(Rows.LIVE);
    assertThat(q.changesSince()).isNull();
    assertThat(q.full()).isTrue();
    assertThat(q.previous()).isFalse();
    assertThat(q.sort())
        .containsExactly(new Sort(SortKey.CREATED_AT, false), new Sort(SortKey.ID, false));
  }

  @Test
  void anInvisibleMarkerIsForbiddenAsInGlance() {
    ListQuery q = parse("marker=abc");
    assertThat(q.marker()).isEqualTo("abc");
    assertThat(q.markerRule()).isEqualTo(MarkerRule.INVISIBLE_IS_FORBIDDEN);
  }

  @Test
  void oneSortDirectionAppliesToEveryKeyAndTheTieBreakers() {
    assertThat(parse("sort_key=name&sort_key=size&sort_dir=asc").sort())
        .containsExactly(
            new Sort(SortKey.NAME, true),
            new Sort(SortKey.SIZE, true),
            new Sort(SortKey.CREATED_AT, true),
            new Sort(SortKey.ID, true));
    assertThat(parse("sort=name:asc,created_at").sort())
        .containsExactly(
            new Sort(SortKey.NAME, true),
            new Sort(SortKey.CREATED_AT, false),
            new Sort(SortKey.ID, false));
    assertThat(parse("sort=id:asc").sort())
        .containsExactly(new Sort(SortKey.ID, true), new Sort(SortKey.CREATED_AT, true));
  }

  @Test
  void limitsAreCappedAndRepeatedParametersKeepTheLastValue() {
    assertThat(parse("limit=5&limit=7").limit()).isEqualTo(7);
    assertThat(parse("limit=99999999999999999999").limit()).isEqualTo(1000);
    assertThat(GlanceListParams.parse("name=a&limit=2&name=b&marker=m", 1000).params())
        .containsExactly(
            java.util.Map.entry("name", "b"),
            java.util.Map.entry("limit", "2"),
            java.util.Map.entry("marker", "m"));
  }

  @Test
  void filtersBecomeTypedConditionsAndUnknownNamesProperties() {
    ListQuery q =
        parse("name=in:a,%22b,c%22&size_min=10&protected=true&created_at=gt:2020-01-01T00:00:00%2B01:00&os_distro=ubuntu&tag=x&tag=y");
    assertThat(q.conditions())
        .contains(
            new Condition(Field.NAME, Op.IN, List.of("a", "b,c")),
            Condition.of(Field.SIZE, Op.GTE, 10L),
            Condition.of(Field.PROTECTED, Op.EQ, true),
            Condition.of(Field.CREATED_AT, Op.GT, Instant.parse("2019-12-31T23:00:00Z")));
    assertThat(q.properties()).containsExactly(java.util.Map.entry("os_distro", "ubuntu"));
    assertThat(q.tags()).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void aValueThatIsAnIsoTimeIsNotSplitAtItsColons() {
    assertThat(GlanceListParams.splitOp("2020-01-01T10:00:00Z")).containsExactly(null, "2020-01-01T10:00:00Z");
    assertThat(GlanceListParams.splitOp("in:a,b")).containsExactly("in", "a,b");
    assertThat(GlanceListParams.textIn(Field.NAME, "2020-01-01T10:00:00Z"))
        .isEqualTo(Condition.of(Field.NAME, Op.EQ, "2020-01-01T10:00:00Z"));
  }

  @Test
  void quotedValuesSplitOnCommasOutsideQuotes() {
    assertThat(GlanceListParams.splitQuoted("a,\"b,c\",d")).containsExactly("a", "b,c", "d");
    assertThat(GlanceListParams.splitQuoted("\"x\"")).containsExactly("x");
    assertThatThrownBy(() -> GlanceListParams.splitQuoted("\"x"))
        .isInstanceOf(ApiException.class)
        .hasMessage("Invalid filter value \"x. The quote is not closed.");
  }
}
