package dev.glint.fetch;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches a {@code web-download} URI with a plain HTTP/1.1 GET over a socket connected to the
 * address {@link ImportFilter#check} picked, so the host cannot resolve to a refused address
 * between the check and the connection (as Glance's pinned connections do). HTTPS verifies the
 * certificate against the host name. Redirects are followed (at most 10, as urllib) only to URIs
 * the filter allows. The body is streamed: a body shorter than its {@code Content-Length} or a
 * chunked body cut off is an {@link EOFException}, never a short success.
 */
public final class WebSource {
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final ImportFilter filter;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public WebSource(ImportFilter filter, Duration connectTimeout, Duration readTimeout) {
    this.filter = filter;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  public ImportFilter filter() {
    return filter;
  }

  /** A 200 response: its body and the length it announced ({@code -1} when none). */
  public record Body(InputStream stream, long contentLength) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  /** Opens {@code uri}; the caller reads and closes the body. */
  public Body open(String uri) throws IOException {
    return open(uri, Map.of());
  }

  /**
   * Opens {@code uri} sending {@code headers} too (a {@code glance-download}'s {@code
   * X-Auth-Token}); they follow a redirect only to the same scheme, host and port, so a token never
   * goes to another server. The caller reads and closes the body.
   */
  public Body open(String uri, Map<String, String> headers) throws IOException {
    URI first = URI.create(uri);
    String current = uri;
    for (int hop = 0; ; hop++) {
      InetAddress address = filter.check(current);
      URI u = URI.create(current);
      Response r = request("GET", u, address, sameOrigin(first, u) ? headers : Map.of());
      if (r.status / 100 == 3 && r.headers.containsKey("location") && r.status != 304) {
        r.socket.close();
        if (hop == MAX_REDIRECTS) {
          throw new IOException("too many redirects from " + uri);
        }
        current = u.resolve(r.headers.get("location").strip()).toString();
        continue;
      }
      if (r.status != 200) {
        r.socket.close();
        throw new IOException("HTTP " + r.status + " from " + current);
      }
      return body(r);
    }
  }

  /**
   * The size of the data at {@code uri} as a HEAD answers it ({@code Content-Length}; glance_store's
   * http store {@code get_size}), following redirects through the filter as {@link #open} does;
   * -1 when the answer has no length.
   *
   * @throws IOException when the filter refuses a hop, or the answer is not a 200
   */
  public long size(String uri) throws IOException {
    String current = uri;
    for (int hop = 0; ; hop++) {
      InetAddress address = filter.check(current);
      URI u = URI.create(current);
      Response r = request("HEAD", u, address, Map.of());
      r.socket.close();
      if (r.status / 100 == 3 && r.headers.containsKey("location") && r.status != 304) {
        if (hop == MAX_REDIRECTS) {
          throw new IOException("too many redirects from " + uri);
        }
        current = u.resolve(r.headers.get("location").strip()).toString();
        continue;
      }
      if (r.status != 200) {
        throw new IOException("HTTP " + r.status + " from " + current);
      }
      try {
        return Long.parseLong(r.headers.getOrDefault("content-length", "-1").strip());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length from " + current);
      }
    }
  }

  private record Response(Socket socket, InputStream in, int status, Map<String, String> headers) {}

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private Response request(String method, URI u, InetAddress address, Map<String, String> extra)
      throws IOException {
    boolean https = u.getScheme().equalsIgnoreCase("https");
    int port = u.getPort() > 0 ? u.getPort() : https ? 443 : 80;
    String host = u.getHost();
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
      socket.setSoTimeout((int) readTimeout.toMillis());
      if (https) {
        SSLSocket ssl =
            (SSLSocket)
                sslContext().getSocketFactory().createSocket(socket, bare(host), port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.startsWith("[") && !Character.isDigit(host.charAt(host.length() - 1))) {
          params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        socket = ssl;
      }
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      if (u.getRawQuery() != null) {
        path += "?" + u.getRawQuery();
      }
      String hostHeader = host + (u.getPort() > 0 ? ":" + u.getPort() : "");
      StringBuilder request =
          new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + hostHeader
              + "\r\nUser-Agent: glint-web-download\r\nAccept: */*\r\nConnection: close\r\n");
      extra.forEach((name, value) -> {
        if ((name + value).indexOf('\r') >= 0 || (name + value).indexOf('\n') >= 0) {
          throw new IllegalArgumentException("header " + name + " holds a line break");
        }
        request.append(name).append(": ").append(value).append("\r\n");
      });
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      int[] budget = {MAX_HEAD_BYTES};
      String statusLine = line(in, budget);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP response: " + statusLine);
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + statusLine);
      }
      Map<String, String> headers = new HashMap<>();
      for (String h = line(in, budget); !h.isEmpty(); h = line(in, budget)) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
      }
      return new Response(socket, in, status, headers);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static Body body(Response r) throws IOException {
    String te = r.headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new Body(new Chunked(r.in, r.socket), -1);
    }
    String cl = r.headers.get("content-length");
    if (cl != null) {
      long length;
      try {
        length = Long.parseLong(cl.strip());
      } catch (NumberFormatException e) {
        r.socket.close();
        throw new IOException("bad Content-Length " + cl);
      }
      return new Body(new Exact(r.in, r.socket, length), length);
    }
    return new Body(new Closing(r.in, r.socket), -1);
  }

  private static String bare(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static SSLContext sslContext() throws IOException {
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException("no TLS: " + e, e);
    }
  }

  /** One CRLF- (or LF-) ended line, ISO-8859-1, within the head's byte budget. */
  static String line(InputStream in, int[] budget) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed in the response head");
      }
      if (--budget[0] < 0) {
        throw new IOException("response head too large");
      }
      if (c == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) c);
    }
  }

  /** A body read until the server closes; closing it closes the socket. */
  private static class Closing extends FilterInputStream {
    private final Socket socket;

    Closing(InputStream in, Socket socket) {
      super(in);
      this.socket = socket;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Exactly {@code length} bytes; an early end of stream is an error. */
  private static final class Exact extends Closing {
    private long left;

    Exact(InputStream in, Socket socket, long length) {
      super(in, socket);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the body ended " + left + " bytes short of its Content-Length");
      }
      left -= n;
      return n;
    }
  }

  /** {@code Transfer-Encoding: chunked}; a body cut off before its last chunk is an error. */
  private static final class Chunked extends Closing {
    private long left;
    private boolean done;

    Chunked(InputStream in, Socket socket) {
      super(in, socket);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        int[] budget = {MAX_HEAD_BYTES};
        String size = line(in, budget);
        int semi = size.indexOf(';');
        try {
          left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size " + size);
        }
        if (left == 0) {
          while (!line(in, budget).isEmpty()) {
            // trailers
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("the chunked body was cut off");
      }
      left -= n;
      if (left == 0) {
        int[] budget = {2};
        if (!line(in, budget).isEmpty()) {
          throw new IOException("chunk not followed by CRLF");
        }
      }
      return n;
    }
  }
}
