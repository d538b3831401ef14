package dev.glint.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Writes whole response bodies with an exact Content-Length, compressed with gzip or deflate when
 * the client's Accept-Encoding asks for it and the body is at least {@link #COMPRESS_MIN} bytes
 * ({@code compress} and unknown codings fall back to identity).
 */
public final class Responses {
  public static final String JSON = "application/json";

  /**
   * Below this, compressing does not pay: gzip adds an 18-byte frame and a deflater's set-up
   * costs more CPU than sending the bytes over a network packet does (a fault or a short show
   * fits one packet either way). Glance's and Nova's own servers never compress.
   */
  static final int COMPRESS_MIN = 1024;

  private Responses() {}

  public static void json(Context ctx, int status, byte[] body) {
    send(ctx, status, JSON, body);
  }

  public static void send(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status);
    setContentType(ctx, contentType);
    String coding = body.length < COMPRESS_MIN ? null : coding(ctx.header("Accept-Encoding"));
    byte[] out = body;
    if (coding != null) {
      out = compress(coding, body);
      ctx.header("Content-Encoding", coding);
      ctx.res().addHeader("Vary", "Accept-Encoding");
    }
    ctx.header("Content-Length", Integer.toString(out.length));
    ctx.result(out);
  }

  /** 204 No Content with no body, as Nova sends it (Content-Length 0). */
  public static void noContent(Context ctx, String contentType) {
    ctx.status(204);
    setContentType(ctx, contentType);
    ctx.header("Content-Length", "0");
    ctx.result(new byte[0]);
  }

  /**
   * Sets the Content-Type exactly as given: the servlet layer would otherwise append its default
   * charset ({@code application/json;charset=utf-8}), which Nova does not send.
   */
  static void setContentType(Context ctx, String contentType) {
    if (contentType != null) {
      ctx.res().setCharacterEncoding(null);
      ctx.res().setContentType(contentType);
      // The servlet layer rewrites "; charset=UTF-8" as ";charset=utf-8" in its view of the
      // headers; put the field back verbatim in the core response beneath it (Nova's faults say
      // "; charset=UTF-8", and the recorded exchanges keep it).
      ServletContextResponse servlet =
          ServletContextRequest.getServletContextRequest(ctx.req()).getServletContextResponse();
      servlet.getWrapped().getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    }
  }

  /** gzip or deflate if the client accepts one (q > 0), preferring gzip; else null. */
  static String coding(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isBlank()) {
      return null;
    }
    double gzip = 0;
    double deflate = 0;
    double star = -1;
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      String name = pieces[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int i = 1; i < pieces.length; i++) {
        String p = pieces[i].trim();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      switch (name) {
        case "gzip", "x-gzip" -> gzip = q;
        case "deflate" -> deflate = q;
        case "*" -> star = q;
        default -> {}
      }
    }
    if (gzip == 0 && deflate == 0 && star > 0) {
      return "gzip";
    }
    if (gzip > 0 && gzip >= deflate) {
      return "gzip";
    }
    return deflate > 0 ? "deflate" : null;
  }

  static byte[] compress(String coding, byte[] body) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(64, body.length / 4));
    try (OutputStream z =
        coding.equals("gzip") ? new GZIPOutputStream(buf) : new DeflaterOutputStream(buf)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }
}
