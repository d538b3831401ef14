package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/**
 * What a token says about its caller, as {@link TokenService#issue} encrypts it: the user, one
 * scope, the role names, the methods and what the token came through. Start from {@link #user}
 * (unscoped, a new audit chain, the default lifetime) and add the rest with the {@code with...}
 * methods, each of which returns a copy.
 *
 * @param projectId the project of a project-scoped (or trust-scoped) token, else null
 * @param domainId the domain of a domain-scoped token, else null
 * @param system whether the token is system-scoped
 * @param trust the trust of a trust-scoped token; {@code userId} is then the trustor when it
 *     impersonates, else the trustee
 * @param expiresAt the expiry to keep (re-scoping, a credential that ends sooner), or null for
 *     the token lifetime from now
 * @param auditChainId the audit chain a re-scoped token joins, or null to start its own
 * @param applicationCredentialId the application credential the token came from, or null
 * @param oauthAccessTokenId the OAuth1 access token the token came through, or null
 * @param accessRules that credential's access rules (empty: none, every request allowed)
 */
public record TokenClaims(
    String userId,
    String userName,
    String userDomainId,
    String projectId,
    String projectName,
    String projectDomainId,
    String domainId,
    String domainName,
    boolean system,
    Caller.TrustScope trust,
    List<String> roles,
    List<String> methods,
    Instant expiresAt,
    String auditChainId,
    String applicationCredentialId,
    String oauthAccessTokenId,
    List<AccessRule> accessRules) {

  public TokenClaims {
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
    accessRules = List.copyOf(accessRules);
  }

  /** An unscoped token of the user, starting its own audit chain, for the default lifetime. */
  public static TokenClaims user(
      String userId,
      String userName,
      String userDomainId,
      List<String> roles,
      List<String> methods) {
    return new TokenClaims(
        userId, userName, userDomainId, null, null, null, null, null, false, null, roles,
        methods, null, null, null, null, List.of());
  }

  /** Scoped to a project; a null {@code projectId} leaves the token unscoped. */
  public TokenClaims withProject(String projectId, String projectName, String projectDomainId) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Scoped to a domain; a null {@code domainId}: to none. */
  public TokenClaims withDomain(String domainId, String domainName) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Scoped to the system ({@code {"system": {"all": true}}}) when {@code system}. */
  public TokenClaims withSystem(boolean system) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Scoped to a trust (with the trust's project, set by {@link #withProject}). */
  public TokenClaims withTrust(Caller.TrustScope trust) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Keeps this expiry (null: the token lifetime from now). */
  public TokenClaims withExpiry(Instant expiresAt) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Joins this audit chain, the original token's (null: a chain of its own). */
  public TokenClaims withAuditChain(String auditChainId) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, oauthAccessTokenId, accessRules);
  }

  /** Came from this application credential (null: none), limited to its access rules. */
  public TokenClaims withApplicationCredential(String id, List<AccessRule> accessRules) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId, id,
        oauthAccessTokenId, accessRules);
  }

  /** Came through this OAuth1 access token (null: none); deleting it revokes the token. */
  public TokenClaims withOAuthAccessToken(String id) {
    return new TokenClaims(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, domainId,
        domainName, system, trust, roles, methods, expiresAt, auditChainId,
        applicationCredentialId, id, accessRules);
  }

  /** The caller a token with these claims stands for, once issued with this audit id and times. */
  Caller caller(String auditId, Instant issuedAt, Instant expiresAt) {
    return new Caller(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditChainId, applicationCredentialId, domainId, domainName,
        system, oauthAccessTokenId, trust, accessRules);
  }
}
