package dev.glint.compute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a plain socket, for what java.net.http hides or refuses: exact header
 * lines as sent, header fields it forbids, over-long request lines.
 */
final class RawHttp {
  private RawHttp() {}

  /** Sends {@code request} as is (it must close the connection) and returns the raw response. */
  static String exchange(int port, String request) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The header block of a raw response (status line included). */
  static String head(String response) {
    int end = response.indexOf("\r\n\r\n");
    return end < 0 ? response : response.substring(0, end);
  }

  static String body(String response) {
    int end = response.indexOf("\r\n\r\n");
    return end < 0 ? "" : response.substring(end + 4);
  }
}
