package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A refused request whose body arrives after its headers (as Java's HttpClient and many others
 * send it) must leave the connection usable: the client's next request on it gets an answer. Jetty
 * closes a connection whose request body was left unread, without a {@code Connection: close} in
 * the response, so the next request on it got no bytes at all (seen as "header parser received no
 * bytes" in CI, on a 405 and on a refused write). The fault path now reads such a body.
 */
class UnreadBodyConnectionTest {
  @Test
  void theNextRequestOnTheConnectionIsAnsweredAfterA405WithALateBody() throws Exception {
    try (TestServer server = TestServer.start()) {
      String token = server.adminToken();
      URI compute = URI.create(server.computeUrl());
      try (Socket socket = new Socket(compute.getHost(), compute.getPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(
            ("PATCH /v2.1/images HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300); // the body comes later, in its own packet
        out.write("{}".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(response(in)).startsWith("HTTP/1.1 405");

        out.write(
            ("GET /v2.1/images HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(response(in)).startsWith("HTTP/1.1 200");
      }
    }
  }

  /**
   * An upload refused before its data (here: to an image that does not exist) is answered, and
   * its connection carries the next request: the body, larger than any JSON body, is read and
   * dropped. Before, such a body was left to Jetty, which closed the connection: the next request
   * got no bytes, and under load the close's reset could overtake the refusal itself.
   */
  @Test
  void theNextRequestOnTheConnectionIsAnsweredAfterARefusedUpload() throws Exception {
    try (TestServer server = TestServer.start()) {
      String token = server.adminToken();
      URI image = URI.create(server.imageUrl());
      byte[] data = new byte[3 << 20];
      try (Socket socket = new Socket(image.getHost(), image.getPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(
            ("PUT /v2/images/00000000-0000-4000-8000-000000000000/file HTTP/1.1\r\nHost: x\r\n"
                    + "X-Auth-Token: " + token + "\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: " + data.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(300); // the data comes later, as an uploading client sends it
        out.write(data);
        out.flush();
        assertThat(response(in)).startsWith("HTTP/1.1 404");

        out.write(
            ("GET /v2/images HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(response(in)).startsWith("HTTP/1.1 200");
      }
    }
  }

  /** One response: head and a Content-Length body; "" when the server closed instead. */
  private static String response(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      head.write(c);
      String s = head.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        int length = 0;
        for (String line : s.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        in.readNBytes(length);
        return s;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
