package dev.glint.compute;

import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.catalog.ListQuery;
import dev.glint.catalog.ListRun;
import dev.glint.catalog.Page;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.http.HotPages;
import dev.glint.http.HotRoute;
import dev.glint.http.PageBody;
import dev.glint.http.Principal;
import dev.glint.http.Responses;
import dev.glint.http.TokenValidator;
import dev.glint.policy.Enforcer;
import dev.glint.policy.PolicyDefaults;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /images} and {@code /images/detail} under the four Nova roots, answered from the
 * in-memory index on the compute listener's hot lane ({@code dev.glint.http.HotLane}). It answers
 * only what the pipeline ({@link ComputeEndpoints}) would answer with a 200, reading the request
 * as the pipeline's filters do, in their order; anything else (no token, a token not validated
 * yet, a bad microversion or parameter, an unknown marker, a policy denial, a compressed or CORS
 * request, an image not in the index's cache) is handed on, and the pipeline answers it.
 * A first page (no {@code marker}, no {@code changes-since}) is kept, by caller scope and query,
 * for as long as the index stays the same snapshot: a repeat of it (pollers, dashboards) is a map
 * lookup. {@code ComputeListLaneTest} holds the two paths' answers equal.
 */
final class ComputeListLane implements HotRoute {
  private final CatalogService catalog;
  private final TokenValidator tokens;
  private final Enforcer.RouteCheck policy;
  private final GlintConfig config;

  ComputeListLane(
      CatalogService catalog, TokenValidator tokens, Enforcer policy, GlintConfig config) {
    this.catalog = catalog;
    this.tokens = tokens;
    this.policy = policy.routeCheck(PolicyDefaults.Api.COMPUTE);
    this.config = config;
    this.pagerQuery =
        ComputeListParams.parse(Map.of("marker", List.of("-")), config.maxLimit(), false).query();
  }

  /**
   * Which list a path names, as Javalin matches {@link ComputeImagesEndpoint#PREFIXES}: the
   * no-project roots first, so {@code /v2/images/detail} is the detail list and {@code
   * /v2/images/x} a show (not answered here).
   */
  record Shape(String root, String tenant, boolean detail, String route) {
    static Shape of(String path) {
      String root;
      if (path.startsWith("/v2.1/")) {
        root = "/v2.1";
      } else if (path.startsWith("/v2/")) {
        root = "/v2";
      } else {
        return null;
      }
      String rest = path.substring(root.length() + 1);
      if (rest.isEmpty()
          || rest.endsWith("/")
          || rest.indexOf('%') >= 0
          || rest.indexOf(';') >= 0) {
        return null; // trailing slashes, encoded or parameter segments: the pipeline's matching
      }
      String[] s = rest.split("/", -1);
      if (s[0].equals("images")) {
        return switch (s.length) {
          case 1 -> new Shape(root, null, false, root + "/images");
          case 2 ->
              s[1].equals("detail") ? new Shape(root, null, true, root + "/images/detail") : null;
          default -> null;
        };
      }
      if (s.length < 2 || s.length > 3 || s[0].isEmpty() || !s[1].equals("images")) {
        return null;
      }
      if (s.length == 3 && !s[2].equals("detail")) {
        return null;
      }
      boolean detail = s.length == 3;
      return new Shape(root, s[0], detail,
          root + "/{tenant_id}/images" + (detail ? "/detail" : ""));
    }
  }

