package dev.glint.ops;

import dev.glint.http.RequestIds;
import dev.glint.http.Principal;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import dev.glint.logging.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Per-request bookkeeping: the {@code glint_http_requests_seconds} timer (labels api, route
 * template, method, status), image data bytes in and out, uploads in progress, the global request
 * id and caller in the log context, and the access log line.
 */
final class RequestMetrics {
  static final String PATH = "/metrics";
  static final String ROUTE_ATTRIBUTE = "glint.route";
  private static final String START_ATTRIBUTE = "glint.start";
  private static final String UPLOAD_ATTRIBUTE = "glint.upload";
  private static final Logger ACCESS = LoggerFactory.getLogger("glint.access");

  /** oslo.middleware's {@code request_id.ID_FORMAT}: anything else is not a global request id. */
  static final Pattern GLOBAL_ID =
      Pattern.compile("^req-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$");

  /** MDC keys the log lines carry (JSON: under {@code mdc}; text: request_id in the pattern). */
  static final String[] MDC_KEYS = {
    "global_request_id", "user", "project", "api", "method", "route", "status", "duration_ms"
  };

  private final MeterRegistry registry;
  private final AtomicInteger uploadsInProgress = new AtomicInteger();
  private final Counter uploadBytes;
  private final Counter downloadBytes;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.uploadBytes =
        Counter.builder("glint.image.upload.bytes")
            .description("Image data bytes received by PUT /v2/images/{image_id}/file")
            .baseUnit("bytes")
            .register(registry);
    this.downloadBytes =
        Counter.builder("glint.image.download.bytes")
            .description("Image data bytes sent by GET /v2/images/{image_id}/file")
            .baseUnit("bytes")
            .register(registry);
    registry.gauge("glint.image.uploads.in.progress", uploadsInProgress);
  }

  void begin(Context ctx, String api, JavalinState config) {
    ctx.attribute(START_ATTRIBUTE, System.nanoTime());
    MDC.put("api", api);
    String global = ctx.header("X-OpenStack-Request-Id");
    if (global != null && GLOBAL_ID.matcher(global).matches()) {
      MDC.put("global_request_id", global);
    }
    if (ctx.method() == HandlerType.PUT && isData(route(ctx, config))) {
      ctx.attribute(UPLOAD_ATTRIBUTE, Boolean.TRUE);
      uploadsInProgress.incrementAndGet();
    }
  }

  /** One timer per label set, found by a map lookup rather than built and registered per request. */
  private record TimerKey(String api, String route, String method, int status) {}

  private final ConcurrentHashMap<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> hotAnswers = new ConcurrentHashMap<>();

  private Timer timer(TimerKey key) {
    Timer timer = timers.get(key);
    return timer != null
        ? timer
        : timers.computeIfAbsent(
            key,
            k ->
                Timer.builder("glint.http.requests")
                    .description("HTTP requests by API, route template, method and status")
                    .tags("api", k.api(), "route", k.route(), "method", k.method(),
                        "status", Integer.toString(k.status()))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry));
  }

  /** {@code ms} with one decimal, as "%.1f" would print it, without a Formatter per request. */
  static String tenths(float ms) {
    long t = Math.round((double) ms * 10);
    return (t / 10) + "." + (t % 10);
  }

  void end(Context ctx, String api, JavalinState config, float ms) {
    String route = route(ctx, config);
    String method = ctx.method().name();
    int status = ctx.status().getCode();
    if (Boolean.TRUE.equals(ctx.attribute(UPLOAD_ATTRIBUTE))) {
      uploadsInProgress.decrementAndGet();
      uploadBytes.increment(bytesRead(ctx));
    } else if (ctx.method() == HandlerType.GET && isData(route)) {
      downloadBytes.increment(bytesWritten(ctx));
    }
    caller(ctx);
    line(api, RequestIds.of(ctx), method, ctx.path(), route, status, ms);
  }

  /**
   * The same for a request {@code dev.glint.http.HotLane} answered itself, off the pipeline: its
   * log context is set here, for the access line only.
   */
  void hot(String api, String requestId, String globalRequestId, String method, String path,
      String route, int status, long nanos, Principal caller) {
    hotAnswers.computeIfAbsent(api, a -> Counter.builder("glint.http.hot.answers")
        .description("Requests a listener's hot lane answered from memory, ahead of the pipeline")
        .tags("api", a)
        .register(registry)).increment();
    if (!ACCESS.isInfoEnabled()) {
      // No access line (GLINT_LOG_LEVEL above INFO): only the timer; the log context would be
      // filled and emptied for nothing, a dozen map writes per request.
      time(api, route, method, status, nanos);
      return;
    }
    MDC.put("request_id", requestId);
    MDC.put("api", api);
    if (globalRequestId != null && GLOBAL_ID.matcher(globalRequestId).matches()) {
      MDC.put("global_request_id", globalRequestId);
    }
    if (caller != null) {
      MDC.put("user", caller.userId());
      if (caller.projectId() != null) {
        MDC.put("project", caller.projectId());
      }
    }
    try {
      line(api, requestId, method, path, route, status, nanos / 1_000_000f);
    } finally {
      MDC.remove("request_id");
    }
  }

  private void time(String api, String route, String method, int status, long nanos) {
    timer(new TimerKey(api, route, method, status)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The request timer and the access line; clears the request's keys from the log context. */
  private void line(String api, String requestId, String method, String path, String route,
      int status, float ms) {
    time(api, route, method, status, (long) (ms * 1_000_000L));
    MDC.put("method", method);
    MDC.put("route", route);
    MDC.put("status", Integer.toString(status));
    String duration = tenths(ms);
    MDC.put("duration_ms", duration);
    try {
      ACCESS.info("{} {} {} {} {} {}ms", api, requestId, method, Secrets.path(path), status, duration);
    } finally {
      for (String key : MDC_KEYS) {
        MDC.remove(key);
      }
    }
  }

  /** Puts the authenticated caller (if any) in the log context, for every later log line. */
  void caller(Context ctx) {
    Principal caller = principal(ctx);
    if (caller != null) {
      MDC.put("user", caller.userId());
      if (caller.projectId() != null) {
        MDC.put("project", caller.projectId());
      }
    }
  }

  /** The caller the image or compute auth filter put on the request, if any. */
  static Principal principal(Context ctx) {
    // The identity API checks tokens per route and puts none: its lines carry no user.
    Object attached = ctx.attribute("glint.principal");
    return attached instanceof Principal p ? p : null;
  }

  /**
   * The route template the request matched ({@code /v2/{tenant_id}/images}), never the raw path:
   * the matched endpoint, else the one the path would match (a request refused before routing,
   * e.g. 401), else {@code unmatched}, so that the label's values stay bounded.
   */
  String route(Context ctx, JavalinState config) {
    String known = ctx.attribute(ROUTE_ATTRIBUTE);
    if (known != null) {
      return known;
    }
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    String route = matched != null ? matched.path : lookup(config, ctx.method(), ctx.path());
    ctx.attribute(ROUTE_ATTRIBUTE, route);
    return route;
  }

  private static String lookup(JavalinState config, HandlerType method, String path) {
    if (config.internalRouter == null) {
      return "unmatched";
    }
    ParsedEndpoint p = config.internalRouter.findFirstHttpHandlerEntry(method, path);
    if (p == null) {
      for (HandlerType other : new HandlerType[] {HandlerType.GET, HandlerType.POST,
          HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE}) {
        p = config.internalRouter.findFirstHttpHandlerEntry(other, path);
        if (p != null) {
          break;
        }
      }
    }
    return p == null ? "unmatched" : p.endpoint.path;
  }

  private static boolean isData(String route) {
    return route.endsWith("/images/{image_id}/file");
  }

  private static long bytesRead(Context ctx) {
    ServletContextRequest core = ServletContextRequest.getServletContextRequest(ctx.req());
    return core == null ? 0 : Request.getContentBytesRead(core);
  }

  private static long bytesWritten(Context ctx) {
    ServletContextRequest core = ServletContextRequest.getServletContextRequest(ctx.req());
    return core == null ? 0 : Response.getContentBytesWritten(core.getServletContextResponse());
  }
}
