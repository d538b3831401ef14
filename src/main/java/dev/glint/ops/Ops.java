package dev.glint.ops;

import dev.glint.catalog.BlobStore;
import dev.glint.config.GlintConfig;
import dev.glint.http.ExchangeLog;
import dev.glint.http.TokenValidator;
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
import java.util.function.IntSupplier;
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
  private final JvmGcMetrics gc;
  // Micrometer's function meters hold their state weakly: keep it alive as long as this.
  private final TokenCounts counts;

  /**
   * What the token service counts, handed over by the wiring (ops does not know identity).
   *
   * @param keys Fernet keys loaded
   * @param validations tokens validated since start
   * @param cacheHits of which answered from the decrypted-token cache
   * @param rejections of which refused (malformed, forged, expired, revoked)
   */
  public record TokenCounts(
      IntSupplier keys, LongSupplier validations, LongSupplier cacheHits, LongSupplier rejections) {}

  private Ops(GlintConfig config, Database db, BlobStore blobs, TokenValidator tokens,
      TokenCounts counts) {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.counts = counts;
    this.requests = new RequestMetrics(registry);
    this.health = new Health(config, db, blobs, tokens, counts.keys());
    this.faults = config.ops().faultsEnabled() ? new FaultInjector(tokens) : null;
    db.meterPools(registry);
    FunctionCounter.builder("glint.token.validations", counts, t -> t.validations().getAsLong())
        .description("Tokens validated (every authenticated request, and GET /v3/auth/tokens)")
        .register(registry);
    FunctionCounter.builder("glint.token.cache.hits", counts, t -> t.cacheHits().getAsLong())
        .description("Validations answered from the decrypted-token cache (no Fernet decryption)")
        .register(registry);
    FunctionCounter.builder("glint.token.rejections", counts, t -> t.rejections().getAsLong())
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

  /**
   * @param tokens checks the admin token of the detailed health form and the fault API
   * @param counts the token service's counters, for the metrics
   */
  public static Ops create(GlintConfig config, Database db, BlobStore blobs,
      TokenValidator tokens, TokenCounts counts) {
    return new Ops(config, db, blobs, tokens, counts);
  }

  /** Exports {@code glint_catalog_generation}: the newest catalog generation this node knows. */
  public void catalogGeneration(LongSupplier generation) {
    Gauge.builder("glint.catalog.generation", generation, g -> (double) g.getAsLong())
        .description("The newest catalog generation this node knows of")
        .strongReference(true)
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
    }
    config.requestLogger.http((ctx, ms) -> requests.end(ctx, api, state, ms));
  }

  /** Where a listener's {@code HotLane} reports the requests it answers itself. */
  public ExchangeLog exchangeLog() {
    return requests::hot;
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
