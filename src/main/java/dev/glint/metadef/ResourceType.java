package dev.glint.metadef;

import java.time.Instant;

/** A kind of resource metadefs apply to, e.g. {@code OS::Glance::Image}; global, by name. */
record ResourceType(String name, Instant createdAt, Instant updatedAt) {}
