package dev.glint.catalog;

import java.util.List;

/**
 * One page of a keyset-paged list.
 *
 * @param items the items of this page, in list order
 * @param more whether at least one more item follows the last one
 * @param previousMarker for a request that had a marker: the marker of the page before this one,
 *     or an empty string when that page is the first; null when the request had no marker
 */
public record Page<T>(List<T> items, boolean more, String previousMarker) {
  public Page {
    items = List.copyOf(items);
  }
}
