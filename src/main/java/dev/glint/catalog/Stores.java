package dev.glint.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The named stores image data may live in (Glance's {@code enabled_backends}), one of them the
 * default. Which stores hold an image's data is the reserved property {@link #PROPERTY}, a
 * comma-separated list of store ids in the order the data arrived (Glance keeps it as locations
 * and shows it as {@code stores}); images older than it have their data in the default store.
 */
public final class Stores {
  /** The stores holding an image's data; Glint's alone (hidden in views, reserved for callers). */
  public static final String PROPERTY = "os_glance_stores";

  private final Map<String, BlobStore> byId;
  private final String defaultId;

  /** One store, the default, under its own id ({@code file} or {@code s3}). */
  public static Stores single(BlobStore store) {
    return new Stores(Map.of(store.id(), store), store.id());
  }

  /** Several stores by id, in the configured order; {@code defaultId} must be one of them. */
  public Stores(Map<String, BlobStore> stores, String defaultId) {
    Map<String, BlobStore> named = new LinkedHashMap<>();
    stores.forEach((id, store) -> named.put(id, id.equals(store.id()) ? store : named(id, store)));
    if (!named.containsKey(defaultId)) {
      throw new IllegalArgumentException("the default store '" + defaultId + "' is not configured");
    }
    this.byId = java.util.Collections.unmodifiableMap(named);
    this.defaultId = defaultId;
  }

  public String defaultId() {
    return defaultId;
  }

  /** Every store id, in the configured order. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  public Optional<BlobStore> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public BlobStore defaultStore() {
    return byId.get(defaultId);
  }

  /** The stores holding the data of {@code image} (active or deactivated), as ids. */
  public List<String> of(Image image) {
    return parse(image.properties().get(PROPERTY), defaultId);
  }

  /** The stores named by the property's value; none given means the default one. */
  public static List<String> parse(String value, String defaultId) {
    if (value == null) {
      return List.of(defaultId);
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** {@code properties} without the ones Glint keeps for itself (stores, external locations). */
  public static Map<String, String> visible(Map<String, String> properties) {
    if (!properties.containsKey(PROPERTY) && !properties.containsKey(Locations.PROPERTY)) {
      return properties;
    }
    Map<String, String> out = new java.util.TreeMap<>(properties);
    out.remove(PROPERTY);
    out.remove(Locations.PROPERTY);
    return out;
  }

  /** Whether Glint keeps {@code key} for itself: never shown, kept by a "replace all". */
  public static boolean hidden(String key) {
    return key.equals(PROPERTY) || key.equals(Locations.PROPERTY);
  }

  static String join(List<String> ids) {
    return String.join(",", ids);
  }

  static List<String> plus(List<String> ids, String id) {
    List<String> out = new ArrayList<>(ids);
    if (!out.contains(id)) {
      out.add(id);
    }
    return out;
  }

  static List<String> minus(List<String> ids, String id) {
    List<String> out = new ArrayList<>(ids);
    out.remove(id);
    return out;
  }

  /** {@code store} under another id. */
  static BlobStore named(String id, BlobStore store) {
    return new BlobStore() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Stored put(String key, InputStream data, long maxBytes) throws IOException {
        return store.put(key, data, maxBytes);
      }

      @Override
      public Optional<SeekableByteChannel> get(String key) throws IOException {
        return store.get(key);
      }

      @Override
      public boolean delete(String key) throws IOException {
        return store.delete(key);
      }

      @Override
      public String url(String key) {
        return store.url(key);
      }

      @Override
      public java.util.stream.Stream<String> keys() throws IOException {
        return store.keys();
      }
    };
  }
}
