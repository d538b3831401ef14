package dev.glint.error;

/**
 * Every error Glint answers with, paired with its HTTP status, the name Nova gives its fault
 * ({@code Fault._fault_names}) and the HTTP reason phrase Keystone and Glance put in {@code title}.
 */
public enum ErrorCode {
  BAD_REQUEST(400, "badRequest", "Bad Request"),
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  NOT_FOUND(404, "itemNotFound", "Not Found"),
  BAD_METHOD(405, "badMethod", "Method Not Allowed"),
  NOT_ACCEPTABLE(406, "computeFault", "Not Acceptable"),
  CONFLICT(409, "conflictingRequest", "Conflict"),
  GONE(410, "computeFault", "Gone"),
  OVER_LIMIT(413, "overLimit", "Request Entity Too Large"),
  RANGE_NOT_SATISFIABLE(416, "computeFault", "Requested Range Not Satisfiable"),
  BAD_MEDIA_TYPE(415, "badMediaType", "Unsupported Media Type"),
  INTERNAL(500, "computeFault", "Internal Server Error"),
  NOT_IMPLEMENTED(501, "notImplemented", "Not Implemented"),
  UNAVAILABLE(503, "serviceUnavailable", "Service Unavailable");

  private final int httpStatus;
  private final String novaName;
  private final String title;

  ErrorCode(int httpStatus, String novaName, String title) {
    this.httpStatus = httpStatus;
    this.novaName = novaName;
    this.title = title;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The key of Nova's fault body, e.g. {@code itemNotFound}. */
  public String novaName() {
    return novaName;
  }

  /** The HTTP reason phrase, e.g. {@code Not Found}. */
  public String title() {
    return title;
  }
}
