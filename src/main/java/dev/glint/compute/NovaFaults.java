package dev.glint.compute;

import dev.glint.error.ErrorCode;
import dev.glint.error.UnknownMarkerException;
import dev.glint.error.WebobException;
import dev.glint.http.AuthFilter;
import dev.glint.http.Faults;
import dev.glint.http.Json;
import dev.glint.http.Responses;
import dev.glint.http.WebobFaults;
import io.javalin.http.Context;

/**
 * Nova's fault body, {@code {"itemNotFound": {"code": 404, "message": "..."}}} with {@code code}
 * first as Nova writes it, served as {@code application/json; charset=UTF-8}.
 */
public final class NovaFaults implements Faults {
  public static final String CONTENT_TYPE = "application/json; charset=UTF-8";

  @Override
  public void render(Context ctx, ErrorCode code, String message, Exception cause) {
    if (cause instanceof WebobException) {
      // Raised below Nova (oslo middleware): webob's body, as Glance's errors are.
      WebobFaults.render(ctx, code, message, cause);
      return;
    }
    // Nova relays the image service's refusal wrapped as glanceclient words it.
    String text =
        cause instanceof UnknownMarkerException ? "HTTP 400 Bad Request: " + message : message;
    byte[] body =
        Json.bytes(
            g -> {
              g.writeStartObject();
              if (code == ErrorCode.UNAUTHORIZED) {
                // keystonemiddleware answers before Nova does, so real clouds send Keystone's
                // {"error": ...}; the Nova fault the seed names rides alongside it.
                g.writeObjectFieldStart("error");
                g.writeNumberField("code", 401);
                g.writeStringField("title", code.title());
                g.writeStringField("message", AuthFilter.AUTH_REQUIRED);
                g.writeEndObject();
              }
              g.writeObjectFieldStart(code.novaName());
              g.writeNumberField("code", code.httpStatus());
              g.writeStringField("message", text);
              if (code == ErrorCode.OVER_LIMIT || code == ErrorCode.UNAVAILABLE) {
                String retry = ctx.res().getHeader("Retry-After");
                if (retry != null) {
                  g.writeNumberField("retryAfter", Integer.parseInt(retry));
                }
              }
              g.writeEndObject();
              g.writeEndObject();
            });
    Responses.send(
        ctx,
        code.httpStatus(),
        code == ErrorCode.UNAUTHORIZED ? Responses.JSON : CONTENT_TYPE,
        body);
  }

  @Override
  public Body early(ErrorCode code, String message) {
    byte[] body =
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeObjectFieldStart(code.novaName());
              g.writeNumberField("code", code.httpStatus());
              g.writeStringField("message", message);
              g.writeEndObject();
              g.writeEndObject();
            });
    return new Body(body, CONTENT_TYPE);
  }
}
