package dev.glint.image;

import dev.glint.catalog.CatalogGeneration;
import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Glance's {@code GET /v2/images} (under every version root) answered from the in-memory index on
 * the image listener's hot lane, as {@code compute.ComputeListLane} does for Nova's lists: only
 * what the pipeline ({@link ImageEndpoints}, {@link ImagesEndpoint}) would answer with a 200,
 * read as its filters read it; anything else is handed on. First pages are kept per index
 * snapshot. {@code ImageListLaneTest} holds the two paths' answers equal.
 */
final class ImageListLane implements HotRoute {
  private final CatalogService catalog;
  private final CatalogGeneration generation;
  private final TokenValidator tokens;
  private final Enforcer policy;
  private final Enforcer.RouteCheck routes;
  private final GlintConfig config;
  private final Set<String> paths;
  private final HotPages pages = new HotPages();

  ImageListLane(
      CatalogService catalog, TokenValidator tokens, Enforcer policy, GlintConfig config) {
    this.catalog = catalog;
    this.generation = catalog.generation();
    this.tokens = tokens;
    this.policy = policy;
    this.routes = policy.routeCheck(PolicyDefaults.Api.IMAGE);
    this.config = config;
    this.paths =
        Set.copyOf(ImageEndpoints.prefixes(config).stream().map(p -> p + "/images").toList());
  }

  /** Everything a first page's bytes depend on besides the index. */
  private record PageKey(CatalogScope caller, boolean mayRead, String path, String query) {}

  @Override
  public Answer answer(Request request) {
    String path = request.path();
    if (!paths.contains(path)) {
      return null;
    }
    Headers h = request.headers();
    if (h.beyondAPlainRead()) {
      return null;
    }
    Principal principal = tokens.cachedPrincipal(h.get("X-Auth-Token"));
    if (principal == null
        || !principal.access().allows("image", "GET", path)
        || !routes.allows("GET", path, principal)) {
      return null;
    }
    // The generation as the request began (the pipeline's before-filter): the page is read after.
    String seen = Long.toString(generation.current());
    Object indexVersion = catalog.indexVersion();
    if (indexVersion == null) {
      return null;
    }
    CatalogScope caller =
        new CatalogScope(principal.projectId(), principal.roles(), principal.isAdmin());
    boolean multiple = config.imports().showMultipleLocations();
    boolean direct = config.imports().showImageDirectUrl();
    boolean mayRead =
        (multiple || direct)
            && policy.allowed("get_image_location", Enforcer.credentials(principal), Map.of());
    String rawQuery = request.query() == null ? "" : request.query();
    PageKey key =
        HotPages.repeatable(rawQuery) ? new PageKey(caller, mayRead, path, rawQuery) : null;
    List<String> fields = List.of(CatalogGeneration.HEADER, seen);
    if (key != null) {
      byte[] hit = pages.get(key, indexVersion);
      if (hit != null) {
        return new Answer(path, principal, Responses.JSON, List.of(), fields, hit);
      }
    }
    if (HotRoute.query(rawQuery) == null) {
      return null;
    }
    PageBody body = PageBody.gathered(config.pageBytes());
    try {
      GlanceListParams params = GlanceListParams.parse(request.query(), config.maxLimit());
      Page<Image> page = catalog.listInMemory(caller, params.query());
      if (page == null) {
        return null;
      }
      ImageView.write(
          body,
          page.items(),
          new ImageView.Options(catalog.stores(), multiple, direct, mayRead),
          params.params(),
          params.query().limit());
    } catch (ApiException e) {
      return null; // a parameter or marker in error: the pipeline words it
    }
    byte[] bytes = body.bytes();
    if (bytes == null) {
      return null;
    }
    if (key != null) {
      pages.put(key, indexVersion, bytes);
    }
    return new Answer(path, principal, Responses.JSON, List.of(), fields, bytes);
  }
}
