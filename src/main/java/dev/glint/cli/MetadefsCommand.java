package dev.glint.cli;

import dev.glint.App;
import dev.glint.metadef.MetadefFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code glint metadefs load DIR}: Glance's {@code glance-manage db load_metadefs}. */
@Command(
    name = "metadefs",
    mixinStandardHelpOptions = true,
    description = "Manage metadata definitions (the image service's /v2/metadefs catalog).",
    subcommands = {MetadefsCommand.Load.class})
public final class MetadefsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description =
          "Load metadata definition files in Glance's JSON format (every *.json in DIR, or one"
              + " file), as glance-manage db load_metadefs does. Namespaces that already exist are"
              + " skipped.")
  static final class Load implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(paramLabel = "DIR", description = "Directory of definition files, or one file.")
    Path dir;

    @Override
    public Integer call() throws Exception {
      if (!Files.exists(dir)) {
        System.err.println("glint metadefs load: " + dir + " does not exist");
        return 2;
      }
      try (App app = App.open(options.load())) {
        List<MetadefFiles.Outcome> outcomes = MetadefFiles.load(app.metadefs(), dir);
        int loaded = 0;
        for (MetadefFiles.Outcome o : outcomes) {
          System.out.println(
              (o.loaded() ? "loaded  " : "skipped ") + o.namespace() + "  (" + o.file() + ")"
                  + (o.loaded() ? "" : ": it already exists"));
          loaded += o.loaded() ? 1 : 0;
        }
        System.out.println(
            loaded + " of " + outcomes.size() + " namespaces loaded from " + dir + ".");
      } catch (IllegalArgumentException e) {
        System.err.println("glint metadefs load: " + e.getMessage());
        return 1;
      }
      return 0;
    }
  }
}
