package dev.glint.catalog;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Names no caller may set, change or remove as an extra property: Glance's base attributes (which
 * live in their own columns), its reserved names, and the {@code os_glance_} namespace Glance keeps
 * for itself. Both image APIs write properties through {@link CatalogService}, which checks here.
 */
public final class ReservedProperties {
  /** Glance v2 base attributes ({@code get_base_properties}) and reserved names. */
  static final Set<String> NAMES =
      Set.of(
          "id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
          "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "container_format",
          "disk_format", "created_at", "updated_at", "tags", "direct_url", "min_ram", "min_disk",
          "self", "file", "stores", "schema", "locations", "location", "deleted", "deleted_at");

  static final String GLANCE_PREFIX = "os_glance_";

  private ReservedProperties() {}

  public static boolean isReserved(String key) {
    return NAMES.contains(key) || key.startsWith(GLANCE_PREFIX);
  }

  /** The reserved keys a move from {@code before} to {@code after} would add, change or remove. */
  static Set<String> touched(Map<String, String> before, Map<String, String> after) {
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(after.keySet());
    keys.removeIf(k -> !isReserved(k) || Objects.equals(before.get(k), after.get(k)));
    return keys;
  }
}
