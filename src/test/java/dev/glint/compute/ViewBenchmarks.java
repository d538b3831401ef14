package dev.glint.compute;

import dev.glint.catalog.Image;
import dev.glint.catalog.Page;
import java.util.List;
import java.util.Map;

/** Opens the package-private compute views to the JMH benchmarks in {@code dev.glint.bench}. */
public final class ViewBenchmarks {
  private ViewBenchmarks() {}

  public static byte[] index(List<Image> images, boolean detail) {
    NovaLinks links =
        new NovaLinks("http://127.0.0.1:8774", "http://127.0.0.1:9292", "/v2",
            "/0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef");
    return ComputeImageView.index(
        new Page<>(images, true, null), links, detail, "/images", Map.of("limit", "25"), 25);
  }
}
