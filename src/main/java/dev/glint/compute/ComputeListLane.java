package dev.glint.compute;

import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
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
    Shape shape = Shape.of(request.path());
    if (shape == null) {
      return null;
    }
    Headers h = request.headers();
    if (h.beyondAPlainRead()) {
      return null;
    }
    Principal principal = tokens.cachedPrincipal(h.get("X-Auth-Token"));
    if (principal == null || !principal.access().allows("compute", "GET", request.path())) {
      return null;
    }
    Microversion version = Microversion.MIN;
    if (shape.root().equals("/v2.1")) {
      version = Microversion.accepted(h::values);
      if (version == null || version.compareTo(Microversion.IMAGES_MAX) > 0) {
        return null;
      }
    }
    if (!policy.allows("GET", request.path(), principal)) {
      return null;
    }
    CatalogScope caller =
        new CatalogScope(principal.projectId(), principal.roles(), principal.isAdmin());
    NovaRequest req = NovaRequest.accepted(shape.root(), shape.tenant(), caller);
    if (req == null) {
      return null;
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
    PageKey key =
        HotPages.repeatable(rawQuery) ? new PageKey(caller, shape, version, rawQuery) : null;
    if (key != null) {
      byte[] hit = pages.get(key, indexVersion);
      if (hit != null) {
        return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), hit);
      }
    }
    Map<String, List<String>> query = HotRoute.query(rawQuery);
    if (query == null) {
      return null;
    }
    PageBody body = PageBody.gathered(config.pageBytes());
    try {
      ComputeListParams params = ComputeListParams.parse(query, config.maxLimit(), shape.detail());
      NovaLinks links =
          NovaLinks.of(req, config.compute().publicUrl(), config.image().publicUrl());
      String path = shape.detail() ? "/images/detail" : "/images";
      if (!shape.detail() && paging(query)) {
        ByteBuffer[] parts = sliced(caller, params, links, path);
        if (parts != null) {
          return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), parts);
        }
      }
      Page<Image> page = catalog.listInMemory(caller, params.query());
      if (page == null) {
        return null;
      }
      ComputeImageView.write(
          body,
          page,
          links,
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

  private static Answer answer(
      Shape shape, Principal principal, List<String> headers, PageBody body) {
    byte[] bytes = body.bytes();
    if (bytes == null) {
      return null; // a page the pipeline streams
    }
    return new Answer(shape.route(), principal, Responses.JSON, headers, List.of(), bytes);
  }

  /** A page after a marker with nothing else asked but its size: what clients paging send. */
  private static boolean paging(Map<String, List<String>> query) {
    if (!query.containsKey("marker")) {
      return false;
    }
    for (String name : query.keySet()) {
      if (!name.equals("marker") && !name.equals("limit")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The page sliced from the whole list's run when the index has one for this caller and the
   * marker is in it (else the walk answers, and checks the marker).
   */
  private ByteBuffer[] sliced(
      CatalogScope caller, ComputeListParams params, NovaLinks links, String path) {
    ListRun run = catalog.listRun(caller, params.query());
    ListRun.Slice slice =
        run == null
            ? null
            : run.page(params.query().marker(), params.query().limit(), params.query().previous());
    return slice == null
        ? null
        : ComputeImageView.slice(chunks, run, slice, links, path, params.params(),
            params.query().limit(), config.pageBytes());
  }

  /** Everything a first page's bytes depend on besides the index. */
  private record PageKey(CatalogScope caller, Shape shape, Microversion version, String query) {}

  private final HotPages pages = new HotPages();
  private final SummaryChunks chunks = new SummaryChunks();
}
