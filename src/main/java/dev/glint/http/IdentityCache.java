package dev.glint.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded cache keyed by object identity, for what views render once per image version: the
 * in-memory list hands out one object per version, so identity is both the cheapest key and the
 * right one (a changed image is a new object). When full it starts over; the pages asked for next
 * fill it again.
 */
public final class IdentityCache<K, V> {
  private final int max;
  private final Function<K, V> compute;
  private final ConcurrentHashMap<Key<K>, V> values = new ConcurrentHashMap<>();

  public IdentityCache(int max, Function<K, V> compute) {
    this.max = max;
    this.compute = compute;
  }

  public V get(K key) {
    Key<K> k = new Key<>(key);
    V known = values.get(k);
    if (known == null) {
      known = compute.apply(key);
      if (known == null) {
        return null; // nothing to keep: asked again next time
      }
      if (values.size() >= max) {
        values.clear();
      }
      values.put(k, known);
    }
    return known;
  }

  private record Key<K>(K object) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key<?> k && k.object == object;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(object);
    }
  }
}
