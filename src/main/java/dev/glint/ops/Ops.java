package dev.glint.ops;

import dev.glint.catalog.BlobStore;
import dev.glint.config.GlintConfig;
import dev.glint.identity.TokenService;
import dev.glint.store.Database;
import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What an operator runs Glint with, beside the three APIs: Prometheus metrics ({@code GET
 * /metrics}), oslo-style health ({@code /healthcheck}), the access log (text or JSON, with the
 * request's ids and caller) and, when {@code faults.enabled}, fault injection ({@code
 * /glint/faults}). One per running server; {@link #install} hooks it into each listener.
 */
public final class Ops implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final RequestMetrics requests;
  private final Health health;
  private final FaultInjector faults;
  private final TokenService tokens;
  private final JvmGcMetrics gc;

  private Ops(GlintConfig config, Database db, BlobStore blobs, TokenService tokens) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.tokens = tokens;
    this.requests = new RequestMetrics(registry);
    this.health = new Health(config, db, blobs, tokens);
    this.faults = config.ops().faultsEnabled() ? new FaultInjector(tokens) : null;
    db.meterPools(registry);
    FunctionCounter.builder("glint.token.validations", tokens, t -> t.stats().validations())
        .description("Tokens validated (every authenticated request, and GET /v3/auth/tokens)")
        .register(registry);
    FunctionCounter.builder("glint.token.cache.hits", tokens, t -> t.stats().cacheHits())
        .description("Validations answered from the decrypted-token cache (no Fernet decryption)")
        .register(registry);
    FunctionCounter.builder("glint.token.rejections", tokens, t -> t.stats().rejections())
        .description("Validations that failed: malformed, forged, expired or revoked tokens")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public static Ops create(GlintConfig config, Database db, BlobStore blobs, TokenService tokens) {
    return new Ops(config, db, blobs, tokens);
  }

  /**
   * HOOK for the catalog generation (issue 12, item 1): once the store keeps a catalog generation
   * (the unit-of-work change), the wiring passes its current value here and {@code
   * glint_catalog_generation} is exported. Until then the gauge is absent rather than a made-up 0.
   */
  public void catalogGeneration(LongSupplier generation) {
    Gauge.builder("glint.catalog.generation", generation, g -> (double) g.getAsLong())
        .description("The newest catalog generation this node knows of")
        .register(registry);
  }

  /**
   * HOOK for the in-memory read model (catalog index): once it exists, the wiring passes whether it
   * is warm, and readiness reports it. Until then readiness says "not built" and ignores it.
   */
  public void catalogIndex(Supplier<Boolean> warm) {
    health.catalogIndex(warm);
  }

  /**
   * Hooks this into one listener; call it after the request id is assigned and before the API's
   * routes are added, so that the ops paths answer before the API's auth filter runs.
   *
   * @param api the listener's name: identity, image or compute (the {@code api} label)
   */
  public void install(JavalinConfig config, String api) {
    JavalinState state = config.unsafe;
    config.routes.before(ctx -> requests.begin(ctx, api, state));
    config.routes.before(Health.PATH, ctx -> answer(ctx, () -> health.handle(ctx)));
    config.routes.before(RequestMetrics.PATH, ctx -> answer(ctx, () -> scrape(ctx)));
    config.routes.beforeMatched(requests::caller);
    if (faults != null) {
      config.routes.before(FaultInjector.PATH, ctx -> answer(ctx, () -> faults.handle(ctx)));
      config.routes.before(
          FaultInjector.PATH + "/{id}", ctx -> answer(ctx, () -> faults.handle(ctx)));
      config.routes.beforeMatched(ctx -> faults.apply(ctx, api, requests.route(ctx, state)));
      config.routes.after(faults::damageBody);
    }
    config.requestLogger.http((ctx, ms) -> requests.end(ctx, api, state, ms));
  }

  /** An ops path answered here: the API's own filters and routes do not run. */
  private static void answer(Context ctx, ThrowingRunnable work) throws Exception {
    ctx.attribute(RequestMetrics.ROUTE_ATTRIBUTE, ctx.path().startsWith(FaultInjector.PATH + "/")
        ? FaultInjector.PATH + "/{id}" : ctx.path());
    ctx.skipRemainingHandlers();
    work.run();
  }

  private void scrape(Context ctx) {
    ctx.status(200);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(registry.scrape());
  }

  /** The registry, for tests and for more meters. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  TokenService tokens() {
    return tokens;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
