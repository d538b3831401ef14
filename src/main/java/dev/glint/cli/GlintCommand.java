package dev.glint.cli;

import picocli.CommandLine.Command;

/** {@code glint}: the top-level command. */
@Command(
    name = "glint",
    mixinStandardHelpOptions = true,
    version = "glint 0.1.0",
    description = "An OpenStack-compatible image catalog in one process.",
    subcommands = {
      ServeCommand.class,
      BootstrapCommand.class,
      GenDataCommand.class,
      ConfigCommand.class,
      MetadefsCommand.class,
      KeysCommand.class,
      PurgeCommand.class
    })
public final class GlintCommand implements Runnable {
  /** The command line as {@code main} runs it: problems the operator can fix print one line. */
  public static picocli.CommandLine commandLine() {
    return new picocli.CommandLine(new GlintCommand())
        .setExecutionExceptionHandler(new Failures());
  }

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
