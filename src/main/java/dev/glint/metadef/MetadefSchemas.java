package dev.glint.metadef;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Glance's metadef schemas, exported once from Glance Zed by {@code
 * scripts/export-metadef-schemas.py} and served as they are.
 */
final class MetadefSchemas {
  static final List<String> NAMES =
      List.of(
          "namespace", "namespaces", "object", "objects", "property", "properties",
          "resource_type", "resource_types", "tag", "tags");

  private static final Map<String, byte[]> RAW = new ConcurrentHashMap<>();

  private MetadefSchemas() {}

  static byte[] raw(String name) {
    return RAW.computeIfAbsent(name, n -> SchemaCheck.read("/schemas/metadefs/" + n + ".json"));
  }
}
