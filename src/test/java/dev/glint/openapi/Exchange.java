package dev.glint.openapi;

/**
 * One request/response pair as the server answered it. {@code route} is the path template Javalin
 * matched (null when none did); {@code body} is null when the response was streamed (image data)
 * rather than written whole, and is the raw bytes (possibly gzip- or deflate-encoded) otherwise.
 */
record Exchange(
    String listener,
    String method,
    String path,
    String route,
    int status,
    String contentType,
    String contentEncoding,
    byte[] body) {

  String describe() {
    return listener + " " + method + " " + path + " → " + status + " " + contentType;
  }
}
