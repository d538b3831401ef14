package dev.glint.cli;

import dev.glint.config.ConfigLoader;
import dev.glint.config.GlintConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command shares: where the configuration and the data live. */
public final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      description = "YAML configuration file (default: glint.yaml, or $GLINT_CONFIG).")
  Path configFile;

  @Option(
      names = {"-d", "--data-dir"},
      description = "Data directory (default: ./glint-data).")
  String dataDir;

  @Option(names = "--store-url", description = "JDBC URL of the store (default: SQLite in the data dir).")
  String storeUrl;

  public GlintConfig load() {
    Path file = configFile;
    if (file == null) {
      String fromEnv = System.getenv("GLINT_CONFIG");
      file = Path.of(fromEnv != null ? fromEnv : "glint.yaml");
    }
    try {
      return ConfigLoader.defaults()
          .yaml(file)
          .env(System.getenv())
          .set("data.dir", dataDir)
          .set("store.url", storeUrl)
          .build();
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(
          "configuration: " + e.getMessage() + ". Fix: correct it in " + file
              + ", the GLINT_* variables or the flags; `glint config check` shows the result.",
          e);
    }
  }
}
