package dev.glint.error;

/** An {@link ApiException} whose answer carries {@code Retry-After: <seconds>}. */
public class RetryAfterException extends ApiException {
  private final long seconds;

  public RetryAfterException(ErrorCode code, String message, long seconds) {
    super(code, message);
    this.seconds = Math.max(1, seconds);
  }

  /** Whole seconds the client should wait, at least 1. */
  public long seconds() {
    return seconds;
  }
}
