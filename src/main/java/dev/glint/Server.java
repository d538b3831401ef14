package dev.glint;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.glint.catalog.CatalogGeneration;
import dev.glint.catalog.ImageIndex;
import dev.glint.compute.ComputeEndpoints;
import dev.glint.compute.NovaFaults;
import dev.glint.config.GlintConfig;
import dev.glint.console.ConsoleWeb;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.error.RetryAfterException;
import dev.glint.error.StoreUnavailableException;
import dev.glint.http.Faults;
import dev.glint.http.InputGuard;
import dev.glint.http.ListenerLimits;
import dev.glint.http.RateLimiter;
import dev.glint.http.RequestIds;
import dev.glint.http.Connectors;
import dev.glint.identity.IdentityEndpoints;
import dev.glint.identity.KeystoneFaults;
import dev.glint.identity.TokenService;
import dev.glint.image.GlanceFaults;
import dev.glint.image.ImageEndpoints;
import dev.glint.logging.Secrets;
import dev.glint.http.ExchangeListener;
import dev.glint.http.HotLane;
import dev.glint.openapi.OpenApiEndpoint;
import dev.glint.ops.Ops;
import dev.glint.metadef.MetadefEndpoints;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The three listeners (identity, image, compute), each a Javalin app with its own fault format.
 * {@link #create(App)} alone registers routes, filters and error mapping; tests call it too. This
 * is where the features meet: each listener gets the services it uses, and the image and compute
 * listeners get the identity feature's token check only as an {@code http.TokenValidator}.
 */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  static final String RETRY_AFTER_SECONDS = "1";
  /** Nova's and Glance's {@code max_request_body_size}. */
  static final int MAX_REQUEST_BYTES = 114_688;
  /** The largest refused body read to its end (and dropped) rather than cut off by a close. */
  static final long DRAIN_MAX = 64L << 20;

  private final App app;
  private final Ops ops;
  private final Javalin identity;
  private final Javalin image;
  private final Javalin compute;

  private Server(App app, Ops ops, Javalin identity, Javalin image, Javalin compute) {
    this.app = app;
    this.ops = ops;
    this.identity = identity;
    this.image = image;
    this.compute = compute;
  }

  public static Server create(App app) {
    return create(app, null);
  }

  /** As {@link #create(App)}, with an optional listener that sees every exchange (tests). */
  public static Server create(App app, ExchangeListener exchanges) {
    // Metrics, health, access log, fault injection: one per server, hooked into each listener.
    TokenService tokens = app.tokens();
    Ops ops =
        Ops.create(
            app.config(),
            app.db(),
            app.blobs(),
            tokens,
            new Ops.TokenCounts(
                tokens::keyCount,
                () -> tokens.stats().validations(),
                () -> tokens.stats().cacheHits(),
                () -> tokens.stats().rejections()));
    CatalogGeneration generation = app.catalog().generation();
    ops.catalogGeneration(generation::current);
    if (app.config().listIndex()) {
      // Only a serving node keeps lists in memory (not gen-data, purge or bootstrap). It starts
      // building once the listeners are up (start()); lists use SQL until it has caught up.
      ops.catalogIndex(
          () -> {
            ImageIndex index = app.catalog().index();
            return index != null && index.ready();
          });
    }
    var external = app.config().identitySettings().external();
    String authUri =
        "Keystone uri=\""
            + external.map(k -> k.url()).orElse(app.config().identity().publicUrl())
            + "\"";
    // Browser hooks first (CORS preflights, the console's files), ahead of each API's auth.
    ConsoleWeb web = new ConsoleWeb(app.config());
    // Keystone itself names its v3 root; keystonemiddleware (image, compute) the bare base.
    // In external mode another Keystone issues the tokens: no identity listener here.
    Javalin identity =
        external.isPresent()
            ? null
            : listener(app, ops, "identity", new KeystoneFaults(), false,
                "Keystone uri=\"" + app.config().identity().publicUrl() + "/v3\"",
                app.config().identity().publicUrl(), exchanges, null,
                routes -> {
                  web.apiRoutes(routes);
                  new IdentityEndpoints(app.identity(), app.config().identity().publicUrl())
                      .routes(routes);
                });
    // One budget per project across both image APIs; registered after the routes' own before
    // filters, so the auth filter has put the caller on the request.
    RateLimiter limiter =
        app.config().rateLimitPerMinute() > 0
            ? new RateLimiter(app.config().rateLimitPerMinute())
            : null;
    // The hot lane answers without the pipeline's filters: not where a filter of the pipeline
    // would change a list's answer (rate limits, injected faults). Recorded exchanges (tests'
    // OpenAPI and log-leak checks) see only what the pipeline answers.
    boolean hot =
        app.config().limits().hotReads()
            && limiter == null
            && !app.config().ops().faultsEnabled();
    ImageEndpoints imageApi =
        new ImageEndpoints(app.catalog(), app.validator(), app.config(), app.policy());
    Javalin image =
        listener(app, ops, "image", new GlanceFaults(), false, authUri,
            app.config().image().publicUrl(), exchanges,
            hot ? new HotLane("image", false, imageApi.hotRoute(), ops.exchangeLog()) : null,
            routes -> {
              web.imageRoutes(routes);
              imageApi.routes(routes);
              MetadefEndpoints metadefs = new MetadefEndpoints(app.metadefs());
              ImageEndpoints.prefixes(app.config()).forEach(prefix -> metadefs.routes(routes, prefix));
              if (limiter != null) {
                routes.before(limiter::check);
              }
            });
    ComputeEndpoints computeApi =
        new ComputeEndpoints(app.catalog(), app.validator(), app.config(), app.policy());
    Javalin compute =
        listener(app, ops, "compute", new NovaFaults(), true, authUri,
            app.config().compute().publicUrl(), exchanges,
            hot ? new HotLane("compute", true, computeApi.hotRoute(), ops.exchangeLog()) : null,
            routes -> {
              web.apiRoutes(routes);
              computeApi.routes(routes);
              if (limiter != null) {
                routes.before(limiter::check);
              }
            });
    return new Server(app, ops, identity, image, compute);
  }

  private static Javalin listener(
      App app,
      Ops ops,
      String name,
      Faults faults,
      boolean computeRequestId,
      String authUri,
      String publicUrl,
      ExchangeListener exchanges,
      HotLane hot,
      Consumer<RoutesConfig> routes) {
    int maxHeader = app.config().maxHeaderBytes();
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.startup.showOldJavalinVersionWarning = false;
          config.concurrency.useVirtualThreads = true;
          config.http.prefer405over404 = true;
          // Responses compresses what it sends itself (gzip or deflate, above a size where it
          // pays); Javalin's own layer would only inspect every response's headers again.
          config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
          config.http.maxRequestSize = MAX_REQUEST_BYTES;
          config.jetty.modifyHttpConfiguration(
              hc -> {
                hc.setRequestHeaderSize(maxHeader);
                hc.setSendServerVersion(false);
                hc.setSendXPoweredBy(false);
                hc.setSendDateHeader(true);
              });
          String host = app.config().listenHost();
          config.jetty.addConnector(
              app.config()
                  .tls()
                  .map(tls -> Connectors.tls(host, port(app, name), tls.cert(), tls.key()))
                  .orElseGet(() -> Connectors.plain(host, port(app, name))));
          config.jetty.modifyServer(
              s -> {
                s.setErrorHandler(new OversizeHandler(faults, computeRequestId));
                GlintConfig.Limits limits = app.config().limits();
                ListenerLimits.apply(
                    s,
                    limits.maxConnections(),
                    limits.maxRequests(),
                    limits.queueWait(),
                    limits.headerTimeout(),
                    limits.idleTimeout(),
                    hot);
              });
          config.routes.before(ctx -> RequestIds.assign(ctx, computeRequestId));
          config.routes.before(InputGuard::rejectNul);
          ops.install(config, name);
          config.routes.exception(
              HttpResponseException.class,
              (e, ctx) -> fault(ctx, faults, fromStatus(e.getStatus()), message(e), e, authUri));
          config.routes.exception(
              Exception.class,
              (e, ctx) -> fault(ctx, faults, codeFor(e), messageFor(e), e, authUri));
          new OpenApiEndpoint(name, publicUrl).routes(config.routes);
          routes.accept(config.routes);
          if (exchanges != null) {
            config.routes.after(ctx -> exchanges.exchange(name, ctx));
          }
        });
  }

  /** The configured port of a listener (a TLS connector is built before {@link #start()}). */
  private static int port(App app, String listener) {
    GlintConfig config = app.config();
    return switch (listener) {
      case "identity" -> config.identity().port();
      case "image" -> config.image().port();
      default -> config.compute().port();
    };
  }

  static void fault(
      Context ctx, Faults faults, ErrorCode code, String message, Exception e, String authUri) {
    settleBody(ctx, code);
    if (code == ErrorCode.INTERNAL) {
      LOG.error("unexpected error on {} {}", ctx.method(), Secrets.path(ctx.path()), e);
      message = "Unexpected API Error. Please report this and attach the Glint log if possible.";
    } else if (code == ErrorCode.UNAVAILABLE) {
      LOG.warn(
          "unavailable on {} {}: {}",
          ctx.method(),
          Secrets.path(ctx.path()),
          Secrets.mask(rootCause(e)));
    } else {
      LOG.debug(
          "{} on {} {}: {}", code, ctx.method(), Secrets.path(ctx.path()), Secrets.mask(message));
    }
    if (code == ErrorCode.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", authUri);
    }
    if (e instanceof RetryAfterException later) {
      ctx.header("Retry-After", Long.toString(later.seconds()));
    } else if (code == ErrorCode.UNAVAILABLE) {
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (code == ErrorCode.BAD_METHOD && e instanceof HttpResponseException h) {
      String methods = h.getDetails().get("availableMethods");
      if (methods != null) {
        ctx.header("Allow", methods);
      }
    }
    faults.render(ctx, code, message, e);
  }

  /**
   * What becomes of a request body the route may have left unread (a 405, a refusal before the
   * body is parsed, a 413, an upload refused before its data). Jetty closes a connection whose
   * request it did not read to the end, without saying so in the response: a client that sends its
   * next request on it gets no answer at all, and the reset that a close with unread input sends
   * can overtake the answer itself (Python's clients send the whole body before they read, so they
   * would see a broken pipe instead of the refusal). So a body with a Content-Length of up to
   * {@link #DRAIN_MAX} is read to its end and dropped, as Glance's eventlet server does; the
   * connection stays open except after a 413. A chunked body (which may be malformed: reading it
   * here would fail the exchange) or a larger one is not read, and the answer says {@code
   * Connection: close}.
   */
  private static void settleBody(Context ctx, ErrorCode code) {
    long length = ctx.req().getContentLengthLong();
    boolean chunked = "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"));
    if (!chunked && length <= 0) {
      return;
    }
    if (chunked || length > DRAIN_MAX) {
      ctx.header("Connection", "close");
      return;
    }
    if (code == ErrorCode.OVER_LIMIT) {
      ctx.header("Connection", "close");
    }
    try (var in = ctx.req().getInputStream()) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (Exception cutOff) {
      // the client stopped sending: the connection cannot carry another request
      ctx.header("Connection", "close");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  /** One table from exception to error code, as in STYLE §5. */
  static ErrorCode codeFor(Exception e) {
    return switch (e) {
      case ApiException api -> api.code();
      case JsonProcessingException json -> ErrorCode.BAD_REQUEST;
      case org.eclipse.jetty.http.HttpException bad when bad.getCode() < 500 -> ErrorCode.BAD_REQUEST;
      case StoreUnavailableException down -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }

  static String messageFor(Exception e) {
    return switch (e) {
      case ApiException api -> api.getMessage();
      case JsonProcessingException json -> "Malformed request body";
      case org.eclipse.jetty.http.HttpException bad when bad.getCode() < 500 ->
          "Malformed request body";
      case StoreUnavailableException down ->
          "The image catalog is temporarily unavailable. Please retry shortly.";
      default -> "";
    };
  }

  static ErrorCode fromStatus(int status) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.httpStatus() == status) {
        return c;
      }
    }
    return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
  }

  static String message(HttpResponseException e) {
    return switch (e.getStatus()) {
      case 404 -> "The resource could not be found.";
      case 405 -> "The method is not allowed for the requested URL.";
      case 413 -> "Request is too large. Larger than max_request_body_size (114688).";
      default -> e.getMessage();
    };
  }

  public Server start() {
    String host = app.config().listenHost();
    if (identity != null) {
      identity.start(host, app.config().identity().port());
    }
    image.start(host, app.config().image().port());
    compute.start(host, app.config().compute().port());
    if (app.config().listIndex()) {
      // After the listeners: at 1 M images the build reads every row, and on a small machine it
      // would take the cores the start itself needs.
      app.catalog().startIndex();
    }
    return this;
  }

  /**
   * "METHOD /path/template" of every HTTP route a listener (identity, image or compute)
   * registered, in registration order; the OpenAPI tests hold the descriptions to this list.
   */
  public List<String> routes(String listener) {
    Javalin javalin =
        switch (listener) {
          case "identity" -> identity;
          case "image" -> image;
          case "compute" -> compute;
          default -> throw new IllegalArgumentException(listener);
        };
    if (javalin == null) {
      return java.util.List.of(); // no identity listener in external Keystone mode
    }
    return javalin.unsafe.internalRouter.allHttpHandlers().stream()
        .map(parsed -> parsed.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .toList();
  }

  /** The identity listener's port; -1 in external Keystone mode, which has none. */
  public int identityPort() {
    return identity == null ? -1 : identity.port();
  }

  public int imagePort() {
    return image.port();
  }

  public int computePort() {
    return compute.port();
  }

  public Ops ops() {
    return ops;
  }

  @Override
  public void close() {
    compute.stop();
    image.stop();
    if (identity != null) {
      identity.stop();
    }
    ops.close();
    MDC.clear();
  }

  /**
   * Answers what Jetty refuses before any route runs, in the API's own fault format with a
   * request id: an over-long request line (414) or header block (431) is the seed's 413 {@code
   * overLimit}; anything else (a malformed or ambiguous URI, 400) keeps its status. Without this,
   * Jetty's HTML error page would reach the client.
   */
  static final class OversizeHandler extends ErrorHandler {
    private final Faults faults;
    private final boolean computeRequestId;

    OversizeHandler(Faults faults, boolean computeRequestId) {
      this.faults = faults;
      this.computeRequestId = computeRequestId;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      // Jetty answers 505 to an unknown protocol version and 501 to an unknown transfer coding:
      // both are malformed requests, the client's fault, not the server's.
      if (status == 505 || status == 501) {
        status = 400;
      }
      boolean oversize = status == 414 || status == 431 || status == 413;
      ErrorCode code = oversize ? ErrorCode.OVER_LIMIT : fromStatus(status);
      String text =
          oversize
              ? "Request line or header block is too large."
              : code == ErrorCode.BAD_REQUEST
                  ? "Malformed request URL."
                  : code == ErrorCode.UNAVAILABLE
                      ? "The server is busy. Please retry shortly."
                      : code.title() + ".";
      Faults.Body body = faults.early(code, text);
      String id = "req-" + java.util.UUID.randomUUID();
      LOG.debug("{} refused by Jetty before routing ({}), answered {}", id, status, code);
      response.setStatus(code.httpStatus());
      response.getHeaders().put("Content-Type", body.contentType());
      response.getHeaders().put("Content-Length", body.bytes().length);
      response.getHeaders().put("Connection", "close");
      response.getHeaders().put("x-openstack-request-id", id);
      if (code == ErrorCode.UNAVAILABLE) {
        // Over the listener's bound on requests in progress (QoSHandler): come back soon.
        response.getHeaders().put("Retry-After", RETRY_AFTER_SECONDS);
      }
      if (computeRequestId) {
        response.getHeaders().put("x-compute-request-id", id);
      }
      response.write(true, java.nio.ByteBuffer.wrap(body.bytes()), callback);
      return true;
    }
  }
}
