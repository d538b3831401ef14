package dev.glint.openapi;

import dev.glint.http.ExchangeListener;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks every response the test servers of this JVM send against the listener's OpenAPI
 * description, as it is sent, and keeps the violations (with the first few bodies) for {@link
 * OpenApiConformanceTest}, which runs after every other test class. On unless {@code
 * -Dglint.openapi.record=false}.
 */
public final class ExchangeRecorder implements ExchangeListener {
  private static final ExchangeRecorder INSTANCE = new ExchangeRecorder();
  private static final int KEPT = 200;

  private final Map<String, OpenApiValidator> validators = new ConcurrentHashMap<>();
  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong waived = new AtomicLong();
  private final List<String> violations = new ArrayList<>();
  private final AtomicLong violationCount = new AtomicLong();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  private ExchangeRecorder() {}

  /** The recorder for {@code TestServer}, or null when recording is switched off. */
  public static ExchangeListener listener() {
    return Boolean.parseBoolean(System.getProperty("glint.openapi.record", "true")) ? INSTANCE : null;
  }

  static ExchangeRecorder instance() {
    return INSTANCE;
  }

  @Override
  public void exchange(String listener, Context ctx) {
    try {
      check(capture(listener, ctx));
    } catch (RuntimeException | IOException e) {
      record("recorder failed on " + listener + " " + ctx.method() + " " + ctx.path() + ": " + e);
    }
  }

  void check(Exchange e) {
    if (e.route() != null && NotYetDescribed.listed(e.listener(), e.method(), e.route())) {
      waived.incrementAndGet();
      return;
    }
    checked.incrementAndGet();
    OpenApiValidator validator = validators.computeIfAbsent(e.listener(), OpenApiValidator::forListener);
    OpenApiValidator.Result result = validator.validate(e);
    seen.add(e.listener() + " " + e.method() + " " + result.template() + " " + e.status());
    for (String problem : result.problems()) {
      record(e.describe() + ": " + problem + bodyExcerpt(e));
    }
  }

  private static Exchange capture(String listener, Context ctx) throws IOException {
    String route = null;
    try {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      route = endpoint == null ? null : endpoint.path;
    } catch (RuntimeException none) {
      // no HTTP endpoint matched (a 404, or a before filter answered)
    }
    byte[] body = null;
    InputStream result = ctx.resultInputStream();
    if (ctx.res().isCommitted()) {
      // already written to the connection (image data, or a body cut short on purpose): unseen
    } else if (result instanceof ByteArrayInputStream whole) {
      body = whole.readAllBytes();
      ctx.result(body); // put it back for the writer
    } else if (result == null) {
      body = new byte[0];
    }
    return new Exchange(
        listener,
        ctx.req().getMethod(),
        ctx.path(),
        route,
        ctx.res().getStatus(),
        ctx.res().getContentType(),
        ctx.res().getHeader("Content-Encoding"),
        body,
        headers(ctx));
  }

  private static Map<String, String> headers(Context ctx) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String name : ctx.res().getHeaderNames()) {
      out.put(name.toLowerCase(java.util.Locale.ROOT), ctx.res().getHeader(name));
    }
    return out;
  }

  private static String bodyExcerpt(Exchange e) {
    if (e.body() == null || e.body().length == 0 || e.contentEncoding() != null) {
      return "";
    }
    String text = new String(e.body(), java.nio.charset.StandardCharsets.UTF_8);
    return "\n      body: " + (text.length() > 400 ? text.substring(0, 400) + "…" : text);
  }

  private synchronized void record(String violation) {
    violationCount.incrementAndGet();
    if (violations.size() < KEPT) {
      violations.add(violation);
    }
  }

  long checked() {
    return checked.get();
  }

  /** Responses of routes listed in openapi/not-yet-described.txt, not checked. */
  long waived() {
    return waived.get();
  }

  long violationCount() {
    return violationCount.get();
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** "listener METHOD template status" of everything checked, for the coverage summary. */
  Set<String> seen() {
    return Set.copyOf(seen);
  }
}
