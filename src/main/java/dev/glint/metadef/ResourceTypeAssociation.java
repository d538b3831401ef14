package dev.glint.metadef;

import java.time.Instant;

/**
 * A namespace applied to a resource type.
 *
 * @param prefix prepended to the namespace's property names on that resource type, or null
 * @param propertiesTarget which of the resource's key/value sets the properties go to, or null
 */
record ResourceTypeAssociation(
    String name, String prefix, String propertiesTarget, Instant createdAt, Instant updatedAt) {}
