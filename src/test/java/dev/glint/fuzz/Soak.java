package dev.glint.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The soak load (issue 10, point 7): mixed reads, writes and uploads at a steady rate against a
 * running Glint, through both image APIs, as one project's member would; then a check that every
 * image whose upload or change was acknowledged is there with its checksum, size, properties
 * and tags, that each deletion that was acknowledged holds, and the node's memory before and
 * after.
 *
 * <p>Open loop: operation {@code i} starts at {@code i / rate} seconds whatever the answers'
 * latency, at most {@link #MAX_IN_FLIGHT} at once (beyond, it counts as late and is skipped). An
 * image is used by one operation at a time, so what was acknowledged last is what must be there.
 */
final class Soak {
  static final int MAX_IN_FLIGHT = 32;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATCH = "application/openstack-images-v2.1-json-patch";

  private final HttpClient http;
  private final String imageUrl;
  private final String computeUrl;
  private final String token;
  private final long seed;

  /** The images acknowledged so far, idle (no operation on them in progress). */
  private final LinkedBlockingDeque<Img> idle = new LinkedBlockingDeque<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ops = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final Map<String, AtomicLong> byOp = new ConcurrentHashMap<>();

  /** What the client was told about one image: its data and the last acknowledged changes. */
  static final class Img {
    final String id;
    final String md5;
    final String sha512;
    final long size;
    final Map<String, String> properties = new ConcurrentHashMap<>();
    final Set<String> tags = ConcurrentHashMap.newKeySet();

    Img(String id, byte[] data) {
      this.id = id;
      this.md5 = digest("MD5", data);
      this.sha512 = digest("SHA-512", data);
      this.size = data.length;
    }
  }

  record Result(
      long ops,
      long requests,
      long late,
      List<String> errors,
      int acknowledged,
      int verified,
      List<String> inconsistencies,
      int deletions,
      long rssStartKib,
      long rssEndKib,
      long rssMaxKib,
      Map<String, AtomicLong> byOp,
      Duration elapsed) {
    String summary() {
      return String.format(
          "soak: %d ops (%d requests) in %d s, %d late; %d errors; %d images acknowledged, %d"
              + " verified (checksum, size, properties, tags, data), %d inconsistent; %d"
              + " deletions hold; RSS %d MiB at start, %d MiB at end, %d MiB at most; ops %s",
          ops, requests, elapsed.toSeconds(), late, errors.size(), acknowledged, verified,
          inconsistencies.size(), deletions, rssStartKib / 1024, rssEndKib / 1024,
          rssMaxKib / 1024, new java.util.TreeMap<>(byOp));
    }
  }

  Soak(HttpClient http, String imageUrl, String computeUrl, String token, long seed) {
    this.http = http;
    this.imageUrl = imageUrl;
    this.computeUrl = computeUrl;
    this.token = token;
    this.seed = seed;
  }

  /**
   * Runs the load for {@code duration} at {@code rate} operations a second, then checks.
   *
   * @param rss the node's resident set in KiB, sampled every second
   */
  Result run(Duration duration, int rate, LongSupplier rss) throws InterruptedException {
    // The resident set "at start" is taken after a warm-up (a tenth of the run, 3 s at least):
    // the first requests load classes and compile code once.
    long rssStart = -1;
    AtomicLong rssMax = new AtomicLong(rss.getAsLong());
    long warmUp = Math.max(3_000_000_000L, duration.toNanos() / 10);
    Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long periodNanos = 1_000_000_000L / rate;
    long nextSample = start;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; ; i++) {
        long due = start + i * periodNanos;
        if (due >= end) {
          break;
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (System.nanoTime() >= nextSample) {
          long now = rss.getAsLong();
          rssMax.accumulateAndGet(now, Math::max);
          if (rssStart < 0 && System.nanoTime() - start >= warmUp) {
            rssStart = now;
          }
          nextSample += 1_000_000_000L;
        }
        if (!slots.tryAcquire()) {
          late.incrementAndGet();
          continue;
        }
        long index = i;
        pool.submit(
            () -> {
              try {
                operation(new Random(seed * 1_000_003L + index));
              } finally {
                slots.release();
              }
            });
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (rssStart < 0) {
      rssStart = rss.getAsLong(); // a run shorter than its warm-up
    }
    List<String> inconsistencies = new ArrayList<>();
    int verified = 0;
    List<Img> acknowledged = new ArrayList<>(idle);
    for (Img img : acknowledged) {
      String problem = check(img);
      if (problem == null) {
        verified++;
      } else {
        inconsistencies.add(img.id + ": " + problem);
      }
    }
    for (String id : deleted) {
      HttpResponse<byte[]> r = send("GET", imageUrl + "/v2/images/" + id, null, null);
      if (r == null || r.statusCode() != 404) {
        inconsistencies.add(id + ": deleted, yet GET answers " + (r == null ? "nothing" : r.statusCode()));
      }
    }
    long rssEnd = rss.getAsLong();
    rssMax.accumulateAndGet(rssEnd, Math::max);
    return new Result(
        ops.get(), requests.get(), late.get(), List.copyOf(errors), acknowledged.size(), verified,
        inconsistencies, deleted.size(), rssStart, rssEnd, rssMax.get(), byOp, elapsed);
  }

  /** One operation, chosen by weight: half reads, three tenths writes, one fifth uploads. */
  private void operation(Random random) {
    int roll = random.nextInt(100);
    String name =
        roll < 10 ? "glance-list"
            : roll < 20 ? "nova-detail"
            : roll < 30 ? "glance-show"
            : roll < 35 ? "nova-show"
            : roll < 45 ? "download"
            : roll < 50 ? "nova-metadata"
            : roll < 60 ? "glance-patch"
            : roll < 65 ? "nova-metadata-set"
            : roll < 70 ? "tag"
            : roll < 75 ? "create-delete"
            : roll < 80 ? "delete"
            : "upload";
    ops.incrementAndGet();
    byOp.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    switch (name) {
      case "glance-list" -> expect(name, get(imageUrl + "/v2/images?limit=20"), 200);
      case "nova-detail" -> expect(name, get(computeUrl + "/v2.1/images/detail?limit=20"), 200);
      case "upload" -> upload(random);
      case "create-delete" -> {
        String id = create(name, random);
        if (id != null
            && expect(name, send("DELETE", imageUrl + "/v2/images/" + id, null, null), 204)) {
          deleted.add(id);
        }
      }
      default -> onImage(name, random);
    }
  }

  /** An operation on one acknowledged image, which no other operation uses meanwhile. */
  private void onImage(String name, Random random) {
    Img img = idle.pollFirst();
    if (img == null) {
      expect(name + "(no image yet: list)", get(imageUrl + "/v2/images?limit=5"), 200);
      return;
    }
    boolean keep = true;
    try {
      switch (name) {
        case "glance-show" -> expect(name, get(imageUrl + "/v2/images/" + img.id), 200);
        case "nova-show" -> expect(name, get(computeUrl + "/v2.1/images/" + img.id), 200);
        case "nova-metadata" ->
            expect(name, get(computeUrl + "/v2.1/images/" + img.id + "/metadata"), 200);
        case "download" -> {
          HttpResponse<byte[]> r = get(imageUrl + "/v2/images/" + img.id + "/file");
          if (expect(name, r, 200) && !digest("MD5", r.body()).equals(img.md5)) {
            errors.add(name + " " + img.id + ": data differs from what was uploaded");
          }
        }
        case "glance-patch" -> {
          String value = "v" + random.nextInt(1_000_000);
          if (expect(name,
              send("PATCH", imageUrl + "/v2/images/" + img.id,
                  "[{\"op\": \"add\", \"path\": \"/soak_p\", \"value\": \"" + value + "\"}]",
                  PATCH),
              200)) {
            img.properties.put("soak_p", value);
          }
        }
        case "nova-metadata-set" -> {
          String value = "m" + random.nextInt(1_000_000);
          if (expect(name,
              send("PUT", computeUrl + "/v2.1/images/" + img.id + "/metadata/soak_m",
                  "{\"meta\": {\"soak_m\": \"" + value + "\"}}", "application/json"),
              200)) {
            img.properties.put("soak_m", value);
          }
        }
        case "tag" -> {
          String tag = "t" + random.nextInt(5);
          if (expect(name,
              send("PUT", imageUrl + "/v2/images/" + img.id + "/tags/" + tag, null, null), 204)) {
            img.tags.add(tag);
          }
        }
        case "delete" -> {
          if (expect(name, send("DELETE", imageUrl + "/v2/images/" + img.id, null, null), 204)) {
            deleted.add(img.id);
            keep = false;
          }
        }
        default -> throw new IllegalStateException(name);
      }
    } finally {
      if (keep) {
        idle.offerLast(img);
      }
    }
  }

  private void upload(Random random) {
    String id = create("upload", random);
    if (id == null) {
      return;
    }
    byte[] data = new byte[1 + random.nextInt(64 * 1024)];
    random.nextBytes(data);
    if (expect("upload",
        send("PUT", imageUrl + "/v2/images/" + id + "/file", data, "application/octet-stream"),
        204)) {
      idle.offerLast(new Img(id, data));
    }
  }

  private String create(String op, Random random) {
    HttpResponse<byte[]> r =
        send("POST", imageUrl + "/v2/images",
            "{\"name\": \"soak-" + random.nextInt(1_000_000) + "\", \"disk_format\": \"raw\","
                + " \"container_format\": \"bare\"}",
            "application/json");
    if (!expect(op + " (create)", r, 201)) {
      return null;
    }
    return json(r.body()).get("id").asText();
  }

  /** Null when the image is there as acknowledged; else what differs. */
  private String check(Img img) {
    HttpResponse<byte[]> r = get(imageUrl + "/v2/images/" + img.id);
    if (r == null || r.statusCode() != 200) {
      return "missing: GET answers " + (r == null ? "nothing" : r.statusCode());
    }
    JsonNode image = json(r.body());
    if (!"active".equals(image.path("status").asText())) {
      return "status " + image.path("status").asText();
    }
    if (!img.md5.equals(image.path("checksum").asText())
        || !img.sha512.equals(image.path("os_hash_value").asText())
        || image.path("size").asLong() != img.size) {
      return "checksum or size differ: " + image.path("checksum") + " " + image.path("size");
    }
    for (Map.Entry<String, String> p : img.properties.entrySet()) {
      if (!p.getValue().equals(image.path(p.getKey()).asText())) {
        return p.getKey() + " is " + image.path(p.getKey()) + ", acknowledged " + p.getValue();
      }
    }
    for (String tag : img.tags) {
      boolean found = false;
      for (JsonNode t : image.path("tags")) {
        found |= t.asText().equals(tag);
      }
      if (!found) {
        return "tag " + tag + " acknowledged, not there";
      }
    }
    HttpResponse<byte[]> data = get(imageUrl + "/v2/images/" + img.id + "/file");
    if (data == null || data.statusCode() != 200 || !digest("MD5", data.body()).equals(img.md5)) {
      return "data differs from what was uploaded";
    }
    return null;
  }

  private boolean expect(String op, HttpResponse<byte[]> r, int status) {
    if (r == null) {
      return false; // the exception is already an error
    }
    if (r.statusCode() != status) {
      String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
      errors.add(op + ": " + r.request().method() + " " + r.uri() + " answered " + r.statusCode()
          + " (expected " + status + "): " + body.substring(0, Math.min(300, body.length())));
      return false;
    }
    return true;
  }

  private HttpResponse<byte[]> get(String url) {
    return send("GET", url, null, null);
  }

  private HttpResponse<byte[]> send(String method, String url, Object body, String type) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("X-Auth-Token", token);
    if (type != null) {
      b.header("Content-Type", type);
    }
    HttpRequest.BodyPublisher publisher =
        switch (body) {
          case null -> HttpRequest.BodyPublishers.noBody();
          case byte[] bytes -> HttpRequest.BodyPublishers.ofByteArray(bytes);
          default -> HttpRequest.BodyPublishers.ofString(body.toString());
        };
    requests.incrementAndGet();
    try {
      return http.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      errors.add(method + " " + url + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(method + " " + url + ": interrupted");
      return null;
    }
  }

  private static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + new String(body), e);
    }
  }

  static String digest(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
