package dev.glint.image;

import dev.glint.catalog.CatalogGeneration;
import dev.glint.catalog.CatalogService;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.http.AuthFilter;
import dev.glint.http.HotRoute;
import dev.glint.http.TokenValidator;
import dev.glint.policy.Enforcer;
import dev.glint.policy.PolicyDefaults;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The image service listener's routes (Glance v2). */
public final class ImageEndpoints {
  /** Version documents (and the API description) need no token, as in Glance. */
  static final Set<String> OPEN_PATHS = Set.of("/", "/versions", "/openapi.json");

  /**
   * API roots: {@code /v2} and the versions the version document lists, which Glance's version
   * negotiation maps onto the same v2 API (so {@code /v2.1/images} works) and no other: as that
   * list, they depend on the cache and on several stores.
   */
  public static List<String> prefixes(GlintConfig config) {
    List<String> prefixes = new java.util.ArrayList<>(List.of("/v2"));
    ImageVersionsEndpoint.versions(config.cache().enabled(), !config.imports().backends().isEmpty())
        .forEach(v -> prefixes.add("/" + v));
    return List.copyOf(prefixes);
  }

  private final CatalogService catalog;
  private final TokenValidator tokens;
  private final GlintConfig config;
  private final Enforcer policy;

  public ImageEndpoints(
      CatalogService catalog, TokenValidator tokens, GlintConfig config, Enforcer policy) {
    this.catalog = catalog;
    this.tokens = tokens;
    this.config = config;
    this.policy = policy;
  }

  public void routes(RoutesConfig routes) {
    // The catalog generation on every response: as the request began, then (unless the body is
    // already streaming) as it ended, so a write's response shows the generation it committed.
    CatalogGeneration generation = catalog.generation();
    routes.before(ctx -> ctx.header(CatalogGeneration.HEADER, Long.toString(generation.current())));
    routes.after(
        ctx -> {
          if (!ctx.res().isCommitted()) {
            ctx.header(CatalogGeneration.HEADER, Long.toString(generation.current()));
          }
        });
    routes.before(ImageEndpoints::rejectMethod);
    routes.before(new AuthFilter(tokens, OPEN_PATHS, "image")::handle);
    routes.before(ImageEndpoints::rejectTrailingSlash);
    routes.before(policy.filter(PolicyDefaults.Api.IMAGE, GlanceFaults::policyDenied));
    routes.before(ImageEndpoints::rejectBody);
    routes.before(dev.glint.http.InputGuard::rejectNulInBody);
    String publicUrl = config.image().publicUrl();
    new ImageVersionsEndpoint(
            publicUrl, config.cache().enabled(), !config.imports().backends().isEmpty())
        .routes(routes);
    ImagesEndpoint images = new ImagesEndpoint(catalog, config, policy);
    ImageDataEndpoint data =
        new ImageDataEndpoint(
            catalog, new UploadSlots(config.uploadsPerNode(), config.uploadsPerProject()));
    ImageMembersEndpoint members = new ImageMembersEndpoint(catalog);
    ImageSchemasEndpoint schemas = new ImageSchemasEndpoint();
    ImageImportEndpoint imports = new ImageImportEndpoint(catalog, policy);
    TasksEndpoint tasks = new TasksEndpoint(catalog.imports(), policy, config.maxLimit());
    CacheEndpoint cache = new CacheEndpoint(catalog, policy);
    for (String prefix : prefixes(config)) {
      images.routes(routes, prefix);
      data.routes(routes, prefix);
      members.routes(routes, prefix);
      schemas.routes(routes, prefix);
      imports.routes(routes, prefix);
      tasks.routes(routes, prefix);
      cache.routes(routes, prefix);
    }
    // After the versioned routes, so /v2/images/{id} is never read as a project id.
    images.alternateRoute(routes);
  }

  /** The list the image listener's hot lane answers ({@link ImageListLane}). */
  public HotRoute hotRoute() {
    return new ImageListLane(catalog, tokens, policy, config);
  }

  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

  /**
   * The methods each image service path answers, for HEAD's 405 (Glance's router table), metadefs
   * included.
   */
  private static final List<Map.Entry<Pattern, String>> ALLOW =
      List.of(
          Map.entry(Pattern.compile("/v2[.0-9]*/images"), "GET, POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+"), "GET, PATCH, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/file"), "GET, PUT"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/stage"), "PUT"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/import"), "POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/stores/[^/]+/[^/]+"), "DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/tasks"), "GET"),
          Map.entry(Pattern.compile("/v2[.0-9]*/tasks"), "GET, POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/tasks/[^/]+"), "GET, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/cache"), "GET, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/cache/[^/]+"), "PUT, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/members"), "GET, POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/members/[^/]+"), "GET, PUT, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/tags/[^/]+"), "PUT, DELETE"),
          Map.entry(Pattern.compile("/v2[.0-9]*/images/[^/]+/actions/[^/]+"), "POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/metadefs/namespaces"), "GET, POST"),
          Map.entry(Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+"), "GET, PUT, DELETE"),
          Map.entry(
              Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+/(objects|properties|tags)"),
              "GET, POST, DELETE"),
          Map.entry(
              Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+/(objects|properties)/[^/]+"),
              "GET, PUT, DELETE"),
          Map.entry(
              Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+/tags/[^/]+"),
              "GET, POST, PUT, DELETE"),
          Map.entry(
              Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+/resource_types"), "GET, POST"),
          Map.entry(
              Pattern.compile("/v2[.0-9]*/metadefs/namespaces/[^/]+/resource_types/[^/]+"),
              "DELETE"));

  /**
   * Glance routes HEAD like no other method (Javalin would run the GET handler for it): 405 with
   * the path's methods. A non-standard method gets the same 405 (Glance's eventlet answered 501,
   * but no input may give a 5xx: a 5xx says the server failed, not the client).
   */
  static void rejectMethod(Context ctx) {
    String method = ctx.req().getMethod();
    if (!STANDARD_METHODS.contains(method) || method.equals("HEAD")) {
      String allow = "GET";
      for (Map.Entry<Pattern, String> e : ALLOW) {
        if (e.getKey().matcher(ctx.path()).matches()) {
          allow = e.getValue();
        }
      }
      throw new MethodNotAllowedResponse(
          "The method is not allowed for the requested URL.", Map.of("availableMethods", allow));
    }
  }

  /**
   * Glance's router matches paths exactly: {@code /v2/images/} is no route (404), where Javalin
   * would serve it as {@code /v2/images}. The root {@code /} is the version document.
   */
  static void rejectTrailingSlash(Context ctx) {
    String path = ctx.path();
    if (path.length() > 1 && path.endsWith("/")) {
      throw new NotFoundResponse();
    }
  }

  /**
   * Glance's {@code body_reject}: reads and deletes take no body (400, before the body would be
   * silently ignored).
   */
  static void rejectBody(Context ctx) {
    String method = ctx.method().name();
    if (method.equals("GET") || method.equals("DELETE")) {
      rejectBodyOn(ctx);
    }
  }

  static void rejectBodyOn(Context ctx) {
    String length = ctx.header("Content-Length");
    boolean hasBody =
        (length != null && !length.strip().equals("0")) || ctx.header("Transfer-Encoding") != null;
    if (hasBody) {
      throw ApiException.badRequest("A body is not expected with this request.");
    }
  }
}
