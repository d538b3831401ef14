package dev.glint.identity;

import dev.glint.error.ErrorCode;
import dev.glint.http.AuthFilter;
import dev.glint.http.Faults;
import dev.glint.http.Json;
import dev.glint.http.Responses;
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
          case UNAUTHORIZED -> unsupported != null ? message : AuthFilter.AUTH_REQUIRED;
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

  @Override
  public Body early(ErrorCode code, String message) {
    byte[] body =
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart("error");
              g.writeNumberField("code", code.httpStatus());
              g.writeStringField("title", code.title());
              g.writeStringField("message", message);
              g.writeEndObject();
              g.writeEndObject();
            });
    return new Body(body, Responses.JSON);
  }
}
