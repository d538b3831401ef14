package dev.glint.compute;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded Nova exchange from {@code src/test/resources/reference/nova-zed/}: the request line
 * and headers, the response status, headers and exact body bytes (from {@code raw/}).
 */
record NovaExchange(
    String name,
    String title,
    String method,
    String target,
    List<String[]> requestHeaders,
    int status,
    List<String[]> responseHeaders,
    String body) {

  static NovaExchange load(String name) {
    String text = resource(name + ".txt");
    String[] lines = text.split("\n", -1);
    String title = lines[0].substring(2);
    int i = 0;
    while (!lines[i].equals("=== REQUEST ===")) {
      i++;
    }
    String[] requestLine = lines[++i].split(" ");
    List<String[]> requestHeaders = new ArrayList<>();
    while (!lines[++i].isEmpty()) {
      requestHeaders.add(header(lines[i]));
    }
    while (!lines[i].equals("=== RESPONSE ===")) {
      i++;
    }
    int status = Integer.parseInt(lines[++i].split(" ")[1]);
    List<String[]> responseHeaders = new ArrayList<>();
    while (!lines[++i].isEmpty()) {
      responseHeaders.add(header(lines[i]));
    }
    String body = resourceOrEmpty("raw/" + name + ".body");
    return new NovaExchange(
        name, title, requestLine[0], requestLine[1], requestHeaders, status, responseHeaders, body);
  }

  /** The first value of a response header, or null. */
  String responseHeader(String name) {
    for (String[] h : responseHeaders) {
      if (h[0].equalsIgnoreCase(name)) {
        return h[1];
      }
    }
    return null;
  }

  List<String> responseHeaders(String name) {
    List<String> out = new ArrayList<>();
    for (String[] h : responseHeaders) {
      if (h[0].equalsIgnoreCase(name)) {
        out.add(h[1]);
      }
    }
    return out;
  }

  private static String[] header(String line) {
    int colon = line.indexOf(':');
    return new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()};
  }

  private static String resource(String path) {
    try (InputStream in = NovaExchange.class.getResourceAsStream("/reference/nova-zed/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resourceOrEmpty(String path) {
    try {
      return resource(path);
    } catch (IllegalArgumentException missing) {
      return "";
    }
  }
}
