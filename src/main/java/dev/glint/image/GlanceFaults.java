package dev.glint.image;

import dev.glint.error.ApiException;
import dev.glint.error.DetailedApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Faults;
import dev.glint.http.WebobFaults;
import io.javalin.http.Context;

/**
 * Glance's faults: webob's bodies (see {@link WebobFaults}), with the explanation Glance's
 * authentication middleware gives a 401 in place of the message.
 */
public final class GlanceFaults implements Faults {
  static final String UNAUTHORIZED =
      "This server could not verify that you are authorized to access the document you"
          + " requested. Either you supplied the wrong credentials (e.g., bad password), or"
          + " your browser does not understand how to supply the credentials required.";

  @Override
  public void render(Context ctx, ErrorCode code, String message, Exception cause) {
    String explanation = message;
    String detail = "";
    if (cause instanceof DetailedApiException d) {
      explanation = d.explanation();
      detail = d.detail();
    }
    if (code == ErrorCode.UNAUTHORIZED) {
      explanation = UNAUTHORIZED;
    }
    WebobFaults.render(ctx, code, explanation, detail);
  }

  /** Glance's {@code PolicyNotAuthorized} text, for a rule that refused the caller. */
  static ApiException policyDenied(String rule) {
    if (rule.startsWith("cache_")) {
      // The cache API raises a bare HTTPForbidden: webob's default explanation.
      return ApiException.forbidden("Access was denied to this resource.");
    }
    return ApiException.forbidden("You are not authorized to complete " + rule + " action.");
  }

  @Override
  public Body early(ErrorCode code, String message) {
    return WebobFaults.early(code, message);
  }
}
