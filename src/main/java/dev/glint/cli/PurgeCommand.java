package dev.glint.cli;

import dev.glint.App;
import dev.glint.catalog.CatalogPurge;
import dev.glint.config.GlintConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glint purge}: Glance's {@code glance-manage db purge}. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Remove images deleted longer ago than --older-than (default: retention.days), with their"
            + " properties, tags and members, a batch per transaction, and their data in every"
            + " store; then data no live image owns. Safe while nodes serve: deleted images are"
            + " no longer served, except in changes-since lists within the retention window.")
public final class PurgeCommand implements Callable<Integer> {
  private static final Pattern AGE = Pattern.compile("(\\d{1,9})([dhms]?)");

  @Mixin ConfigOptions options;

  @Option(
      names = "--older-than",
      paramLabel = "AGE",
      description =
          "Purge images deleted more than AGE ago: a number with d (days, the default unit), h, m"
              + " or s, e.g. 30d. 0 purges every deleted image.")
  String olderThan;

  @Option(
      names = {"--batch-size", "--max-rows"},
      paramLabel = "N",
      description = "Images removed per transaction (default: purge.batch.size, 100).")
  Integer batchSize;

  @Override
  public Integer call() {
    GlintConfig config = options.load();
    Duration age = olderThan == null ? config.retention() : age(olderThan);
    int batch = batchSize == null ? config.maintenance().purgeBatch() : batchSize;
    if (batch < 1) {
      throw new StartupFailure("--batch-size must be at least 1, got " + batch, null);
    }
    App app;
    try {
      app = App.open(config);
    } catch (RuntimeException e) {
      throw Failures.store(config.storeUrl(), e);
    }
    try (app) {
      CatalogPurge.Report r = app.catalog().purge().run(app.clock().instant().minus(age), batch);
      System.out.println(
          "Purged images deleted more than " + age.toString().substring(2).toLowerCase(Locale.ROOT)
              + " ago: " + r + ".");
      return r.failures() == 0 ? 0 : 1;
    } catch (RuntimeException e) {
      throw Failures.store(config.storeUrl(), e);
    }
  }

  /** {@code 30d}, {@code 12h}, {@code 5m}, {@code 0s}, or a bare number of days. */
  static Duration age(String text) {
    Matcher m = AGE.matcher(text.strip());
    if (!m.matches()) {
      throw new StartupFailure(
          "--older-than must be a number with d, h, m or s (e.g. 30d), got '" + text + "'", null);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofDays(n);
    };
  }
}
