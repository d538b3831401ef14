package dev.glint.metadef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A namespace as a client or a definition file describes it, with optional contents. Nulls are
 * fields left out (defaults: private, unprotected, owned by the caller's project).
 */
record NamespaceDefinition(
    String namespace,
    String displayName,
    String description,
    String visibility,
    Boolean isProtected,
    String owner,
    List<AssociationDefinition> associations,
    ObjectNode properties,
    List<ObjectDefinition> objects,
    List<String> tags) {

  /** A resource type association as given: the type's name and the optional prefix and target. */
  record AssociationDefinition(String name, String prefix, String propertiesTarget) {}

  /** An object as given. */
  record ObjectDefinition(
      String name, String description, List<String> required, ObjectNode properties) {}
}
