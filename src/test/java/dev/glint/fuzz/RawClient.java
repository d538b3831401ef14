package dev.glint.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket, sending requests byte for byte as built
 * (java.net.http refuses odd methods' bodies, control characters and hand-made framing) and
 * reading each response fully: Content-Length, chunked, or to the end of the stream.
 */
final class RawClient implements AutoCloseable {
  /** What came back: status, headers (lower-case names, last value) and at most 64 KiB of body. */
  record Response(int status, Map<String, String> headers, byte[] body, boolean closed) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static final int KEPT_BODY = 65_536;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawClient(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sends one request and reads its response; a {@link java.net.SocketTimeoutException} means the
   * server did not answer within the timeout (a hang). Reconnects first when the last response
   * closed the connection or {@code fresh} asks for a new one.
   */
  Response exchange(byte[] request, boolean head, boolean fresh) throws IOException {
    boolean reused = socket != null && !fresh;
    try {
      return send(request, head, fresh);
    } catch (java.io.EOFException e) {
      if (!reused || !e.getMessage().equals(NO_RESPONSE)) {
        throw e;
      }
      // The server closed a kept-alive connection between two requests (after an error it
      // answered, or when idle): resend once on a new connection, as any HTTP client does.
      close();
      return send(request, head, true);
    }
  }

  static final String NO_RESPONSE = "connection closed before a response";

  private Response send(byte[] request, boolean head, boolean fresh) throws IOException {
    if (socket == null || fresh) {
      close();
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 16_384);
      out = socket.getOutputStream();
    }
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      // The server may refuse a request before reading all of it (413 on a large body) and
      // close: its answer can still be read.
    }
    Response r = read(head);
    if (r.closed()) {
      close();
    }
    return r;
  }

  private Response read(boolean head) throws IOException {
    while (true) {
      String statusLine = line();
      if (statusLine == null) {
        throw new java.io.EOFException(NO_RESPONSE);
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
        throw new IOException("not an HTTP status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> headers = new HashMap<>();
      for (String h = line(); h != null && !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
      }
      if (status == 100) {
        continue;
      }
      boolean close = "close".equalsIgnoreCase(headers.get("connection"));
      Sink body = new Sink();
      if (head || status == 204 || status == 304) {
        // no body
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        while (true) {
          String size = line();
          if (size == null) {
            throw new java.io.EOFException("chunked body cut off");
          }
          int semi = size.indexOf(';');
          long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
          if (n == 0) {
            for (String t = line(); t != null && !t.isEmpty(); t = line()) {
              // trailers
            }
            break;
          }
          body.copy(in, n);
          line();
        }
      } else if (headers.containsKey("content-length")) {
        body.copy(in, Long.parseLong(headers.get("content-length")));
      } else {
        body.copy(in, Long.MAX_VALUE);
        close = true;
      }
      return new Response(status, headers, body.bytes(), close);
    }
  }

  /** One CRLF-terminated line (ISO-8859-1), or null at the end of the stream. */
  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.isEmpty() ? null : b.toString();
      }
      if (c == '\n') {
        int len = b.length();
        return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
      }
      if (b.length() > 65_536) {
        throw new IOException("header line too long");
      }
      b.append((char) c);
    }
  }

  /** Keeps the first {@link #KEPT_BODY} bytes of a body and discards the rest. */
  private static final class Sink {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[16_384];

    void copy(InputStream in, long n) throws IOException {
      long left = n;
      while (left > 0) {
        int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (r < 0) {
          if (n == Long.MAX_VALUE) {
            return;
          }
          throw new java.io.EOFException("body cut off");
        }
        int keep = Math.min(r, KEPT_BODY - kept.size());
        if (keep > 0) {
          kept.write(buffer, 0, keep);
        }
        left -= r;
      }
    }

    byte[] bytes() {
      return kept.toByteArray();
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
