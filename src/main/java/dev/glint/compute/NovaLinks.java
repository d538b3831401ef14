package dev.glint.compute;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the links Nova puts on images, from the configured public URLs (never the request's Host
 * header), as Nova's {@code ViewBuilder}: {@code self} under the request's API root, {@code
 * bookmark} without the version, {@code alternate} at the image service in the seed's form.
 *
 * @param computeUrl public compute URL, no trailing slash
 * @param imageUrl public image service URL, no trailing slash
 * @param root "/v2" or "/v2.1"
 * @param tenantSegment "" or "/{project_id}", following the request URL
 * @param project the caller's project, used in the seed-form alternate link
 */
record NovaLinks(
    String computeUrl, String imageUrl, String root, String tenantSegment, String project) {

  static NovaLinks of(NovaRequest req, String computeUrl, String imageUrl) {
    return new NovaLinks(
        computeUrl, imageUrl, req.root(), req.tenantSegment(), req.caller().projectId());
  }

  String self(String collection, String id) {
    return computeUrl + root + tenantSegment + "/" + collection + "/" + id;
  }

  String bookmark(String collection, String id) {
    return computeUrl + tenantSegment + "/" + collection + "/" + id;
  }

  /** Seed form, {@code {image}/{project}/images/{id}}; the image service redirects it. */
  String alternate(String id) {
    return imageUrl + "/" + project + "/images/" + id;
  }

  /**
   * A paging link: every request parameter sorted by name with {@code marker} replaced (or
   * appended), form-encoded as Nova's {@code _get_next_link}; an empty marker drops it (first page).
   */
  String page(String path, Map<String, String> params, String marker) {
    String limit = params.get("limit");
    int others = params.size() - (limit == null ? 0 : 1) - (params.containsKey("marker") ? 1 : 0);
    if (others == 0 && !marker.isEmpty()) { // a pager's link, sorted as below without a map
      StringBuilder url = new StringBuilder(200).append(computeUrl).append(root)
          .append(tenantSegment).append(path).append('?');
      if (limit != null) {
        url.append("limit=").append(encode(limit)).append('&');
      }
      return url.append("marker=").append(encode(marker)).toString();
    }
    Map<String, String> sorted = new TreeMap<>(params);
    if (marker.isEmpty()) {
      sorted.remove("marker");
    } else {
      sorted.put("marker", marker);
    }
    StringBuilder url = new StringBuilder(160).append(computeUrl).append(root)
        .append(tenantSegment).append(path);
    char separator = '?';
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      url.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      separator = '&';
    }
    return url.toString();
  }

  /** Form-encoded as {@link URLEncoder} encodes, which leaves these characters as they are. */
  private static String encode(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!kept(s.charAt(i))) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
      }
    }
    return s;
  }

  /**
   * Whether form-encoding leaves {@code c} as it is (and so does decoding). A table: the pager
   * checks every character of a query and of a marker, a mix of letters and digits on which a
   * chain of range tests mispredicts.
   */
  static boolean kept(char c) {
    return c < KEPT.length && KEPT[c];
  }

  private static final boolean[] KEPT = new boolean[128];

  static {
    for (char c = 0; c < KEPT.length; c++) {
      KEPT[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '*';
    }
  }
}
