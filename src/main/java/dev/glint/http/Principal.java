package dev.glint.http;

import io.javalin.http.Context;
import java.util.List;

/**
 * Who is calling, as far as the image and compute APIs need to know: the token's user, project
 * (null for an unscoped token) and roles. The auth filter puts it on the request.
 */
public record Principal(String userId, String projectId, List<String> roles) {
  static final String ATTRIBUTE = "glint.principal";

  public Principal {
    roles = List.copyOf(roles);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }

  /** The principal the auth filter put on this request. */
  public static Principal of(Context ctx) {
    Principal principal = ctx.attribute(ATTRIBUTE);
    if (principal == null) {
      throw new IllegalStateException("no authenticated caller on " + ctx.path());
    }
    return principal;
  }

  void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }
}
