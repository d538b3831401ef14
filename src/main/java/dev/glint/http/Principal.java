package dev.glint.http;

import io.javalin.http.Context;
import java.util.List;

/**
 * Who is calling, as far as the image and compute APIs need to know: the token's user, project
 * (null for an unscoped token) and roles. The auth filter puts it on the request.
 */
public record Principal(String userId, String projectId, List<String> roles, Access access) {
  static final String ATTRIBUTE = "glint.principal";

  /**
   * Which requests the token may make on a service: all of them, except for a token from an
   * application credential with access rules (keystonemiddleware enforces those).
   */
  @FunctionalInterface
  public interface Access {
    Access ANY = (service, method, path) -> true;

    /** @param service the service type, {@code image} or {@code compute} */
    boolean allows(String service, String method, String path);
  }

  public Principal {
    roles = List.copyOf(roles);
    access = access == null ? Access.ANY : access;
  }

  /** A principal whose token may make any request. */
  public Principal(String userId, String projectId, List<String> roles) {
    this(userId, projectId, roles, Access.ANY);
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
