package dev.glint.cli;

/**
 * A reason Glint cannot start that the operator can fix: a bad configuration, a port in use, an
 * unreachable store. Its message is one line naming the problem and the fix; the command line
 * prints it instead of a stack trace and exits with status 2.
 */
public final class StartupFailure extends RuntimeException {
  public StartupFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
