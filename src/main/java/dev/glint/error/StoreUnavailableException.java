package dev.glint.error;

/** The store could not be reached or stayed locked past the busy timeout; the client may retry. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
