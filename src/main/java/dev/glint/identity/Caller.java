package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/**
 * Who is calling, as their validated token says. Built by the auth filter without a store read.
 *
 * @param projectId the token's project, or null for an unscoped token
 * @param auditChainId audit id of the token this one was re-scoped from (its chain's first), or
 *     {@code auditId} itself for a token issued from a password
 * @param applicationCredentialId the application credential the token was issued for, or null
 * @param domainId the domain a domain-scoped token is scoped to, else null
 * @param domainName that domain's name, else null
 * @param system whether the token is system-scoped ({@code {"system": {"all": true}}})
 * @param oauthAccessTokenId the OAuth1 access token the token was issued through, or null
 * @param trust the trust a trust-scoped token was issued through, else null
 * @param accessRules the access rules of the application credential the token came from (empty:
 *     none, every request allowed)
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
    Instant expiresAt,
    String auditChainId,
    String applicationCredentialId,
    String domainId,
    String domainName,
    boolean system,
    String oauthAccessTokenId,
    TrustScope trust,
    List<AccessRule> accessRules) {

  /**
   * The {@code OS-TRUST:trust} a token is scoped to.
   *
   * @param impersonation whether the token's user is the trustor (else the trustee)
   */
  public record TrustScope(
      String id, String trustorUserId, String trusteeUserId, boolean impersonation) {}

  /** A caller whose token came through no OAuth1 access token (trust-scoped or not). */
  public Caller(
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
      Instant expiresAt,
      String auditChainId,
      String applicationCredentialId,
      String domainId,
      String domainName,
      boolean system,
      TrustScope trust,
      List<AccessRule> accessRules) {
    this(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditChainId, applicationCredentialId, domainId, domainName,
        system, null, trust, accessRules);
  }

  public Caller {
    accessRules = List.copyOf(accessRules);
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
    auditChainId = auditChainId == null ? auditId : auditChainId;
  }

  /** A caller whose token came through no OAuth1 access token and is scoped to no trust. */
  public Caller(
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
      Instant expiresAt,
      String auditChainId,
      String applicationCredentialId,
      String domainId,
      String domainName,
      boolean system) {
    this(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditChainId, applicationCredentialId, domainId, domainName,
        system, null, null, List.of());
  }

  /** A project-scoped or unscoped caller. */
  public Caller(
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
      Instant expiresAt,
      String auditChainId,
      String applicationCredentialId) {
    this(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditChainId, applicationCredentialId, null, null, false);
  }

  /** A caller whose token came from no application credential. */
  public Caller(
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
      Instant expiresAt,
      String auditChainId) {
    this(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditChainId, null);
  }

  /** A caller whose token starts its own audit chain. */
  public Caller(
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
    this(
        userId, userName, userDomainId, projectId, projectName, projectDomainId, roles, methods,
        auditId, issuedAt, expiresAt, auditId);
  }

  /** Keystone's {@code audit_ids}: the token's own, then its chain's when it was re-scoped. */
  public List<String> auditIds() {
    return auditChainId.equals(auditId) ? List.of(auditId) : List.of(auditId, auditChainId);
  }

  public boolean hasRole(String name) {
    return roles.contains(name);
  }

  public boolean isAdmin() {
    return roles.contains("admin");
  }
}
