package dev.glint.testing;

import dev.glint.App;
import dev.glint.config.ConfigLoader;
import dev.glint.http.Server;
import dev.glint.identity.Caller;
import dev.glint.identity.TokenService;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Glint, started on free loopback ports over a temporary data dir (SQLite unless the
 * overrides say otherwise), for tests that call it over HTTP.
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final boolean ownsDir;
  private final App app;
  private final Server server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path dataDir, boolean ownsDir, App app, Server server) {
    this.dataDir = dataDir;
    this.ownsDir = ownsDir;
    this.app = app;
    this.server = server;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts with configuration keys (as in glint.yaml, dotted) overriding the test defaults. */
  public static TestServer start(Map<String, String> overrides) {
    try {
      boolean ownsDir = !overrides.containsKey("data.dir");
      Path dir =
          ownsDir ? Files.createTempDirectory("glint-test") : Path.of(overrides.get("data.dir"));
      // A port found free can be taken before Jetty binds it (tests of other worktrees share the
      // machine): try again with fresh ports.
      for (int attempt = 1; ; attempt++) {
        Map<String, String> values = new HashMap<>();
        values.put("data.dir", dir.toString());
        values.put("identity.port", Integer.toString(freePort()));
        values.put("image.port", Integer.toString(freePort()));
        values.put("compute.port", Integer.toString(freePort()));
        values.put("admin.password", "admin-secret");
        values.put("demo.password", "demo-secret");
        values.putAll(overrides);
        ConfigLoader loader = ConfigLoader.defaults();
        values.forEach(loader::set);
        App app = App.open(loader.build());
        Server server = Server.create(app);
        try {
          server.start();
          return new TestServer(dir, ownsDir, app, server);
        } catch (JavalinBindException e) {
          server.close();
          app.close();
          if (attempt == 5 || overrides.keySet().stream().anyMatch(k -> k.endsWith(".port"))) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public App app() {
    return app;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String identityUrl() {
    return app.config().identity().publicUrl();
  }

  public String computeUrl() {
    return app.config().compute().publicUrl();
  }

  public String imageUrl() {
    return app.config().image().publicUrl();
  }

  /** A real Fernet token for a caller in {@code project} with the given roles. */
  public String tokenFor(String project, String... roles) {
    TokenService.Issued issued =
        app.tokens()
            .issue("u-" + project, "user-" + project, "default", project, "p-" + project,
                "default", List.of(roles), List.of("password"), null);
    return issued.id();
  }

  public Caller callerFor(String project, String... roles) {
    return app.tokens().validate(tokenFor(project, roles)).orElseThrow();
  }

  /** GET with a token and extra headers (name, value pairs). */
  public HttpResponse<String> get(String url, String token, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("X-Auth-Token", token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    server.close();
    app.close();
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
