package dev.glint.compute;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.List;

/**
 * The methods each compute images path serves. Nova's router answers a plain 404 for the others;
 * Glint's ruling (DESIGN.md) is the seed's 405 {@code badMethod} with an {@code Allow} header.
 * Javalin's own 405 derives {@code Allow} from loosely matching routes (it offered DELETE on
 * {@code /images}), so each path states its methods here.
 */
final class NovaMethods {
  static final String MESSAGE = "The method is not allowed for the requested URL.";
  /** HEAD too: Nova serves none, and Javalin would otherwise answer an empty text/plain 200. */
  private static final List<String> ALL = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

  private NovaMethods() {}

  /** Every image path under every root, with what it serves. */
  static void refuseOthers(RoutesConfig routes) {
    for (String prefix : ComputeImagesEndpoint.PREFIXES) {
      refuseOthers(routes, prefix + "/images", "GET");
      refuseOthers(routes, prefix + "/images/detail", "GET");
      refuseOthers(routes, prefix + "/images/{image_id}", "GET", "DELETE");
      refuseOthers(routes, prefix + "/images/{image_id}/metadata", "GET", "POST", "PUT");
      refuseOthers(routes, prefix + "/images/{image_id}/metadata/{key}", "GET", "PUT", "DELETE");
    }
    for (String prefix : ComputeImagesEndpoint.BOOKMARK_PREFIXES) {
      refuseOthers(routes, prefix + "/images/{image_id}", "GET");
    }
  }

  /**
   * Registers a 405 for each method {@code path} lacks. Must run after the real routes: Javalin
   * takes the first match, so a real route (DELETE on {@code /images/detail} reaching the delete
   * handler, as in Nova) always wins.
   */
  static void refuseOthers(RoutesConfig routes, String path, String... allowed) {
    List<String> allow = List.of(allowed);
    String header = String.join(", ", allowed);
    Handler refuse =
        ctx -> {
          ctx.header("Allow", header);
          throw new ApiException(ErrorCode.BAD_METHOD, MESSAGE);
        };
    for (String method : ALL) {
      if (allow.contains(method)) {
        continue;
      }
      switch (method) {
        case "GET" -> routes.get(path, refuse);
        case "HEAD" -> routes.head(path, refuse);
        case "POST" -> routes.post(path, refuse);
        case "PUT" -> routes.put(path, refuse);
        case "PATCH" -> routes.patch(path, refuse);
        default -> routes.delete(path, refuse);
      }
    }
  }
}
