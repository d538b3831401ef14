package dev.glint.cli;


/** Entry point: parse the command line and run the chosen command. */
public final class Glint {
  private Glint() {}

  public static void main(String[] args) {
    int exit = GlintCommand.commandLine().execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
