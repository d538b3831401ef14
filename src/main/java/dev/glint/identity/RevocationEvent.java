package dev.glint.identity;

import java.time.Instant;

/**
 * Revokes every token that matches all its non-null keys and was issued at or before {@code
 * issuedBefore}, as Keystone's revocation events do.
 *
 * @param id unique id of the event (32 hex characters)
 * @param auditId one token, by audit id, or null
 * @param userId every token of this user, or null
 * @param projectId every token scoped to this project, or null
 * @param applicationCredentialId every token issued through this application credential, or null
 * @param accessTokenId every token issued through this OAuth1 access token, or null
 * @param trustId every token scoped to this trust, or null
 * @param expiresAt after this instant no token the event matches can still be valid, not even
 *     with {@code allow_expired}
 */
public record RevocationEvent(
    String id, String auditId, String userId, String projectId, String applicationCredentialId,
    String accessTokenId, String trustId, Instant issuedBefore, Instant expiresAt) {

  /** Every token issued until {@code issuedBefore} through the OAuth1 access token. */
  public static RevocationEvent ofAccessToken(
      String id, String accessTokenId, Instant issuedBefore, Instant expiresAt) {
    return new RevocationEvent(
        id, null, null, null, null, accessTokenId, null, issuedBefore, expiresAt);
  }

  /** Every token scoped to the trust and issued until {@code issuedBefore}. */
  public static RevocationEvent ofTrust(
      String id, String trustId, Instant issuedBefore, Instant expiresAt) {
    return new RevocationEvent(id, null, null, null, null, null, trustId, issuedBefore, expiresAt);
  }

  /** An event that names neither an OAuth1 access token nor a trust. */
  public RevocationEvent(
      String id, String auditId, String userId, String projectId, String applicationCredentialId,
      Instant issuedBefore, Instant expiresAt) {
    this(id, auditId, userId, projectId, applicationCredentialId, null, null, issuedBefore,
        expiresAt);
  }

  /** An event that names no application credential. */
  public RevocationEvent(
      String id, String auditId, String userId, String projectId, Instant issuedBefore,
      Instant expiresAt) {
    this(id, auditId, userId, projectId, null, issuedBefore, expiresAt);
  }

  public boolean matches(Caller token) {
    return (auditId == null || auditId.equals(token.auditId()))
        // As Keystone's revoke model: a user's event also ends the trust tokens it is party to.
        && (userId == null || userId.equals(token.userId())
            || (token.trust() != null && (userId.equals(token.trust().trustorUserId())
                || userId.equals(token.trust().trusteeUserId()))))
        && (projectId == null || projectId.equals(token.projectId()))
        && (applicationCredentialId == null
            || applicationCredentialId.equals(token.applicationCredentialId()))
        && (accessTokenId == null || accessTokenId.equals(token.oauthAccessTokenId()))
        && (trustId == null || (token.trust() != null && trustId.equals(token.trust().id())))
        && !token.issuedAt().isAfter(issuedBefore);
  }
}
