package dev.glint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.App;
import dev.glint.Server;
import dev.glint.catalog.CatalogScope;
import dev.glint.config.ConfigLoader;
import dev.glint.http.ExchangeListener;
import dev.glint.identity.TokenClaims;
import dev.glint.identity.TokenService;
import dev.glint.openapi.ExchangeRecorder;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real Glint, started on free loopback ports over a temporary data dir (SQLite unless the
 * overrides say otherwise), for tests that call it over HTTP. The identity bootstrap has run:
 * users admin and demo exist with {@link #ADMIN_PASSWORD} and {@link #DEMO_PASSWORD} unless the
 * overrides set {@code admin.password}/{@code demo.password} (empty: generated).
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-secret";
  public static final String DEMO_PASSWORD = "demo-secret";

  static {
    SecretsSeen.add(ADMIN_PASSWORD);
    SecretsSeen.add(DEMO_PASSWORD);
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dataDir;
  private final boolean ownsDir;
  private final boolean ownsSchema;
  private final App app;
  private final Server server;
  private final HttpClient http;

  private TestServer(Path dataDir, boolean ownsDir, boolean ownsSchema, App app, Server server) {
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    // With the built-in TLS listener, trust the server's own (test) certificate.
    app.config().tls().ifPresent(tls -> client.sslContext(SelfSignedCert.trusting(tls.cert())));
    this.http = client.build();
    this.dataDir = dataDir;
    this.ownsDir = ownsDir;
    this.ownsSchema = ownsSchema;
    this.app = app;
    this.server = server;
  }

  public static TestServer start() {
    return start(Map.of());
  }

  /** Starts with configuration keys (as in glint.yaml, dotted) overriding the test defaults. */
  public static TestServer start(Map<String, String> overrides) {
    return start(overrides, true);
  }

  /**
   * As {@link #start()}, but its responses are not checked against the OpenAPI description: for
   * the hostile-input tests, whose requests are malformed on purpose (NUL bytes, odd methods,
   * bodies where none belongs). They hold their own invariants instead: no 5xx, no hang, nothing
   * changed. The description states what each call answers to well-formed requests.
   */
  public static TestServer startUnrecorded() {
    return start(Map.of(), false);
  }

  private static TestServer start(Map<String, String> overrides, boolean record) {
    try {
      boolean ownsDir = !overrides.containsKey("data.dir");
      Path dir =
          ownsDir ? Files.createTempDirectory("glint-test") : Path.of(overrides.get("data.dir"));
      // On the PostgreSQL run each server gets its own schema, or, when the test passes a data
      // dir for several servers in turn, the one schema that goes with that dir.
      boolean pgSchema = TestStores.postgres() && !overrides.containsKey("store.url");
      boolean ownsSchema = pgSchema && ownsDir;
      String schemaUrl =
          !pgSchema ? null : ownsDir ? TestStores.newPostgresSchema() : TestStores.schemaFor(dir);
      // A port found free can be taken by another process before we bind it (engineers and CI
      // run suites in parallel): pick new ports and try again.
      for (int attempt = 1; ; attempt++) {
        Map<String, String> values = new HashMap<>();
        values.put("data.dir", dir.toString());
        values.put("identity.port", Integer.toString(freePort()));
        values.put("image.port", Integer.toString(freePort()));
        values.put("compute.port", Integer.toString(freePort()));
        values.put("admin.password", ADMIN_PASSWORD);
        values.put("demo.password", DEMO_PASSWORD);
        if (schemaUrl != null) {
          values.put("store.url", schemaUrl);
        }
        if (schemaUrl != null
            || overrides.getOrDefault("store.url", "").startsWith("jdbc:postgresql:")) {
          // One test server, or several on one data dir: the file store is shared by them.
          values.put("blob.file.shared", "true");
        }
        values.putAll(overrides);
        ConfigLoader loader = ConfigLoader.defaults();
        values.forEach(loader::set);
        App app = App.open(loader.build());
        Server server = null;
        try {
          if (app.config().identitySettings().external().isEmpty()) {
            app.identity().bootstrap();
          }
          // Hostile-input servers see made-up tokens and bodies cut short: nothing to harvest
          // (their real tokens come from the helpers above, which register them).
          server =
              Server.create(app, record ? harvesting(ExchangeRecorder.listener()) : null);
          server.start();
          return new TestServer(dir, ownsDir, ownsSchema, app, server);
        } catch (JavalinBindException e) {
          server.close();
          app.close();
          if (attempt == 5 || overrides.keySet().stream().anyMatch(k -> k.endsWith(".port"))) {
            throw e;
          }
        } catch (RuntimeException e) {
          app.close();
          throw e;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every exchange's tokens and passwords go to {@link SecretsSeen} (for the log-leak check),
   * then to {@code recorder}, if any.
   */
  private static ExchangeListener harvesting(ExchangeListener recorder) {
    return (listener, ctx) -> {
      try {
        SecretsSeen.fromExchange(listener, ctx);
      } catch (RuntimeException unreadable) {
        // a body the client cut short: nothing to learn from it
      }
      if (recorder != null) {
        recorder.exchange(listener, ctx);
      }
    };
  }

  /**
   * A port free now, for a server whose port must be known before it starts (a child process, a
   * configured URL). It lies below the ephemeral range (32768-60999): a port the kernel handed out
   * for an ephemeral bind could be taken by a client's own socket between this check and the
   * server's bind (seen once in CI: a node of {@code HostileClientsTest} found its port in use).
   */
  public static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException taken) {
        last = taken;
      }
    }
    throw new IOException("no free port in 20000-31999", last);
  }

  public App app() {
    return app;
  }

  public Server server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Where the identity listener is (or would be, in external Keystone mode), whatever public URL
   * links name; the same for the others.
   */
  public String identityUrl() {
    return listener(app.config().identity());
  }

  public String computeUrl() {
    return listener(app.config().compute());
  }

  public String imageUrl() {
    return listener(app.config().image());
  }

  private String listener(dev.glint.config.GlintConfig.Listener l) {
    String scheme = app.config().tls().isPresent() ? "https" : "http";
    return scheme + "://" + app.config().listenHost() + ":" + l.port();
  }

  /**
   * A project-scoped token from {@code POST /v3/auth/tokens} for a user of the default domain, by
   * names; fails the test unless the server answers 201.
   */
  public String token(String user, String password, String project) {
    String body =
        """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": %s,
          "domain": {"name": "Default"}, "password": %s}}},
          "scope": {"project": {"name": %s, "domain": {"name": "Default"}}}}}"""
            .formatted(quote(user), quote(password), quote(project));
    HttpResponse<String> r = post(identityUrl() + "/v3/auth/tokens?nocatalog", body);
    if (r.statusCode() != 201) {
      throw new AssertionError("token for " + user + ": " + r.statusCode() + " " + r.body());
    }
    return r.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  /** A token of the bootstrap admin on project admin. */
  public String adminToken() {
    return token("admin", ADMIN_PASSWORD, "admin");
  }

  /** A token of the bootstrap demo user on project demo. */
  public String demoToken() {
    return token("demo", DEMO_PASSWORD, "demo");
  }

  /** POST a JSON body. */
  public HttpResponse<String> post(String url, String json) {
    SecretsSeen.fromJson(json);
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A real Fernet token for a caller in {@code project} with the given roles. */
  public String tokenFor(String project, String... roles) {
    TokenService.Issued issued =
        app.tokens()
            .issue(TokenClaims.user(
                    "u-" + project, "user-" + project, "default", List.of(roles), List.of("password"))
                        .withProject(project, "p-" + project, "default"));
    SecretsSeen.add(issued.id());
    return issued.id();
  }

  /** The catalog scope of a real token for {@code project} with the given roles. */
  public CatalogScope callerFor(String project, String... roles) {
    var p = app.tokens().principal(tokenFor(project, roles)).orElseThrow();
    return new CatalogScope(p.projectId(), p.roles(), p.isAdmin());
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
      request.headers().allValues("X-Auth-Token").forEach(SecretsSeen::add);
      request.headers().allValues("X-Subject-Token").forEach(SecretsSeen::add);
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      SecretsSeen.fromResponse(response);
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * How many requests a listener's hot lane has answered ({@code glint_http_hot_answers_total}),
   * read from {@code /metrics}: whether a request took the lane or the pipeline.
   *
   * @param api compute or image
   */
  public double hotAnswers(String api) {
    Matcher m =
        Pattern.compile(
                "glint_http_hot_answers_total\\{api=\"" + api + "\"[^}]*} ([0-9.]+)")
            .matcher(get(computeUrl() + "/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * A response's header fields but those that differ from one request to the next (the date and
   * the request ids), for comparing two answers to the same request.
   */
  public static Map<String, List<String>> stableFields(HttpResponse<?> r) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers().map().forEach((k, v) -> {
      if (!k.equalsIgnoreCase("date") && !k.toLowerCase(Locale.ROOT).endsWith("request-id")) {
        out.put(k, v);
      }
    });
    return out;
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    server.close();
    app.close();
    if (ownsSchema) {
      TestStores.dropSchema(app.config().storeUrl());
    }
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
