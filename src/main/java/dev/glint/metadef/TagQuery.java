package dev.glint.metadef;

/**
 * A tag list request.
 *
 * @param limit the page size, or null for all
 * @param marker the name of the last tag of the previous page, or null
 */
record TagQuery(Integer limit, String marker, String sortKey, boolean ascending) {
  static final TagQuery ALL = new TagQuery(null, null, "created_at", false);
}
