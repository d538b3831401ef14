package dev.glint.http;

import dev.glint.identity.TokenService;
import io.javalin.http.Context;
import java.util.Set;

/** Puts the token's {@code Caller} on the request, or answers 401; version documents are open. */
public final class AuthFilter {
  private final TokenService tokens;
  private final Set<String> openPaths;

  public AuthFilter(TokenService tokens, Set<String> openPaths) {
    this.tokens = tokens;
    this.openPaths = openPaths;
  }

  public void handle(Context ctx) {
    if (openPaths.contains(ctx.path())) {
      return;
    }
    tokens
        .validate(ctx.header("X-Auth-Token"))
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.UNAUTHORIZED, "The request you have made requires authentication."))
        .attachTo(ctx);
  }
}
