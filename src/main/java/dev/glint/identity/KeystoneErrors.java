package dev.glint.identity;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;

/** Keystone's error texts (keystone/exception.py), in one place. */
final class KeystoneErrors {
  static final String NOT_COMPLY =
      "The server could not comply with the request since it is either malformed or otherwise"
          + " incorrect. The client is assumed to be in error.";

  private KeystoneErrors() {}

  /** {@code ValidationError}: "Expecting to find auth in request body. The server could not…". */
  static ApiException expecting(String attribute, String target) {
    return ApiException.badRequest(
        "Expecting to find " + attribute + " in " + target + ". " + NOT_COMPLY);
  }

  /** {@code SchemaValidationError}: the detail alone. */
  static ApiException schema(String detail) {
    return ApiException.badRequest(detail);
  }

  /** {@code Unauthorized}; the client always sees the generic text (KeystoneFaults hides it). */
  static ApiException unauthorized(String why) {
    return new ApiException(ErrorCode.UNAUTHORIZED, why);
  }

  /** {@code ForbiddenAction}, whose action is shown to the client. */
  static ApiException forbiddenAction(String action) {
    return ApiException.forbidden(
        "You are not authorized to perform the requested action: " + action + ".");
  }

  /** A plain {@code Forbidden}: Keystone hides the detail, so the client sees the generic text. */
  static ApiException forbidden() {
    return ApiException.forbidden("You are not authorized to perform the requested action.");
  }
}
