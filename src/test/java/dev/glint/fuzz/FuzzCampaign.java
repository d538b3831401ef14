package dev.glint.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.identity.TokenClaims;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends {@code n} requests of {@link HostileRequests} to a running {@link TestServer} from a few
 * threads and checks each answer: no 5xx but 503, no hang (a per-request timeout), no stack trace
 * or data path in a body. Around the run, a snapshot of what the fuzzed project must not change
 * (another project's images, members and data; the identity store) is taken and compared.
 */
final class FuzzCampaign {
  static final String FUZZ = "fuzzproject";
  static final String VICTIM = "victimproject";
  static final String BYSTANDER = "bystanderproject";
  static final int TIMEOUT_MILLIS = 20_000;

  record Result(
      long sent,
      Map<Integer, Long> statuses,
      List<String> failures,
      long failureCount,
      long hangs,
      Duration elapsed,
      String before,
      String after) {
    String summary() {
      return "fuzz: " + sent + " requests in " + elapsed.toSeconds() + " s, " + failureCount
          + " failures (" + hangs + " hangs), statuses " + statuses;
    }
  }

  private final TestServer server;
  private final HostileRequests.Targets targets;
  private final String adminToken;
  private final String victimToken;
  private final List<String> victimImages;
  private final String sharedWithFuzz;

  private FuzzCampaign(TestServer server, HostileRequests.Targets targets, String adminToken,
      String victimToken, List<String> victimImages, String sharedWithFuzz) {
    this.server = server;
    this.targets = targets;
    this.adminToken = adminToken;
    this.victimToken = victimToken;
    this.victimImages = victimImages;
    this.sharedWithFuzz = sharedWithFuzz;
  }

  /** Seeds the catalog: the victim's images in every visibility, the fuzzed project's own. */
  static FuzzCampaign prepare(TestServer server) {
    String admin = server.adminToken();
    String victim = server.tokenFor(VICTIM, "member");
    String bystander = server.tokenFor(BYSTANDER, "member");
    String fuzz = server.tokenFor(FUZZ, "member");
    String expired =
        server.app().tokens().issue(TokenClaims.user(
                "u-" + FUZZ, "user-" + FUZZ, "default", List.of("member"), List.of("password"))
                    .withProject(FUZZ, "p-" + FUZZ, "default")
                    .withExpiry(Instant.now().minusSeconds(3600))).id();

    List<String> victims = new ArrayList<>();
    String priv = create(server, victim, "{\"name\": \"victim-private\", \"disk_format\": \"raw\","
        + " \"container_format\": \"bare\", \"secret_prop\": \"s3cr3t\", \"tags\": [\"mine\"]}");
    upload(server, victim, priv, "victim private data");
    victims.add(priv);
    String community = create(server, victim, "{\"name\": \"victim-community\", \"disk_format\":"
        + " \"raw\", \"container_format\": \"bare\", \"visibility\": \"community\"}");
    upload(server, victim, community, "victim community data");
    victims.add(community);
    String shared = create(server, victim, "{\"name\": \"victim-shared\", \"disk_format\": \"raw\","
        + " \"container_format\": \"bare\", \"visibility\": \"shared\"}");
    call(server, victim, "POST", "/v2/images/" + shared + "/members", "{\"member\": \"" + BYSTANDER + "\"}");
    call(server, bystander, "PUT", "/v2/images/" + shared + "/members/" + BYSTANDER, "{\"status\": \"accepted\"}");
    victims.add(shared);
    String toFuzz = create(server, victim, "{\"name\": \"victim-shared-with-fuzz\", \"disk_format\":"
        + " \"raw\", \"container_format\": \"bare\", \"visibility\": \"shared\"}");
    call(server, victim, "POST", "/v2/images/" + toFuzz + "/members", "{\"member\": \"" + FUZZ + "\"}");
    victims.add(toFuzz);
    String deactivated = create(server, victim, "{\"name\": \"victim-deactivated\", \"disk_format\":"
        + " \"raw\", \"container_format\": \"bare\"}");
    upload(server, victim, deactivated, "victim deactivated data");
    call(server, admin, "POST", "/v2/images/" + deactivated + "/actions/deactivate", null);
    victims.add(deactivated);
    String deleted = create(server, victim, "{\"name\": \"victim-deleted\", \"disk_format\": \"raw\","
        + " \"container_format\": \"bare\"}");
    call(server, victim, "DELETE", "/v2/images/" + deleted, null);
    victims.add(deleted);
    String pub = create(server, admin, "{\"name\": \"admin-public\", \"disk_format\": \"raw\","
        + " \"container_format\": \"bare\", \"visibility\": \"public\", \"protected\": true}");
    upload(server, admin, pub, "public data");
    victims.add(pub);

    List<String> own = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = create(server, fuzz, "{\"name\": \"fuzz-" + i + "\", \"disk_format\": \"raw\","
          + " \"container_format\": \"bare\", \"visibility\": \"shared\"}");
      if (i == 0) {
        upload(server, fuzz, id, "fuzz data");
      }
      own.add(id);
    }
    List<String> users = ids(server, admin, "/v3/users", "users");
    List<String> roles = ids(server, admin, "/v3/roles", "roles");
    HostileRequests.Targets targets =
        new HostileRequests.Targets(FUZZ, VICTIM, fuzz, admin, expired, own, victims, users, roles);
    return new FuzzCampaign(server, targets, admin, victim, victims, toFuzz);
  }

  Result run(long seed, long n, int threads) throws InterruptedException {
    String before = snapshot();
    HostileRequests gen = new HostileRequests(seed, targets);
    AtomicLong next = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    AtomicLong failureCount = new AtomicLong();
    AtomicLong hangs = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    Map<String, AtomicLong> time = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    String dataDir = server.dataDir().toString();
    int identity = port(server.identityUrl());
    int image = port(server.imageUrl());
    int compute = port(server.computeUrl());
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          Thread.ofPlatform().name("fuzz-" + t).start(() -> {
            Map<HostileRequests.Listener, RawClient> clients = new TreeMap<>();
            clients.put(HostileRequests.Listener.IDENTITY, new RawClient(identity, TIMEOUT_MILLIS));
            clients.put(HostileRequests.Listener.IMAGE, new RawClient(image, TIMEOUT_MILLIS));
            clients.put(HostileRequests.Listener.COMPUTE, new RawClient(compute, TIMEOUT_MILLIS));
            try {
              for (long i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                HostileRequests.Request req = gen.request(i, identity, image, compute);
                String problem;
                long t0 = System.nanoTime();
                try {
                  RawClient.Response resp =
                      clients.get(req.listener()).exchange(req.bytes(), req.head(), req.fresh());
                  statuses.computeIfAbsent(resp.status(), k -> new AtomicLong()).incrementAndGet();
                  problem = check(resp, dataDir);
                } catch (SocketTimeoutException e) {
                  hangs.incrementAndGet();
                  problem = "no answer within " + TIMEOUT_MILLIS + " ms";
                  clients.get(req.listener()).close();
                } catch (IOException | RuntimeException e) {
                  problem = "exchange failed: " + e;
                  clients.get(req.listener()).close();
                }
                long done = sent.incrementAndGet();
                if (done % 100_000 == 0) {
                  System.out.println("fuzz progress: " + done + " requests, " + failureCount.get()
                      + " failures, " + hangs.get() + " hangs, "
                      + (System.nanoTime() - start) / 1_000_000_000L + " s");
                }
                time.computeIfAbsent(req.listener() + " " + req.method() + " " + req.route(),
                    k -> new AtomicLong()).addAndGet(System.nanoTime() - t0);
                if (problem != null) {
                  failureCount.incrementAndGet();
                  if (failures.size() < 200) {
                    failures.add("#" + i + " (seed " + seed + "): " + problem + "\n  " + req.shown(1500));
                  }
                }
              }
            } finally {
              clients.values().forEach(RawClient::close);
            }
          }));
    }
    for (Thread w : workers) {
      w.join();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    time.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
        .limit(8)
        .forEach(e -> System.out.println("fuzz time " + e.getValue().get() / 1_000_000 + " ms " + e.getKey()));
    Map<Integer, Long> counts = new TreeMap<>();
    statuses.forEach((k, v) -> counts.put(k, v.get()));
    return new Result(sent.get(), counts, List.copyOf(failures), failureCount.get(), hangs.get(),
        elapsed, before, snapshot());
  }

  /** What is wrong with an answer, or null. */
  static String check(RawClient.Response r, String dataDir) {
    if (r.status() >= 500 && r.status() != 503) {
      return "status " + r.status() + ": " + r.text();
    }
    if (r.status() == 503 && !r.headers().containsKey("retry-after")) {
      return "503 without Retry-After";
    }
    String body = r.text();
    if (body.contains(dataDir) || body.contains("\tat ") || body.contains("dev.glint.")
        || body.contains("Exception")) {
      return "body leaks internals: " + body;
    }
    return null;
  }

  /**
   * Everything the fuzzed project must not change, as the admin sees it: the other projects'
   * images (attributes, members, data), the list of the victim's images, the identity store.
   * The share offered to the fuzzed project is left out of the member lists (it may accept it).
   */
  String snapshot() {
    StringBuilder s = new StringBuilder();
    for (String id : victimImages) {
      s.append(id).append(' ').append(get("/v2/images/" + id, server.imageUrl())).append('\n');
      if (!id.equals(sharedWithFuzz)) {
        s.append(" members ").append(get("/v2/images/" + id + "/members", server.imageUrl())).append('\n');
      }
      s.append(" data ").append(dataHash(id)).append('\n');
    }
    s.append("victim list ")
        .append(get("/v2/images?owner=" + VICTIM + "&visibility=all&limit=1000", server.imageUrl()))
        .append('\n');
    s.append("metadefs ")
        .append(get("/v2/metadefs/namespaces?limit=1000", server.imageUrl()))
        .append('\n');
    for (String path : List.of("/v3/users", "/v3/projects", "/v3/roles", "/v3/role_assignments",
        "/v3/domains")) {
      s.append(path).append(' ').append(get(path, server.identityUrl())).append('\n');
    }
    return s.toString();
  }

  private String get(String path, String base) {
    HttpResponse<String> r = server.get(base + path, adminToken, "Accept", "application/json");
    return r.statusCode() + " " + r.body();
  }

  private String dataHash(String id) {
    HttpResponse<byte[]> r;
    try {
      r = server.http().send(
          HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
              .header("X-Auth-Token", adminToken).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() + " "
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
    } catch (Exception e) {
      return "error " + e;
    }
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  private static String create(TestServer server, String token, String body) {
    HttpResponse<String> r = call(server, token, "POST", "/v2/images", body);
    if (r.statusCode() != 201) {
      throw new AssertionError("create: " + r.statusCode() + " " + r.body());
    }
    return TestServer.json(r.body()).get("id").asText();
  }

  private static void upload(TestServer server, String token, String id, String data) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8))
                .build());
    if (r.statusCode() != 204) {
      throw new AssertionError("upload: " + r.statusCode() + " " + r.body());
    }
  }

  private static HttpResponse<String> call(TestServer server, String token, String method,
      String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.imageUrl() + path))
            .header("X-Auth-Token", token)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(30))
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = server.send(b.build());
    if (r.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r;
  }

  private static List<String> ids(TestServer server, String token, String path, String field) {
    JsonNode list = TestServer.json(server.get(server.identityUrl() + path, token).body()).get(field);
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.get("id").asText()));
    return out;
  }
}
