package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of the legacy {@code POST /v2.0/tokens} (Queens {@code token/controllers.py}):
 * password credentials or a token, and an optional tenant (id wins over name). Users and tenants
 * are looked up in the default domain only.
 *
 * @param tokenId the token to re-scope, or null for password credentials
 */
public record V2AuthRequest(
    String username, String userId, String password, String tokenId, String tenantId,
    String tenantName) {

  public static V2AuthRequest parse(JsonNode body) {
    JsonNode auth = body.get("auth");
    if (auth == null || !auth.isObject()) {
      throw KeystoneErrors.expecting("auth", "request body");
    }
    String tenantId = AuthRequest.text(auth, "tenantId");
    String tenantName = AuthRequest.text(auth, "tenantName");
    JsonNode token = auth.get("token");
    if (token != null && token.isObject()) {
      String id = AuthRequest.text(token, "id");
      if (id == null) {
        throw KeystoneErrors.expecting("token reference", "request");
      }
      return new V2AuthRequest(null, null, null, id, tenantId, tenantName);
    }
    JsonNode credentials = auth.get("passwordCredentials");
    if (credentials == null || !credentials.isObject()) {
      throw KeystoneErrors.expecting("auth", "request body");
    }
    String password = AuthRequest.text(credentials, "password");
    if (password == null) {
      throw KeystoneErrors.expecting("password", "passwordCredentials");
    }
    String username = AuthRequest.text(credentials, "username");
    String userId = AuthRequest.text(credentials, "userId");
    if (username == null && userId == null) {
      throw KeystoneErrors.expecting("username or userId", "passwordCredentials");
    }
    return new V2AuthRequest(username, userId, password, null, tenantId, tenantName);
  }

  /** Without the password or token, should a request ever reach a log line. */
  @Override
  public String toString() {
    return "V2AuthRequest[username=" + username + ", userId=" + userId + ", tenantId=" + tenantId
        + ", tenantName=" + tenantName + ", token=" + (tokenId == null ? "none" : "***") + "]";
  }
}
