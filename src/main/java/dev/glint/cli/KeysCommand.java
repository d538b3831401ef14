package dev.glint.cli;

import dev.glint.config.GlintConfig;
import dev.glint.config.IdentitySettings;
import dev.glint.identity.FernetKeys;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code glint keys}: the Fernet key repository. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage the Fernet key repository (identity.keys.dir).",
    subcommands = {KeysCommand.Rotate.class})
public final class KeysCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code glint keys rotate}: keystone-manage fernet_rotate. */
  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description =
          "Rotate the Fernet keys as keystone-manage fernet_rotate does: the staged key 0 becomes"
              + " the primary, a new staged key 0 is written, and the oldest secondary keys are"
              + " removed beyond identity.keys.max.active (3). Running nodes sharing the"
              + " directory pick the change up within identity.keys.poll.seconds; tokens signed"
              + " with a removed key stop validating.")
  static final class Rotate implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Override
    public Integer call() {
      GlintConfig config = options.load();
      IdentitySettings settings = config.identitySettings();
      List<Integer> keys = FernetKeys.rotate(settings.keysDir(), settings.maxActiveKeys());
      System.out.println(
          "Rotated " + settings.keysDir() + ": keys " + keys + ", primary "
              + keys.get(keys.size() - 1) + ", staged 0");
      return 0;
    }
  }
}
