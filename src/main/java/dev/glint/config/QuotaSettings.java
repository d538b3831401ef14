package dev.glint.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-project image quotas, as Glance Zed's unified limits name them ({@code image_size_total}
 * and {@code image_stage_total} in MiB, {@code image_count_total}, {@code image_count_uploading}):
 * a default for every project and overrides for some. -1 is no limit (the default). Immutable.
 *
 * @param defaults quota name → limit for projects without an override
 * @param projects project id → (quota name → limit) overrides
 */
public record QuotaSettings(Map<String, Long> defaults, Map<String, Map<String, Long>> projects) {
  /** The quota names, in Glance's order. */
  public static final List<String> NAMES =
      List.of("image_size_total", "image_stage_total", "image_count_total", "image_count_uploading");

  public static final QuotaSettings NONE = new QuotaSettings(Map.of(), Map.of());

  public QuotaSettings {
    defaults = Map.copyOf(defaults);
    Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
    projects.forEach((p, m) -> copy.put(p, Map.copyOf(m)));
    projects = Map.copyOf(copy);
  }

  /** The limit of {@code quota} for {@code project}; -1 when unlimited. */
  public long limit(String project, String quota) {
    Map<String, Long> own = projects.get(project);
    if (own != null && own.containsKey(quota)) {
      return own.get(quota);
    }
    return defaults.getOrDefault(quota, -1L);
  }

  /**
   * Parses {@code quota.projects}: comma-separated {@code <project id>/<quota name>=<limit>}
   * entries, e.g. {@code 4f1c.../image_count_total=10, 4f1c.../image_size_total=2048}.
   */
  static Map<String, Map<String, Long>> parseProjects(String spec) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String raw : spec.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.lastIndexOf('/');
      int eq = entry.indexOf('=', Math.max(slash, 0));
      if (slash <= 0 || eq < 0) {
        throw new IllegalArgumentException(
            "quota.projects takes <project id>/<quota>=<limit>, comma-separated; got '" + entry
                + "'");
      }
      String quota = entry.substring(slash + 1, eq).strip();
      out.computeIfAbsent(entry.substring(0, slash).strip(), p -> new LinkedHashMap<>())
          .put(checkName(quota), parseLimit("quota.projects " + entry, entry.substring(eq + 1)));
    }
    return out;
  }

  static String checkName(String quota) {
    if (!NAMES.contains(quota)) {
      throw new IllegalArgumentException("unknown quota '" + quota + "'; known: " + NAMES);
    }
    return quota;
  }

  static long parseLimit(String what, String value) {
    long limit;
    try {
      limit = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": a limit is an integer, -1 for none", e);
    }
    if (limit < -1) {
      throw new IllegalArgumentException(what + ": a limit is 0 or more, or -1 for none");
    }
    return limit;
  }
}
