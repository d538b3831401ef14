package dev.glint.compute;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.catalog.Image;
import dev.glint.catalog.Page;
import dev.glint.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The basic and detail lists written as bytes (from cached pieces and per-image templates) against
 * the same page through Jackson's generator: byte for byte equal, for hostile names (quotes, backslashes,
 * control characters, non-ASCII, characters above U+FFFF), odd ids, both roots, with and without
 * the project segment, and paging links.
 */
class ComputeSummaryBytesTest {
  static final String[] NAMES = {
    "cirros", "a\"quote", "back\\slash", "tab\there", "nl\nx", "\u0001ctl", "\u007f", "émile",
    "\uD835\uDCB3 math", "日本語", "</script>", "", null
  };

  @Test
  void bytesEqualTheGeneratorsForRandomPages() {
    Random random = new Random(7);
    for (int n = 0; n < 2000; n++) {
      List<Image> items = new ArrayList<>();
      int size = random.nextInt(6);
      for (int i = 0; i < size; i++) {
        String id = random.nextInt(10) == 0 ? "odd \"id\" " + i : UUID.randomUUID().toString();
        Map<String, String> properties = new java.util.TreeMap<>();
        if (random.nextBoolean()) {
          properties.put("instance_uuid", UUID.randomUUID().toString());
          properties.put("image_type", "snapshot");
        }
        if (random.nextBoolean()) {
          properties.put("auto_disk_config", random.nextBoolean() ? "True" : "no");
          properties.put("note", NAMES[random.nextInt(NAMES.length - 1)] + "\u0003");
        }
        if (random.nextBoolean()) {
          properties.put("block_device_mapping", "[{\"boot_index\": 0}]");
        }
        items.add(
            TestImages.image()
                .id(id)
                .name(NAMES[random.nextInt(NAMES.length)])
                .properties(properties)
                .build());
      }
      String previous = random.nextBoolean() ? null : random.nextBoolean() ? "" : "m-" + n;
      Page<Image> page = new Page<>(items, random.nextBoolean(), previous);
      NovaLinks links =
          new NovaLinks(
              random.nextBoolean() ? "http://127.0.0.1:8774" : "https://c\u00e9.example/compute",
              "http://127.0.0.1:9292",
              random.nextBoolean() ? "/v2" : "/v2.1",
              random.nextBoolean() ? "" : "/" + TestImages.DEMO,
              TestImages.DEMO);
      Map<String, String> params =
          random.nextBoolean() ? Map.of() : Map.of("limit", "3", "name", "a b&c");
      int limit = random.nextBoolean() ? size : 25;
      boolean detail = random.nextBoolean();
      byte[] fast = ComputeImageView.index(page, links, detail, "/images", params, limit);
      byte[] reference = ComputeImageView.generated(page, links, detail, "/images", params, limit);
      assertThat(new String(fast, StandardCharsets.UTF_8))
          .as("page %d", n)
          .isEqualTo(new String(reference, StandardCharsets.UTF_8));
      assertThat(fast).isEqualTo(reference);
    }
  }
}
