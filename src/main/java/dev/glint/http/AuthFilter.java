package dev.glint.http;

import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Puts the token's {@link Principal} on the request, or answers 401; version documents are open.
 */
public final class AuthFilter {
  /** keystonemiddleware's 401 text, which Keystone and Nova show too. */
  public static final String AUTH_REQUIRED = "The request you have made requires authentication.";

  private final TokenValidator tokens;
  private final Set<String> openPaths;
  private final String service;

  /** @param service the service type access rules name this listener by */
  public AuthFilter(TokenValidator tokens, Set<String> openPaths, String service) {
    this.tokens = tokens;
    this.openPaths = openPaths;
    this.service = service;
  }

  public void handle(Context ctx) {
    if (openPaths.contains(ctx.path())) {
      return;
    }
    Principal principal =
        tokens
            .principal(ctx.header("X-Auth-Token"))
            .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, AUTH_REQUIRED));
    // keystonemiddleware refuses a request no access rule of the credential allows, as a 401.
    if (!principal.access().allows(service, ctx.method().name(), ctx.path())) {
      throw new ApiException(ErrorCode.UNAUTHORIZED, AUTH_REQUIRED);
    }
    principal.attachTo(ctx);
  }
}
