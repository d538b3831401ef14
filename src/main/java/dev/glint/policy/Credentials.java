package dev.glint.policy;

import java.util.List;
import java.util.Locale;

/**
 * What a policy check knows about the caller: oslo.context's credential keys as keystonemiddleware
 * fills them from a token.
 *
 * @param projectId null for an unscoped token
 * @param projectDomainId the project's domain, null for an unscoped token
 * @param domainId the user's domain
 */
public record Credentials(
    String userId, String projectId, String projectDomainId, String domainId, List<String> roles) {
  public Credentials {
    roles = roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).toList();
  }

  /** The value oslo.policy's generic check {@code key:…} compares with; null when none. */
  Object value(String key) {
    return switch (key) {
      case "user_id" -> userId;
      case "project_id", "tenant", "tenant_id" -> projectId;
      case "domain_id", "user_domain_id" -> domainId;
      case "project_domain_id" -> projectDomainId;
      case "roles" -> roles;
      default -> null;
    };
  }
}
