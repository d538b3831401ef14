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

  public AuthFilter(TokenValidator tokens, Set<String> openPaths) {
    this.tokens = tokens;
    this.openPaths = openPaths;
  }

  public void handle(Context ctx) {
    if (openPaths.contains(ctx.path())) {
      return;
    }
    tokens
        .principal(ctx.header("X-Auth-Token"))
        .orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED, AUTH_REQUIRED))
        .attachTo(ctx);
  }
}
