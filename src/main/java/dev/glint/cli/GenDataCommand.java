package dev.glint.cli;

import dev.glint.App;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glint gen-data}: fills the configured store with generated images for benchmarks. */
@Command(
    name = "gen-data",
    mixinStandardHelpOptions = true,
    description = "Fill the store with realistic generated images (for benchmarks).")
public final class GenDataCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(names = "--images", defaultValue = "100000", description = "How many images (default: ${DEFAULT-VALUE}).")
  long images;

  @Option(names = "--projects", defaultValue = "100", description = "How many owner projects (default: ${DEFAULT-VALUE}).")
  int projects;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--batch", defaultValue = "5000", description = "Images per transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--owner",
      description = "Also own images by this project id (repeatable); e.g. the demo project.")
  List<String> owners = new ArrayList<>();

  @Option(
      names = "--print-id",
      description = "Print the id of generated image N (0 = oldest) and exit without writing.")
  Long printId;

  @Override
  public Integer call() {
    if (images < 1 || projects < 1 || batch < 1) {
      System.err.println("--images, --projects and --batch must be at least 1");
      return 2;
    }
    List<String> ids = new ArrayList<>(owners);
    for (int i = 0; ids.size() < projects + owners.size(); i++) {
      ids.add(projectId(seed, i));
    }
    if (printId != null) {
      // Ids do not depend on the time the run started, only on the seed and N. The first image
      // from N on that an admin lists (not community, not deleted) makes a usable marker.
      GeneratedImages gen = new GeneratedImages(ids, seed, Instant.EPOCH, images);
      for (long n = printId; n < images; n++) {
        var image = gen.image(n);
        if (image.visibility() != dev.glint.catalog.Visibility.COMMUNITY && !image.deleted()) {
          System.out.println(image.id());
          return 0;
        }
      }
      return 1;
    }
    try (App app = App.open(options.load())) {
      GeneratedImages gen = new GeneratedImages(ids, seed, Instant.now(), images);
      Progress progress = new Progress("images", images);
      for (long from = 0; from < images; from += batch) {
        int n = (int) Math.min(batch, images - from);
        app.catalog().addAll(gen.batch(from, n));
        progress.advance(n);
      }
      progress.done();
      // Planners need statistics to pick the indexes a million rows call for.
      app.db().analyze();
      System.out.println("project ids: first " + ids.get(0) + " (" + ids.size() + " in all)");
    }
    return 0;
  }

  /** The i-th generated project id: 32 lower-case hex characters, stable for a seed. */
  static String projectId(long seed, int i) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 31 + i);
    byte[] b = new byte[16];
    for (int k = 0; k < 16; k++) {
      b[k] = (byte) r.nextInt();
    }
    return HexFormat.of().formatHex(b);
  }
}
