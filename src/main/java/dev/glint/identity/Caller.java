package dev.glint.identity;

import java.time.Instant;
import java.util.List;

/**
 * Who is calling, as their validated token says. Built by the auth filter without a store read,
 * from the token's {@link TokenClaims} ({@link TokenClaims#caller}).
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

  public Caller {
    accessRules = List.copyOf(accessRules);
    roles = List.copyOf(roles);
    methods = List.copyOf(methods);
    auditChainId = auditChainId == null ? auditId : auditChainId;
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
