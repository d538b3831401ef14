package dev.glint.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/** {@code glint}: the top-level command. */
@Command(
    name = "glint",
    mixinStandardHelpOptions = true,
    version = "glint 0.1.0",
    description = "An OpenStack-compatible image catalog in one process.")
public final class GlintCommand implements Runnable {
  /** The subcommands, by name, in the order the usage help lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("serve", ServeCommand::new);
    SUBCOMMANDS.put("bootstrap", BootstrapCommand::new);
    SUBCOMMANDS.put("gen-data", GenDataCommand::new);
    SUBCOMMANDS.put("config", ConfigCommand::new);
    SUBCOMMANDS.put("metadefs", MetadefsCommand::new);
    SUBCOMMANDS.put("keys", KeysCommand::new);
    SUBCOMMANDS.put("purge", PurgeCommand::new);
  }

  /** The command line as {@code main} runs it: problems the operator can fix print one line. */
  public static picocli.CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * As {@link #commandLine()}, for these arguments: when they name a subcommand, only that one is
   * built. picocli builds each command's model by reflection, in a library whose classes the JVM's
   * class cache cannot hold (compiled for Java 5); building one instead of seven is a part of
   * every start (docs/benchmarks.md). Anything else (no subcommand, help, a typo) gets them all.
   */
  public static picocli.CommandLine commandLine(String[] args) {
    picocli.CommandLine line = new picocli.CommandLine(new GlintCommand());
    Supplier<Object> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    if (named != null) {
      line.addSubcommand(args[0], named.get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> line.addSubcommand(name, command.get()));
    }
    return line.setExecutionExceptionHandler(new Failures());
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }
}
