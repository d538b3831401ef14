package dev.glint.http;

import dev.glint.identity.UnsupportedMethodException;
import io.javalin.http.Context;

/**
 * Keystone's error body, {@code {"error": {"code": 401, "title": "Unauthorized", "message":
 * "..."}}}. As Keystone does, 401, 403 and 500 hide the detail behind a generic text.
 */
public final class KeystoneFaults implements Faults {

  @Override
  public void render(Context ctx, ErrorCode code, String message, Exception cause) {
    UnsupportedMethodException unsupported =
        cause instanceof UnsupportedMethodException u ? u : null;
    String shown =
        switch (code) {
          // Keystone shows this one 401's text, and lists the methods it accepts.
          case UNAUTHORIZED -> unsupported != null ? message : NovaFaults.AUTH_REQUIRED;
          case INTERNAL ->
              "An unexpected error prevented the server from fulfilling your request.";
          default -> message;
        };
    byte[] body =
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("error");
              g.writeNumberField("code", code.httpStatus());
              // Key order as Keystone writes them (keystone-04-auth-tokens-bad-password.body).
              g.writeStringField("message", shown);
              g.writeStringField("title", code.title());
              if (unsupported != null) {
                g.writeObjectFieldStart("identity");
                g.writeArrayFieldStart("methods");
                for (String m : unsupported.methods()) {
                  g.writeString(m);
                }
                g.writeEndArray();
                g.writeEndObject();
              }
              g.writeEndObject();
              g.writeEndObject();
            });
    Responses.json(ctx, code.httpStatus(), body);
  }
}
