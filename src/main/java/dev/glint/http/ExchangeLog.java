package dev.glint.http;

/**
 * Where {@link HotLane} reports a request it answered itself: the same request timer and access
 * line as the Javalin pipeline's request logger writes (the ops feature implements it). The lane
 * reports before it sends the answer, so a client holding its answer finds the request counted.
 */
@FunctionalInterface
public interface ExchangeLog {

  /**
   * @param api the listener (image or compute)
   * @param requestId the request's {@code req-…} id
   * @param globalRequestId the caller's {@code X-OpenStack-Request-Id}, or null
   * @param nanos how long the lane took, up to the answer ready to send
   */
  void done(String api, String requestId, String globalRequestId, String method, String path,
      String route, int status, long nanos, Principal caller);
}
