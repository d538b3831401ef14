package dev.glint.http;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty core handler in front of a listener's Javalin pipeline, for the hottest reads (issue 9,
 * DESIGN.md "the stack's own ceiling"). It declares itself non-blocking, so Jetty calls it on the
 * thread that parsed the request: a GET its {@link HotRoute} answers from memory is written there
 * and then, with no hand-off to another thread, no servlet request and no filter chain; every
 * other request is handed on to the pipeline on the server's executor (what Jetty itself would
 * have done for a blocking handler).
 *
 * <p>An answered request still gets what the pipeline gives every request: a request id (sent
 * and logged), the request timer and the access line ({@link ExchangeLog}). It skips the
 * listener's bound on requests in progress ({@code listener.max.requests}): it holds no thread
 * and finishes in microseconds. Its access line goes to the same asynchronous appender; when that
 * appender's queue is full, this thread waits for room, before sending, as a pipeline thread
 * would.
 */
public final class HotLane extends Handler.Wrapper {
  private final String api;
  private final boolean computeRequestId;
  private final HotRoute route;
  private final ExchangeLog log;
  private volatile Executor executor;

  /**
   * @param api the listener's name (image or compute)
   * @param computeRequestId whether the id also goes out as {@code x-compute-request-id}
   */
  public HotLane(String api, boolean computeRequestId, HotRoute route, ExchangeLog log) {
    this.api = api;
    this.computeRequestId = computeRequestId;
    this.route = route;
    this.log = log;
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  protected void doStart() throws Exception {
    executor = getServer().getThreadPool();
    super.doStart();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (HttpMethod.GET.is(request.getMethod()) && answer(request, response, callback)) {
      return true;
    }
    Handler next = getHandler();
    executor.execute(() -> handOn(next, request, response, callback));
    return true;
  }

  private static void handOn(Handler next, Request request, Response response, Callback callback) {
    try {
      if (next == null || !next.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable x) {
      Response.writeError(request, response, callback, x);
    }
  }

  private boolean answer(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = request.getHttpURI().getPath();
    HttpFields fields = request.getHeaders();
    HotRoute.Answer a;
    try {
      a = route.answer(
          new HotRoute.Request(path, request.getHttpURI().getQuery(), new Fields(fields)));
    } catch (RuntimeException e) {
      a = null; // the pipeline answers it, and logs what went wrong there
    }
    if (a == null) {
      return false;
    }
    String id = RequestIds.next();
    response.setStatus(HttpStatus.OK_200);
    HttpFields.Mutable out = response.getHeaders();
    out.put(
        a.contentType().equals(Responses.JSON)
            ? JSON
            : new HttpField(HttpHeader.CONTENT_TYPE, a.contentType()));
    out.put("x-openstack-request-id", id);
    if (computeRequestId) {
      out.put("x-compute-request-id", id);
    }
    for (HttpField f : encoded(a.headers())) {
      out.add(f);
    }
    List<String> more = a.perRequest();
    for (int i = 0; i + 1 < more.size(); i += 2) {
      out.add(more.get(i), more.get(i + 1));
    }
    // Counted and logged before the first byte goes out: a client that reads /metrics or the
    // access log once its answer has arrived must find this request there.
    log.done(api, id, fields.get("X-OpenStack-Request-Id"), "GET", path, a.route(), 200,
        System.nanoTime() - start, a.caller());
    ByteBuffer[] parts = a.body();
    if (parts.length == 1) {
      out.put(HttpHeader.CONTENT_LENGTH, parts[0].remaining());
      response.write(true, parts[0].slice(), callback);
    } else {
      // Gathered once into a pooled direct buffer: no array to allocate and zero, and no copy
      // into the JDK's own direct buffer at the socket write.
      int length = 0;
      for (ByteBuffer p : parts) {
        length += p.remaining();
      }
      out.put(HttpHeader.CONTENT_LENGTH, length);
      RetainableByteBuffer pooled = request.getComponents().getByteBufferPool().acquire(length, true);
      ByteBuffer b = pooled.getByteBuffer();
      int from = BufferUtil.flipToFill(b);
      for (ByteBuffer p : parts) {
        b.put(p.slice());
      }
      BufferUtil.flipToFlush(b, from);
      response.write(true, b, Callback.from(pooled::release, callback));
    }
    return true;
  }

  private static final HttpField JSON =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Responses.JSON);

  /** Answers' further fields, encoded once (Jetty otherwise checks every character per send). */
  private final ConcurrentHashMap<List<String>, HttpField[]> encoded = new ConcurrentHashMap<>();

  private HttpField[] encoded(List<String> headers) {
    if (headers.isEmpty()) {
      return NO_FIELDS;
    }
    HttpField[] fields = encoded.get(headers);
    if (fields == null) {
      fields = new HttpField[headers.size() / 2];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = new PreEncodedHttpField(headers.get(2 * i), headers.get(2 * i + 1));
      }
      if (encoded.size() < 256) { // routes send a few distinct sets (one per microversion)
        encoded.put(List.copyOf(headers), fields);
      }
    }
    return fields;
  }

  private static final HttpField[] NO_FIELDS = new HttpField[0];

  /** The request's fields as a route reads them. */
  private record Fields(HttpFields fields) implements HotRoute.Headers {
    @Override
    public String get(String name) {
      HttpHeader known = HttpHeader.CACHE.get(name); // compared as an enum, not by its letters
      return known != null ? fields.get(known) : fields.get(name);
    }

    @Override
    public List<String> values(String name) {
      return fields.getValuesList(name);
    }

    /** As the interface's, in one pass over the fields (all of these are known to Jetty). */
    @Override
    public boolean beyondAPlainRead() {
      for (HttpField f : fields) {
        HttpHeader h = f.getHeader();
        if (h == HttpHeader.CONTENT_TYPE
            || h == HttpHeader.TRANSFER_ENCODING
            || h == HttpHeader.ORIGIN
            || h == HttpHeader.ACCEPT_ENCODING
            || (h == HttpHeader.CONTENT_LENGTH && !f.getValue().strip().equals("0"))) {
          return true;
        }
      }
      return false;
    }
  }
}
