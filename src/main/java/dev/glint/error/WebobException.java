package dev.glint.error;

/**
 * An error OpenStack's WSGI middleware answers before the API's own code runs (oslo's request
 * size limiter, for instance), so it leaves in webob's plain shape, {@code {"message", "code":
 * "413 Request Entity Too Large", "title"}}, not in the API's fault format.
 */
public final class WebobException extends ApiException {
  public WebobException(ErrorCode code, String message) {
    super(code, message);
  }
}
