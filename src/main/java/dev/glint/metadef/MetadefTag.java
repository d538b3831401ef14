package dev.glint.metadef;

import java.time.Instant;

/** A tag a namespace suggests for resources. */
record MetadefTag(String name, Instant createdAt, Instant updatedAt) {}
