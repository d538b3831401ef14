package dev.glint.metadef;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A named group of property definitions in a namespace, some of them required.
 *
 * @param properties property name → property definition (Glance's PropertyType JSON)
 */
record MetadefObject(
    String name,
    String description,
    List<String> required,
    ObjectNode properties,
    Instant createdAt,
    Instant updatedAt) {
  MetadefObject {
    required = List.copyOf(required);
  }
}
