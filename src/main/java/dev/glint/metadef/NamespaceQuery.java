package dev.glint.metadef;

import java.util.List;

/**
 * A namespace list request.
 *
 * @param visibility only namespaces of this visibility, or null for all the caller sees
 * @param resourceTypes only namespaces associated with one of these types (empty: no filter)
 * @param marker the name of the last namespace of the previous page, or null
 */
record NamespaceQuery(
    int limit,
    String marker,
    String sortKey,
    boolean ascending,
    String visibility,
    List<String> resourceTypes) {
  NamespaceQuery {
    resourceTypes = List.copyOf(resourceTypes);
  }
}
