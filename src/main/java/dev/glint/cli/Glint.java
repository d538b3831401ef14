package dev.glint.cli;

/** Entry point: parse the command line and run the chosen command. */
public final class Glint {
  private Glint() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("serve")) {
      Warmup.start();
    }
    int exit = GlintCommand.commandLine(args).execute(args);
    // Log lines go through an asynchronous appender whose worker is a daemon thread: write out
    // what it still holds before the JVM ends.
    dev.glint.ops.LogFormat.stop();
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
