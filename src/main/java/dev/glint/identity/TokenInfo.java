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

  public TokenInfo {
    methods = List.copyOf(methods);
    roles = List.copyOf(roles);
    auditIds = List.copyOf(auditIds);
    accessRules = List.copyOf(accessRules);
  }

  /**
   * An unscoped token's body: the token's methods, audit ids and times, the user and the roles;
   * the {@code with...} methods add a scope and where the token came from, each on a copy.
   */
  static TokenInfo of(String id, Caller token, User user, Domain userDomain, List<Role> roles) {
    return new TokenInfo(
        id, token.methods(), user, userDomain, null, null, roles, token.auditIds(),
        token.issuedAt(), token.expiresAt(), null, null, false, null, null, List.of());
  }

  /** Scoped to this project (null: unscoped), of that domain. */
  TokenInfo withProject(Project project, Domain projectDomain) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Scoped to this domain (null: none). */
  TokenInfo withDomain(Domain domain) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Scoped to the system when {@code system}. */
  TokenInfo withSystem(boolean system) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Scoped to this trust (null: none), its {@code OS-TRUST:trust} block. */
  TokenInfo withTrust(Caller.TrustScope trust) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Came through this OAuth1 access token (null: none), its {@code OS-OAUTH1} block. */
  TokenInfo withOAuth(OAuth oauth) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Came from this application credential (null: none), with its access rules. */
  TokenInfo withApplicationCredential(
      ApplicationCredential applicationCredential, List<AccessRule> accessRules) {
    return new TokenInfo(
        id, methods, user, userDomain, project, projectDomain, roles, auditIds, issuedAt,
        expiresAt, applicationCredential, domain, system, oauth, trust, accessRules);
  }

  /** Scoped to a project (the only scope with a catalog). */
  public boolean scoped() {
    return project != null;
  }
}
