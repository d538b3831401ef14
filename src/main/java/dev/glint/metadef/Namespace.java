package dev.glint.metadef;

import java.time.Instant;

/**
 * A metadata definition namespace: the unit of visibility, ownership and protection for the
 * objects, properties, tags and resource type associations it holds.
 *
 * @param id internal id, never shown (Glance addresses namespaces by name)
 * @param visibility {@code public} or {@code private}
 * @param isProtected when true the namespace and its contents cannot be deleted
 */
record Namespace(
    String id,
    String namespace,
    String displayName,
    String description,
    String visibility,
    boolean isProtected,
    String owner,
    Instant createdAt,
    Instant updatedAt) {

  /** Glance's {@code _is_namespace_visible}: admins see all, others public ones and their own. */
  boolean visibleTo(MetadefScope scope) {
    return scope.admin() || visibility.equals("public") || owner.equals(scope.projectId());
  }
}
