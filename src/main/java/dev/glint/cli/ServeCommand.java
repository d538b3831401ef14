package dev.glint.cli;

import dev.glint.App;
import dev.glint.http.Server;
import dev.glint.identity.BootstrapResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code glint serve}: open the store, start the three listeners, run until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start Glint.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    App app = App.open(options.load());
    // Identity bootstrap before listening: create what is missing, say where to call and as whom.
    BootstrapResult bootstrap = app.identity().bootstrap();
    Server server = Server.create(app).start();
    BootstrapReport.print(bootstrap, app.config(), System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  app.close();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }
}
