package dev.glint.http;

import dev.glint.error.ErrorCode;
import io.javalin.http.Context;

/**
 * Renders an error in one API's own fault format. Implementations must not throw: a renderer that
 * fails leaves the client with Javalin's generic 500. Each API keeps its wording beside its
 * endpoints (compute's NovaFaults, image's GlanceFaults, identity's KeystoneFaults).
 */
public interface Faults {

  /**
   * @param ctx the request being answered
   * @param code what went wrong
   * @param message text safe to show the client
   * @param cause the exception behind it (for renderers whose wording depends on its type)
   */
  void render(Context ctx, ErrorCode code, String message, Exception cause);

  /**
   * The body for a request Jetty refused before any route ran (no {@link Context} exists then):
   * an over-long request line or header block, or a malformed URI.
   */
  Body early(ErrorCode code, String message);

  /** A whole fault body and its Content-Type. */
  record Body(byte[] bytes, String contentType) {}
}
