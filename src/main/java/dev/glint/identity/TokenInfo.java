package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/**
 * Everything the token body of {@code POST/GET /v3/auth/tokens} shows (Keystone's
 * {@code render_token}).
 *
 * @param id the token itself (the {@code X-Subject-Token} header)
 * @param project the scope, or null for an unscoped token (then {@code roles} is empty)
 * @param projectDomain the project's domain, or null when unscoped
 * @param roles effective roles on the project, implied ones included
 * @param applicationCredential the application credential the token came from, or null
 * @param domain the scope of a domain-scoped token, else null
 * @param system whether the token is system-scoped
 * @param oauth the OAuth1 access token and consumer a token came through (its {@code OS-OAUTH1}
 *     block), else null
 * @param trust the trust a trust-scoped token is scoped to (with the trust's project), else null
 * @param accessRules the access rules of the application credential the token came from (empty:
 *     none); Keystone's body lists them as {@code application_credential.access_rules}
 */
public record TokenInfo(
    String id,
    List<String> methods,
    User user,
    Domain userDomain,
    Project project,
    Domain projectDomain,
    List<Role> roles,
    List<String> auditIds,
    Instant issuedAt,
    Instant expiresAt,
    ApplicationCredential applicationCredential,
    Domain domain,
    boolean system,
    OAuth oauth,
    Caller.TrustScope trust,
    List<AccessRule> accessRules) {

  /** The {@code OS-OAUTH1} block of a token issued through an access token. */
  public record OAuth(String accessTokenId, String consumerId) {}

  /** A token scoped to a trust (so through no OAuth1 access token). */
  public TokenInfo(
      String id,
      List<String> methods,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      List<String> auditIds,
      Instant issuedAt,
      Instant expiresAt,
      ApplicationCredential applicationCredential,
      Domain domain,
      boolean system,
      Caller.TrustScope trust) {
    this(id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, null, trust, List.of());
  }

  /** A token that came through an OAuth1 access token (or not), scoped to no trust. */
  public TokenInfo(
      String id,
      List<String> methods,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      List<String> auditIds,
      Instant issuedAt,
      Instant expiresAt,
      ApplicationCredential applicationCredential,
      Domain domain,
      boolean system,
      OAuth oauth) {
    this(id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, null, List.of());
  }

  public TokenInfo {
    methods = List.copyOf(methods);
    roles = List.copyOf(roles);
    auditIds = List.copyOf(auditIds);
    accessRules = List.copyOf(accessRules);
  }

  /** A token that came through no OAuth1 access token. */
  public TokenInfo(
      String id,
      List<String> methods,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      List<String> auditIds,
      Instant issuedAt,
      Instant expiresAt,
      ApplicationCredential applicationCredential,
      Domain domain,
      boolean system) {
    this(id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, null, null, List.of());
  }

  /** A project-scoped or unscoped token's body. */
  public TokenInfo(
      String id,
      List<String> methods,
      User user,
      Domain userDomain,
      Project project,
      Domain projectDomain,
      List<Role> roles,
      List<String> auditIds,
      Instant issuedAt,
      Instant expiresAt,
      ApplicationCredential applicationCredential) {
    this(id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, null, false);
  }

  /** Scoped to a project (the only scope with a catalog). */
  public boolean scoped() {
    return project != null;
  }
}
