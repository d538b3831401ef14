package dev.glint.http;

import io.javalin.http.Context;

/**
 * Renders an error in one API's own fault format. Implementations must not throw: a renderer that
 * fails leaves the client with Javalin's generic 500.
 */
public interface Faults {

  /**
   * @param ctx the request being answered
   * @param code what went wrong
   * @param message text safe to show the client
   * @param cause the exception behind it (for renderers whose wording depends on its type)
   */
  void render(Context ctx, ErrorCode code, String message, Exception cause);
}
