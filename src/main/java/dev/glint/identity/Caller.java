package dev.glint.identity;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * Who is calling, as their validated token says. Built by the auth filter without a store read.
 *
 * @param projectId the token's project, or null for an unscoped token
 */
public record Caller(
    String userId,
    String userName,
    String userDomainId,
    String projectId,
    String projectName,
    String projectDomainId,
    List<String> roles,
    List<String> methods,
    String auditId,
    Instant issuedAt,
    Instant expiresAt) {

  static final String ATTRIBUTE = "glint.caller";

  public Caller {
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }

  /** The caller the auth filter put on this request. */
  public static Caller of(Context ctx) {
    Caller caller = ctx.attribute(ATTRIBUTE);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on " + ctx.path());
    }
    return caller;
  }

  public void attachTo(Context ctx) {
    ctx.attribute(ATTRIBUTE, this);
  }
}
