package dev.glint.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Json;
import dev.glint.http.Principal;
import dev.glint.http.TokenValidator;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for client testing, as Mimic's behaviours: an admin registers rules at {@code
 * /glint/faults} (on any listener); a request that matches a rule gets the rule's effect instead
 * of (or on top of) its normal answer. Rules live in memory only and are gone after a restart.
 * The API exists only when {@code faults.enabled=true}. See docs/operations.md.
 */
final class FaultInjector {
  static final String PATH = "/glint/faults";
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);
  private static final Duration DEFAULT_TTL = Duration.ofHours(1);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> LISTENERS = List.of("identity", "image", "compute");
  private static final List<String> MATCH_KEYS =
      List.of("listener", "method", "route", "project", "query");
  private static final List<String> EFFECT_KEYS =
      List.of("status", "delay_ms", "reset", "truncate_bytes");
  private static final List<String> RULE_KEYS =
      List.of("match", "effect", "count", "probability", "ttl_seconds");

  private final TokenValidator tokens;
  private final Map<String, Rule> rules = new ConcurrentHashMap<>();

  FaultInjector(TokenValidator tokens) {
    this.tokens = tokens;
  }

  /** What a rule does to a matching request. At most one of status, reset and truncate. */
  record Effect(Integer status, long delayMs, boolean reset, Integer truncateBytes) {}

  /** A rule; {@code remaining} is -1 for unlimited. */
  static final class Rule {
    final String id;
    final String listener;
    final String method;
    final String route;
    final String project;
    final Map<String, String> query;
    final Effect effect;
    final double probability;
    final Instant expiresAt;
    final Instant createdAt;
    long remaining;
    long hits;

    Rule(String id, String listener, String method, String route, String project,
        Map<String, String> query, Effect effect, long count, double probability,
        Instant createdAt, Instant expiresAt) {
      this.id = id;
      this.listener = listener;
      this.method = method;
      this.route = route;
      this.project = project;
      this.query = query;
      this.effect = effect;
      this.remaining = count;
      this.probability = probability;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }

    boolean matches(Context ctx, String api, String routeTemplate) {
      if (listener != null && !listener.equals(api)) {
        return false;
      }
      if (method != null && !method.equals(ctx.method().name())) {
        return false;
      }
      if (route != null && !route.equals(routeTemplate)) {
        return false;
      }
      if (project != null) {
        Principal caller = RequestMetrics.principal(ctx);
        if (caller == null || !project.equals(caller.projectId())) {
          return false;
        }
      }
      for (Map.Entry<String, String> q : query.entrySet()) {
        if (!q.getValue().equals(ctx.queryParam(q.getKey()))) {
          return false;
        }
      }
      return true;
    }

    /** Takes one firing if the rule has one left and the dice agree. */
    synchronized boolean fire() {
      if (remaining == 0) {
        return false;
      }
      if (probability < 1 && ThreadLocalRandom.current().nextDouble() >= probability) {
        return false;
      }
      if (remaining > 0) {
        remaining--;
      }
      hits++;
      return true;
    }

    synchronized ObjectNode view() {
      ObjectNode o = NODES.objectNode();
      o.put("id", id);
      ObjectNode m = o.putObject("match");
      putIf(m, "listener", listener);
      putIf(m, "method", method);
      putIf(m, "route", route);
      putIf(m, "project", project);
      if (!query.isEmpty()) {
        ObjectNode q = m.putObject("query");
        query.forEach(q::put);
      }
      ObjectNode e = o.putObject("effect");
      if (effect.status() != null) {
        e.put("status", effect.status());
      }
      if (effect.delayMs() > 0) {
        e.put("delay_ms", effect.delayMs());
      }
      if (effect.reset()) {
        e.put("reset", true);
      }
      if (effect.truncateBytes() != null) {
        e.put("truncate_bytes", effect.truncateBytes());
      }
      if (remaining < 0) {
        o.putNull("remaining");
      } else {
        o.put("remaining", remaining);
      }
      o.put("probability", probability);
      o.put("hits", hits);
      o.put("created_at", createdAt.toString());
      o.put("expires_at", expiresAt.toString());
      return o;
    }

    private static void putIf(ObjectNode o, String key, String value) {
      if (value != null) {
        o.put(key, value);
      }
    }
  }

  // ---- the admin API ----

  void handle(Context ctx) throws IOException {
    requireAdmin(ctx);
    String rest = ctx.path().substring(PATH.length());
    String id = rest.startsWith("/") ? rest.substring(1) : null;
    if (id != null && (id.isEmpty() || id.contains("/"))) {
      throw ApiException.notFound("The resource could not be found.");
    }
    HandlerType m = ctx.method();
    if (id == null && m == HandlerType.GET) {
      purge();
      ObjectNode body = NODES.objectNode();
      ArrayNode list = body.putArray("faults");
      rules.values().stream()
          .sorted((a, b) -> a.createdAt.compareTo(b.createdAt))
          .forEach(r -> list.add(r.view()));
      send(ctx, 200, body);
    } else if (id == null && m == HandlerType.POST) {
      Rule rule = parse(ctx.body());
      rules.put(rule.id, rule);
      LOG.info("fault rule {} added: {}", rule.id, rule.view());
      ObjectNode body = NODES.objectNode();
      body.set("fault", rule.view());
      ctx.header("Location", PATH + "/" + rule.id);
      send(ctx, 201, body);
    } else if (id == null && m == HandlerType.DELETE) {
      rules.clear();
      ctx.status(204);
    } else if (id != null && m == HandlerType.GET) {
      purge();
      Rule rule = rules.get(id);
      if (rule == null) {
        throw ApiException.notFound("No fault rule " + id + ".");
      }
      ObjectNode body = NODES.objectNode();
      body.set("fault", rule.view());
      send(ctx, 200, body);
    } else if (id != null && m == HandlerType.DELETE) {
      if (rules.remove(id) == null) {
        throw ApiException.notFound("No fault rule " + id + ".");
      }
      ctx.status(204);
    } else {
      throw new io.javalin.http.HttpResponseException(
          405, "Method Not Allowed", Map.of("availableMethods", id == null ? "GET, POST, DELETE"
              : "GET, DELETE"));
    }
  }

  private void requireAdmin(Context ctx) {
    String token = ctx.header("X-Auth-Token");
    Principal caller =
        tokens.principal(token).orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED,
            "The request you have made requires authentication."));
    if (!caller.isAdmin()) {
      throw ApiException.forbidden("Fault injection is for admins only.");
    }
  }

  private static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(Json.bytes(body));
  }

  private void purge() {
    Instant now = Instant.now();
    rules.values().removeIf(r -> r.expiresAt.isBefore(now) || r.remaining == 0);
  }

  static Rule parse(String text) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw ApiException.badRequest("Malformed request body");
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("A fault rule is a JSON object with match and effect.");
    }
    onlyKeys(root, RULE_KEYS, "rule");
    JsonNode match = root.path("match");
    if (!match.isMissingNode() && !match.isObject()) {
      throw ApiException.badRequest("match must be an object");
    }
    onlyKeys(match, MATCH_KEYS, "match");
    String listener = text(match, "listener");
    if (listener != null && !LISTENERS.contains(listener)) {
      throw ApiException.badRequest("match.listener must be one of " + LISTENERS);
    }
    String method = text(match, "method");
    if (method != null) {
      method = method.toUpperCase(Locale.ROOT);
    }
    String route = text(match, "route");
    if (route != null && !route.startsWith("/")) {
      throw ApiException.badRequest(
          "match.route is a route template such as /v2/images/{image_id}");
    }
    Map<String, String> query = new LinkedHashMap<>();
    JsonNode q = match.path("query");
    if (!q.isMissingNode()) {
      if (!q.isObject()) {
        throw ApiException.badRequest("match.query must be an object of parameter: value");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw ApiException.badRequest("match.query." + e.getKey() + " must be a string");
        }
        query.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode effect = root.path("effect");
    if (!effect.isObject()) {
      throw ApiException.badRequest(
          "effect is required: {\"status\": 503}, {\"delay_ms\": 500}, {\"reset\": true} or"
              + " {\"truncate_bytes\": 10}");
    }
    onlyKeys(effect, EFFECT_KEYS, "effect");
    Integer status = null;
    if (effect.has("status")) {
      int s = integer(effect, "status", 400, 599);
      if (statusCode(s).isEmpty()) {
        throw ApiException.badRequest(
            "effect.status must be one of 400, 401, 403, 404, 409, 413, 500, 503");
      }
      status = s;
    }
    long delay = effect.has("delay_ms") ? integer(effect, "delay_ms", 0, 600_000) : 0;
    boolean reset = effect.path("reset").asBoolean(false);
    Integer truncate =
        effect.has("truncate_bytes") ? integer(effect, "truncate_bytes", 0, Integer.MAX_VALUE)
            : null;
    int kinds = (status != null ? 1 : 0) + (reset ? 1 : 0) + (truncate != null ? 1 : 0);
    if (kinds > 1) {
      throw ApiException.badRequest("effect takes one of status, reset and truncate_bytes");
    }
    if (kinds == 0 && delay == 0) {
      throw ApiException.badRequest("effect does nothing: give status, delay_ms, reset or"
          + " truncate_bytes");
    }
    long count = root.has("count") && !root.get("count").isNull()
        ? integer(root, "count", 1, Integer.MAX_VALUE) : -1;
    double probability = 1;
    if (root.has("probability")) {
      JsonNode p = root.get("probability");
      if (!p.isNumber() || p.asDouble() <= 0 || p.asDouble() > 1) {
        throw ApiException.badRequest("probability must be a number in (0, 1]");
      }
      probability = p.asDouble();
    }
    Duration ttl = root.has("ttl_seconds")
        ? Duration.ofSeconds(integer(root, "ttl_seconds", 1, 7 * 24 * 3600)) : DEFAULT_TTL;
    Instant now = Instant.now();
    return new Rule(UUID.randomUUID().toString(), listener, method, route,
        text(match, "project"), query, new Effect(status, delay, reset, truncate), count,
        probability, now, now.plus(ttl));
  }

  private static void onlyKeys(JsonNode node, List<String> known, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw ApiException.badRequest("unknown key '" + k + "' in " + what + "; known: " + known);
      }
    }
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw ApiException.badRequest(key + " must be a non-empty string");
    }
    return v.asText();
  }

  private static int integer(JsonNode node, String key, long min, long max) {
    JsonNode v = node.get(key);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()
        || v.asLong() < min || v.asLong() > max) {
      throw ApiException.badRequest(key + " must be an integer in " + min + ".." + max);
    }
    return (int) v.asLong();
  }

  static Optional<ErrorCode> statusCode(int status) {
    return switch (status) {
      case 400 -> Optional.of(ErrorCode.BAD_REQUEST);
      case 401 -> Optional.of(ErrorCode.UNAUTHORIZED);
      case 403 -> Optional.of(ErrorCode.FORBIDDEN);
      case 404 -> Optional.of(ErrorCode.NOT_FOUND);
      case 409 -> Optional.of(ErrorCode.CONFLICT);
      case 413 -> Optional.of(ErrorCode.OVER_LIMIT);
      case 500 -> Optional.of(ErrorCode.INTERNAL);
      case 503 -> Optional.of(ErrorCode.UNAVAILABLE);
      default -> Optional.empty();
    };
  }

  // ---- applying rules to API requests ----

  /** Before the route's handler: the first live rule that matches and fires decides. */
  void apply(Context ctx, String api, String route) throws InterruptedException {
    if (rules.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    for (Rule rule : rules.values()) {
      if (rule.expiresAt.isBefore(now)) {
        rules.remove(rule.id);
        continue;
      }
      if (!rule.matches(ctx, api, route) || !rule.fire()) {
        continue;
      }
      Effect e = rule.effect;
      LOG.info("fault rule {} fired on {} {} ({})", rule.id, ctx.method(), route, api);
      if (e.delayMs() > 0) {
        Thread.sleep(e.delayMs());
      }
      if (e.status() != null) {
        throw new ApiException(statusCode(e.status()).orElseThrow(),
            "Injected fault (rule " + rule.id + ").");
      }
      if (e.reset() || e.truncateBytes() != null) {
        damage(ctx, e);
      }
      return;
    }
  }

  /**
   * Cuts the response body on its way to the socket, streamed (image data) or not: the headers
   * (with the full {@code Content-Length}) and the first bytes go out, then the connection is
   * closed (truncate: after {@code truncate_bytes}) or reset with SO_LINGER 0 (reset: half-way
   * through the announced length). Wraps Jetty's stream, so nothing of Glint's handlers changes.
   */
  private static void damage(Context ctx, Effect e) {
    ServletContextRequest core = ServletContextRequest.getServletContextRequest(ctx.req());
    EndPoint endPoint = core.getConnectionMetaData().getConnection().getEndPoint();
    core.addHttpStreamWrapper(stream -> new HttpStream.Wrapper(stream) {
      private long budget = -1;
      private long sent;
      private boolean cut;

      @Override
      public void send(MetaData.Request request, MetaData.Response response, boolean last,
          ByteBuffer content, Callback callback) {
        if (cut) {
          callback.failed(new EofException("connection cut by a fault rule"));
          return;
        }
        if (budget < 0) {
          long length = response == null ? -1
              : response.getHttpFields().getLongField(HttpHeader.CONTENT_LENGTH);
          budget = e.reset() ? Math.max(0, length) / 2
              : Math.min(e.truncateBytes(), length < 0 ? Long.MAX_VALUE : length - 1);
          budget = Math.max(0, budget);
        }
        int n = content == null ? 0 : content.remaining();
        if (sent + n < budget || (n == 0 && !last)) {
          sent += n;
          super.send(request, response, last, content, callback);
          return;
        }
        cut = true;
        ByteBuffer part = content == null ? ByteBuffer.allocate(0) : content.slice();
        part.limit((int) Math.min(part.remaining(), budget - sent));
        sent += part.remaining();
        super.send(request, response, false, part, Callback.from(
            () -> {
              close(endPoint, e.reset());
              callback.failed(new EofException("connection cut by a fault rule"));
            },
            x -> {
              close(endPoint, e.reset());
              callback.failed(x);
            }));
      }
    });
  }

  private static void close(EndPoint endPoint, boolean reset) {
    try {
      if (reset && endPoint instanceof SocketChannelEndPoint socket) {
        socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    endPoint.close();
  }
}