  @Override
  public Answer answer(Request request) {
    Headers h = request.headers();
    if (h.beyondAPlainRead()) {
      return null;
    }
    String token = h.get("X-Auth-Token");
    Principal principal = tokens.cachedPrincipal(token); // expiry and revocation, every time
    if (principal == null) {
      return null;
    }
    Call call = call(token, request.path(), principal);
    if (call == null) {
      return null;
    }
    Shape shape = call.shape();
    Microversion version = Microversion.MIN;
    if (shape.root().equals("/v2.1")) {
      version = Microversion.accepted(h::values);
      if (version == null || version.compareTo(Microversion.IMAGES_MAX) > 0) {
        return null;
      }
    }
    List<String> headers =
        shape.root().equals("/v2.1") ? Microversion.responseHeaders(version) : List.of();
    // A first page (no marker, no changes-since) asked again while the index is the same object
    // is the same bytes: pollers and dashboards repeat exactly these.
    Object indexVersion = catalog.indexVersion();
    if (indexVersion == null) {
      return null;
    }
    String rawQuery = request.query() == null ? "" : request.query();
    CatalogScope caller = call.caller();
    PageKey key =
        HotPages.repeatable(rawQuery) ? new PageKey(caller, shape, version, rawQuery) : null;
    if (key != null) {
      byte[] hit = pages.get(key, indexVersion);
      if (hit != null) {
        return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), hit);
      }
    }
    String path = shape.detail() ? "/images/detail" : "/images";
    Pager pager = shape.detail() ? null : Pager.of(rawQuery, config.maxLimit());
    if (pager != null) {
      ByteBuffer[] parts = sliced(caller, pager, call.links(), path);
      if (parts != null) {
        return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), parts);
      }
    }
    Map<String, List<String>> query = HotRoute.query(rawQuery);
    if (query == null) {
      return null;
    }
    PageBody body = PageBody.gathered(config.pageBytes());
    try {
      ComputeListParams params = ComputeListParams.parse(query, config.maxLimit(), shape.detail());
      Page<Image> page = catalog.listInMemory(caller, params.query());
      if (page == null) {
        return null;
      }
      ComputeImageView.write(
          body,
          page,
          call.links(),
          shape.detail(),
          path,
          params.params(),
          params.query().limit());
    } catch (ApiException e) {
      return null; // a parameter or marker in error: the pipeline words it
    }
    byte[] bytes = body.bytes();
    if (bytes != null && key != null) {
      pages.put(key, indexVersion, bytes);
    }
    return answer(shape, principal, headers, body);
  }

  /**
   * What the lane needs of a token and a path before it reads the query, worked out on their
   * first request and kept: the list the path names, the caller's scope, and whether the token's
   * access rules, the policy and the URL's project let the caller read it (all fixed by the token,
   * whose expiry and revocation are checked on every request before this). Null when they do not:
   * the pipeline answers.
   */
  private Call call(String token, String path, Principal principal) {
    CallKey key = new CallKey(token, path);
    Call call = calls.get(key);
    if (call == null) {
      call = Call.of(path, principal, policy, config);
      if (calls.size() >= CALLS_MAX) {
        calls.clear(); // many tokens: start over rather than track which is oldest
      }
      calls.put(key, call);
    }
    return call == Call.REFUSED ? null : call;
  }

  private record CallKey(String token, String path) {}

  private record Call(Shape shape, CatalogScope caller, NovaLinks links) {
    static final Call REFUSED = new Call(null, null, null);

    static Call of(
        String path, Principal principal, Enforcer.RouteCheck policy, GlintConfig config) {
      Shape shape = Shape.of(path);
      if (shape == null
          || !principal.access().allows("compute", "GET", path)
          || !policy.allows("GET", path, principal)) {
        return REFUSED;
      }
      CatalogScope caller =
          new CatalogScope(principal.projectId(), principal.roles(), principal.isAdmin());
      NovaRequest req = NovaRequest.accepted(shape.root(), shape.tenant(), caller);
      if (req == null) {
        return REFUSED;
      }
      return new Call(shape, caller,
          NovaLinks.of(req, config.compute().publicUrl(), config.image().publicUrl()));
    }
  }

  /** Tokens and paths whose checks are kept; past it, the map starts over. */
  static final int CALLS_MAX = 4096;

  private final ConcurrentHashMap<CallKey, Call> calls = new ConcurrentHashMap<>();

  /**
   * A pager's query, {@code limit=N&marker=M} in either order or {@code marker=M} alone, in
   * characters that percent-decoding leaves as they are: what clients paging send, read without
   * the general parser. {@code limit} as {@link ComputeListParams} reads it (0 is the maximum,
   * larger ones are capped); the raw text goes into the paging links as Nova echoes it. Null for
   * anything else (the general path reads it).
   */
  record Pager(String limitText, int limit, String marker) {
    static Pager of(String raw, int maxLimit) {
      String limit = null;
      String marker = null;
      int start = 0;
      while (start <= raw.length()) {
        int end = raw.indexOf('&', start);
        if (end < 0) {
          end = raw.length();
        }
        int eq = raw.indexOf('=', start);
        if (eq < 0 || eq >= end || !plain(raw, eq + 1, end)) {
          return null;
        }
        String value = raw.substring(eq + 1, end);
        if (raw.startsWith("marker=", start) && eq == start + 6 && marker == null) {
          marker = value;
        } else if (raw.startsWith("limit=", start) && eq == start + 5 && limit == null) {
          limit = value;
        } else {
          return null; // another parameter, or one twice
        }
        start = end + 1;
      }
      if (marker == null) {
        return null;
      }
      int n = maxLimit;
      if (limit != null) {
        if (limit.length() > 18) {
          return null;
        }
        long asked = 0;
        for (int i = 0; i < limit.length(); i++) {
          char c = limit.charAt(i);
          if (c < '0' || c > '9') {
            return null;
          }
          asked = asked * 10 + (c - '0');
        }
        if (asked > 0) {
          n = (int) Math.min(asked, maxLimit);
        }
      }
      return new Pager(limit, n, marker);
    }

    /** Non-empty, and only characters that neither decoding nor form-encoding change. */
    private static boolean plain(String s, int from, int to) {
      if (from >= to) {
        return false;
      }
      for (int i = from; i < to; i++) {
        if (!NovaLinks.kept(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /** The request's parameters as the paging links read them. */
    Map<String, String> params() {
      return limitText == null ? Map.of("marker", marker) : Map.of("limit", limitText, "marker", marker);
    }
  }

  private static Answer answer(
      Shape shape, Principal principal, List<String> headers, PageBody body) {
    byte[] bytes = body.bytes();
    if (bytes == null) {
      return null; // a page the pipeline streams
    }
    return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), bytes);
  }

  /**
   * The page sliced from the whole list's run when the index has one for this caller and the
   * marker is in it (else the walk answers, and checks the marker).
   */
  private ByteBuffer[] sliced(CatalogScope caller, Pager pager, NovaLinks links, String path) {
    ListRun run = catalog.listRun(caller, pagerQuery);
    ListRun.Slice slice = run == null ? null : run.page(pager.marker(), pager.limit(), true);
    return slice == null
        ? null
        : ComputeImageView.slice(chunks, run, slice, links, path, pager, config.pageBytes());
  }

  /** The list a pager pages through (the run's key ignores the marker and the limit). */
  private final ListQuery pagerQuery;

  /** Everything a first page's bytes depend on besides the index. */
  private record PageKey(CatalogScope caller, Shape shape, Microversion version, String query) {}

  private final HotPages pages = new HotPages();
  private final SummaryChunks chunks = new SummaryChunks();
}
