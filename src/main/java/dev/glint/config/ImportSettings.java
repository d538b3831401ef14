package dev.glint.config;

import java.util.List;

/**
 * Interoperable import: the methods enabled (Glance's {@code enabled_import_methods}) and the
 * {@code web-download} URI filter (Glance's {@code [import_filtering_opts]}). Immutable.
 *
 * @param methods the import methods {@code /v2/info/import} lists and {@code import} accepts
 * @param allowedSchemes {@code allowed_schemes} (http, https)
 * @param disallowedSchemes {@code disallowed_schemes}
 * @param allowedHosts {@code allowed_hosts}; a host listed here may be loopback or private
 * @param disallowedHosts {@code disallowed_hosts}
 * @param allowedPorts {@code allowed_ports} (80, 443)
 * @param disallowedPorts {@code disallowed_ports}
 * @param allowPrivate fetch from private addresses (RFC 1918, fc00::/7) as Glance Zed does; off
 * @param allowLoopback fetch from loopback addresses (a test rig's local HTTP server); off
 * @param backends the named stores ({@code enabled.backends}); empty for the one store of {@code
 *     blob.store}, id {@code file} or {@code s3}
 * @param defaultBackend the id of the default store among {@code backends}; null when none
 * @param showMultipleLocations Glance's {@code show_multiple_locations}: images show {@code
 *     locations}, and JSON-patch may add, replace and remove them (docs/locations.md); off
 * @param showImageDirectUrl Glance's {@code show_image_direct_url}: images show {@code
 *     direct_url}, their first location; off
 * @param glanceDownloadProperties Glance's {@code [glance_download_properties] extra_properties}:
 *     the prefixes of the remote image's properties a {@code glance-download} copies
 */
public record ImportSettings(
    List<String> methods,
    List<String> allowedSchemes,
    List<String> disallowedSchemes,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    List<Integer> allowedPorts,
    List<Integer> disallowedPorts,
    boolean allowPrivate,
    boolean allowLoopback,
    List<Backend> backends,
    String defaultBackend,
    boolean showMultipleLocations,
    boolean showImageDirectUrl,
    List<String> glanceDownloadProperties) {

  /**
   * One named store (Glance's {@code enabled_backends} entry).
   *
   * @param id the store id clients name ({@code X-Image-Meta-Store}, {@code stores})
   * @param type {@code file} or {@code s3} (the {@code s3.*} bucket; one S3 store at most)
   * @param dir for a file store, its directory; null for {@code <data.dir>/stores/<id>}
   */
  public record Backend(String id, String type, String dir) {}
  /** The methods Glint implements. */
  public static final List<String> KNOWN =
      List.of("glance-direct", "web-download", "copy-image", "glance-download");

  /** Glance's default {@code extra_properties} (glance/async_/flows/api_image_import.py). */
  public static final List<String> GLANCE_DOWNLOAD_PROPERTIES =
      List.of("hw_", "trait:", "os_distro", "os_secure_boot", "os_type");

  public ImportSettings {
    methods = List.copyOf(methods);
    allowedSchemes = List.copyOf(allowedSchemes);
    disallowedSchemes = List.copyOf(disallowedSchemes);
    allowedHosts = List.copyOf(allowedHosts);
    disallowedHosts = List.copyOf(disallowedHosts);
    allowedPorts = List.copyOf(allowedPorts);
    disallowedPorts = List.copyOf(disallowedPorts);
    backends = List.copyOf(backends);
    glanceDownloadProperties = List.copyOf(glanceDownloadProperties);
  }
}
