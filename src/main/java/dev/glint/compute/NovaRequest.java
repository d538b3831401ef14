package dev.glint.compute;

import dev.glint.catalog.CatalogScope;
import dev.glint.error.ApiException;
import dev.glint.http.Principal;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Where a compute request came in: its API root ({@code /v2} or {@code /v2.1}), the project id in
 * the URL if any, and the caller. Checks the URL's project against the token's as Nova does.
 *
 * @param root "/v2" or "/v2.1"
 * @param tenant the project id segment of the URL, or null when the URL has none
 */
record NovaRequest(String root, String tenant, CatalogScope caller) {
  /** Nova routes a project segment only if it is lower-case hex and dashes. */
  private static final Pattern PROJECT_SEGMENT = Pattern.compile("[0-9a-f-]+");

  static NovaRequest of(Context ctx) {
    String root = ctx.path().startsWith("/v2.1") ? "/v2.1" : "/v2";
    String tenant = ctx.pathParamMap().get("tenant_id");
    Principal principal = Principal.of(ctx);
    CatalogScope caller =
        new CatalogScope(principal.projectId(), principal.roles(), principal.isAdmin());
    if (tenant != null) {
      if (!PROJECT_SEGMENT.matcher(tenant).matches()) {
        throw ApiException.notFound("The resource could not be found.");
      }
      if (!tenant.equals(caller.projectId())) {
        throw ApiException.badRequest(
            "Malformed request URL: URL's project_id '"
                + tenant
                + "' doesn't match Context's project_id '"
                + (caller.projectId() == null ? "None" : caller.projectId())
                + "'");
      }
    } else if (caller.projectId() == null) {
      throw ApiException.forbidden("A project-scoped token is required.");
    }
    return new NovaRequest(root, tenant, caller);
  }

  /** The request as {@link #of} reads it, or null where {@link #of} would refuse it. */
  static NovaRequest accepted(String root, String tenant, CatalogScope caller) {
    boolean ok =
        tenant != null
            ? PROJECT_SEGMENT.matcher(tenant).matches() && tenant.equals(caller.projectId())
            : caller.projectId() != null;
    return ok ? new NovaRequest(root, tenant, caller) : null;
  }

  /**
   * The checks Nova runs before a controller method, in its order (the microversion was read by a
   * before-filter): Content-Type (415), project id in the URL (400/404), then the method's
   * microversion range (404).
   */
  static NovaRequest begin(Context ctx, Microversion max) {
    NovaBody.checkContentType(ctx);
    return of(ctx).requireAtMost(ctx, max);
  }

  /** A POST or PUT body, parsed before the project check as Nova does (415, 413, then 400). */
  static com.fasterxml.jackson.databind.JsonNode body(Context ctx) {
    NovaBody.checkContentType(ctx);
    return NovaBody.read(ctx);
  }

  /** Nova's legacy v2 mode: no microversions, relaxed body validation. */
  boolean legacy() {
    return root.equals("/v2");
  }

  /** 404 when the negotiated microversion is above {@code max}, as Nova's dispatcher does. */
  NovaRequest requireAtMost(Context ctx, Microversion max) {
    if (Microversion.of(ctx).compareTo(max) > 0) {
      throw ApiException.notFound("The resource could not be found.");
    }
    return this;
  }

  /** "" or "/{tenant}": what Nova inserts into self and bookmark links. */
  String tenantSegment() {
    return tenant == null ? "" : "/" + tenant;
  }
}
