package dev.glint.http;

import io.javalin.http.Context;

/**
 * Glance's webob error body: JSON {@code {"message": "<text><br /><br />\n\n\n", "code": "404 Not
 * Found", "title": "Not Found"}} when the client accepts JSON, else the plain-text form.
 */
public final class GlanceFaults implements Faults {

  @Override
  public void render(Context ctx, ErrorCode code, String message, Exception cause) {
    String status = code.httpStatus() + " " + code.title();
    String accept = ctx.header("Accept");
    if (code == ErrorCode.UNAUTHORIZED) {
      message =
          "This server could not verify that you are authorized to access the document you"
              + " requested. Either you supplied the wrong credentials (e.g., bad password), or"
              + " your browser does not understand how to supply the credentials required.";
    }
    if (accept != null && accept.contains("json")) {
      String text = message + "<br /><br />\n\n\n";
      byte[] body =
          Json.bytes(
              g -> {
                g.writeStartObject();
                g.writeStringField("message", text);
                g.writeStringField("code", status);
                g.writeStringField("title", code.title());
                g.writeEndObject();
              });
      Responses.send(ctx, code.httpStatus(), "application/json", body);
    } else {
      byte[] body =
          (status + "\n\n" + message + "\n\n   ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Responses.send(ctx, code.httpStatus(), "text/plain; charset=UTF-8", body);
    }
  }
}
