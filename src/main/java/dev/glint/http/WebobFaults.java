package dev.glint.http;

import dev.glint.error.DetailedApiException;
import dev.glint.error.ErrorCode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * webob's error bodies (the WSGI layer under Glance, and under Nova's oslo middleware), chosen
 * by the request's {@code Accept} as webob does ({@code acceptable_offers(['text/html',
 * 'application/json'])}, else plain text): JSON {@code {"message": "<explanation><br /><br
 * />\n<detail>\n\n", "code": "404 Not Found", "title": "Not Found"}}, an HTML page (for {@code
 * text/html} and {@code *}{@code /*}), or plain text (no Accept, or neither).
 */
public final class WebobFaults {
  /** The body forms webob chooses between. */
  public enum Form {
    JSON,
    HTML,
    PLAIN
  }

  private WebobFaults() {}

  /**
   * Answers {@code code} with webob's body: the explanation and detail of a {@link
   * DetailedApiException}, else {@code message} as the explanation.
   */
  public static void render(Context ctx, ErrorCode code, String message, Exception cause) {
    if (cause instanceof DetailedApiException d) {
      render(ctx, code, d.explanation(), d.detail());
    } else {
      render(ctx, code, message, "");
    }
  }

  /** Answers {@code code} with webob's body for this explanation and detail. */
  public static void render(Context ctx, ErrorCode code, String explanation, String detail) {
    String status = code.httpStatus() + " " + code.title();
    switch (form(ctx.header("Accept"))) {
      case JSON -> {
        String text = explanation + "<br /><br />\n" + detail + "\n\n";
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
      }
      case HTML -> {
        String html =
            "<html>\n <head>\n  <title>"
                + status
                + "</title>\n </head>\n <body>\n  <h1>"
                + status
                + "</h1>\n  "
                + escape(explanation)
                + "<br /><br />\n"
                + escape(detail)
                + "\n\n\n </body>\n</html>";
        Responses.send(
            ctx, code.httpStatus(), "text/html; charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
      }
      case PLAIN -> {
        byte[] body =
            (status + "\n\n" + explanation + "\n" + detail + "\n   ")
                .getBytes(StandardCharsets.UTF_8);
        Responses.send(ctx, code.httpStatus(), "text/plain; charset=UTF-8", body);
      }
    }
  }

  /** webob's plain-text body, for a request refused before routing. */
  public static Faults.Body early(ErrorCode code, String message) {
    byte[] body =
        (code.httpStatus() + " " + code.title() + "\n\n" + message + "\n\n   ")
            .getBytes(StandardCharsets.UTF_8);
    return new Faults.Body(body, "text/plain; charset=UTF-8");
  }

  /**
   * webob's choice: each offer's quality is that of the most specific matching media range; the
   * best positive one wins, {@code text/html} on a tie; neither acceptable (or no header) → plain.
   */
  public static Form form(String accept) {
    if (accept == null || accept.isBlank()) {
      return Form.PLAIN;
    }
    double html = quality(accept, "text", "html");
    double json = quality(accept, "application", "json");
    if (html <= 0 && json <= 0) {
      return Form.PLAIN;
    }
    return json > html ? Form.JSON : Form.HTML;
  }

  private static double quality(String accept, String type, String subtype) {
    int bestSpecificity = -1;
    double q = 0;
    for (String range : splitRanges(accept)) {
      String[] parts = range.split(";");
      String[] ts = parts[0].strip().toLowerCase(Locale.ROOT).split("/", 2);
      if (ts.length != 2) {
        continue;
      }
      int specificity;
      if (ts[0].equals(type) && ts[1].equals(subtype)) {
        specificity = 2;
      } else if (ts[0].equals(type) && ts[1].equals("*")) {
        specificity = 1;
      } else if (ts[0].equals("*") && ts[1].equals("*")) {
        specificity = 0;
      } else {
        continue;
      }
      double rangeQ = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.startsWith("q=")) {
          try {
            rangeQ = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            rangeQ = 0;
          }
        }
      }
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity;
        q = rangeQ;
      }
    }
    return q;
  }

  private static List<String> splitRanges(String accept) {
    List<String> out = new ArrayList<>();
    for (String r : accept.split(",")) {
      if (!r.isBlank()) {
        out.add(r);
      }
    }
    return out;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
