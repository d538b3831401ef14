package dev.glint.identity;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import java.util.List;

/**
 * Keystone's {@code AuthMethodNotSupported}: a 401 whose message is shown, with {@code
 * "identity": {"methods": [...]}} in the error body naming the methods this server accepts.
 */
public final class UnsupportedMethodException extends ApiException {
  private final List<String> methods;

  UnsupportedMethodException(List<String> methods) {
    super(ErrorCode.UNAUTHORIZED, "Attempted to authenticate with an unsupported method.");
    this.methods = List.copyOf(methods);
  }

  public List<String> methods() {
    return methods;
  }
}
