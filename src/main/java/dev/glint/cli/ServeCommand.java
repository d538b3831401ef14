package dev.glint.cli;

import dev.glint.App;
import dev.glint.Server;
import dev.glint.catalog.Image;
import dev.glint.config.GlintConfig;
import dev.glint.console.ConsoleWeb;
import dev.glint.identity.IdentityService;
import dev.glint.ops.LogFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glint serve}: open the store, start the three listeners, run until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start Glint.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = "--demo",
      description = "Load a few dozen demo images into the admin and demo projects when the catalog is empty.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    Warmup.awaitLogging();
    GlintConfig config = options.load();
    if (config.ops().jsonLogs()) {
      LogFormat.json();
    }
    App app;
    try {
      app = App.open(config);
    } catch (RuntimeException e) {
      throw Failures.store(config.storeUrl(), e);
    }
    try {
      return serve(app, t0);
    } catch (RuntimeException e) {
      app.close();
      throw Failures.store(config.storeUrl(), e);
    }
  }

  private Integer serve(App app, long t0) throws InterruptedException {
    // Identity bootstrap: the projects before listening, the two accounts (bcrypt: hashing a new
    // password, checking a configured one) on their own thread once the listeners are up; password
    // logins wait for them. In external Keystone mode that Keystone has the users.
    boolean external = app.config().identitySettings().external().isPresent();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    Executor afterListening =
        task ->
            listening.thenRun(
                () -> Thread.ofPlatform().daemon().name("glint-bootstrap").start(task));
    IdentityService.PendingBootstrap bootstrap =
        external ? null : app.identity().bootstrapInBackground(afterListening);
    if (demo && external) {
      System.out.println("--demo needs Glint's own users; ignored in external Keystone mode.");
    } else if (demo && app.catalog().isEmpty()) {
      List<Image> images =
          DemoData.images(
              bootstrap.adminProjectId(), bootstrap.demoProjectId(), app.clock().instant(), 1);
      app.catalog().addAll(images);
      System.out.println("Loaded " + images.size() + " demo images.");
    }
    long t1 = System.nanoTime();
    Server server = Server.create(app);
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      GlintConfig c = app.config();
      throw Failures.bind(e, c.listenHost(), c.identity().port(), c.image().port(),
          c.compute().port());
    }
    long t2 = System.nanoTime();
    listening.complete(null);
    if (external) {
      System.out.println(
          "Identity: tokens validated by the Keystone at "
              + app.config().identitySettings().external().get().url()
              + "\nImage service: " + app.config().image().publicUrl()
              + "\nCompute API:   " + app.config().compute().publicUrl());
    } else {
      bootstrap
          .accounts()
          .whenComplete(
              (result, failure) -> {
                if (failure == null) {
                  BootstrapReport.print(result, app.config(), System.out);
                } else {
                  LoggerFactory.getLogger(ServeCommand.class)
                      .error("the identity bootstrap failed; password logins will fail", failure);
                }
              });
    }
    // Glint's own demo and admin exist only when it is its own Keystone.
    String who =
        external
            ? "log in as a user of that Keystone"
            : "log in as demo or admin, domain Default";
    ConsoleWeb.url(app.config())
        .ifPresent(url -> System.out.println("Web console: " + url + "   (" + who + ")"));
    LoggerFactory.getLogger(ServeCommand.class)
        .info(
            "Glint started in {} ms (store and bootstrap {} ms, listeners {} ms, JVM up {} ms)",
            (t2 - t0) / 1_000_000,
            (t1 - t0) / 1_000_000,
            (t2 - t1) / 1_000_000,
            java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  app.close();
                  // Last: drain the asynchronous log appender (the last requests' lines).
                  LogFormat.stop();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
