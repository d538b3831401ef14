package dev.glint.openapi;

/**
 * One request/response pair as the server answered it. {@code route} is the path template Javalin
 * matched (null when none did); {@code body} is null when the response was streamed (image data)
 * rather than written whole, and is the raw bytes (possibly gzip- or deflate-encoded) otherwise;
 * {@code headers} are the response's, by lower-case name.
 */
record Exchange(
    String listener,
    String method,
    String path,
    String route,
    int status,
    String contentType,
    String contentEncoding,
    byte[] body,
    java.util.Map<String, String> headers) {

  /** Without response headers (tests that build an exchange by hand). */
  Exchange(String listener, String method, String path, String route, int status,
      String contentType, String contentEncoding, byte[] body) {
    this(listener, method, path, route, status, contentType, contentEncoding, body,
        java.util.Map.of());
  }

  /** A response header by its case-insensitive name, or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  String describe() {
    return listener + " " + method + " " + path + " → " + status + " " + contentType;
  }
}
