package dev.glint.cli;

import picocli.CommandLine.Command;

/** {@code glint}: the top-level command. */
@Command(
    name = "glint",
    mixinStandardHelpOptions = true,
    version = "glint 0.1.0",
    description = "An OpenStack-compatible image catalog in one process.",
    subcommands = {
      ServeCommand.class, BootstrapCommand.class, GenDataCommand.class, KeysCommand.class
    })
public final class GlintCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
