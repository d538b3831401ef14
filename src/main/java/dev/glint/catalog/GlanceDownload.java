package dev.glint.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glint.fetch.WebSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote side of {@code glance-download}, as Glance's {@code _ImportMetadata} and {@code
 * _DownloadGlanceImage} do it: the other Glance's image endpoint from the caller's catalog, then
 * its image record and data with the caller's token. Both requests go through the import filter
 * ({@link WebSource}), as Glance's {@code open_external_uri} does since its SSRF fixes.
 */
final class GlanceDownload {
  /** A remote record larger than this is refused (Glance's records are a few KiB). */
  private static final int MAX_RECORD_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What the import asked for.
   *
   * @param token the caller's token, sent as {@code X-Auth-Token}; never logged
   */
  record Request(String token, String projectId, String region, String imageId, String iface) {
    @Override
    public String toString() {
      return "Request[region=" + region + ", imageId=" + imageId + ", iface=" + iface + "]";
    }
  }

  /**
   * The remote image as the import uses it.
   *
   * @param endpoint the remote image service's base URL, without a trailing slash
   * @param properties the properties to copy (the configured prefixes, reserved names left out)
   */
  record Remote(
      String endpoint,
      String diskFormat,
      String containerFormat,
      long size,
      Map<String, String> properties) {}

  private final WebSource web;
  private final GlanceEndpoints endpoints;
  private final List<String> prefixes;

  GlanceDownload(WebSource web, GlanceEndpoints endpoints, List<String> prefixes) {
    this.web = web;
    this.endpoints = endpoints;
    this.prefixes = List.copyOf(prefixes);
  }

  /** The remote image's record, which must be {@code active} with a size. */
  Remote metadata(Request r) throws IOException {
    String endpoint =
        endpoints
            .find(r.token(), r.projectId(), r.region(), r.iface())
            .orElseThrow(
                () ->
                    new IOException(
                        r.iface() + " glance endpoint not found for region " + r.region()));
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    JsonNode image;
    try (WebSource.Body body =
        web.open(endpoint + "/v2/images/" + r.imageId(), auth(r))) {
      image = MAPPER.readTree(bounded(body.stream()));
    }
    if (image == null || !image.isObject()) {
      throw new IOException("the remote image record is not a JSON object");
    }
    String status = image.path("status").asText("None");
    if (!status.equals("active")) {
      throw new IOException("Source image status should be active instead of " + status);
    }
    JsonNode size = image.get("size");
    if (size == null || !size.canConvertToLong()) {
      throw new IOException(
          "Size attribute of remote image " + r.imageId() + " could not be determined.");
    }
    Map<String, String> copied = new LinkedHashMap<>();
    image
        .fields()
        .forEachRemaining(
            f -> {
              // Glance's set_image_extra_properties drops the os_glance_ namespace; base
              // attributes are not extra properties here either.
              if (f.getValue().isTextual()
                  && !ReservedProperties.isReserved(f.getKey())
                  && prefixes.stream().anyMatch(f.getKey()::startsWith)) {
                copied.put(f.getKey(), f.getValue().asText());
              }
            });
    return new Remote(
        endpoint,
        image.path("disk_format").isTextual() ? image.get("disk_format").asText() : null,
        image.path("container_format").isTextual() ? image.get("container_format").asText() : null,
        size.asLong(),
        copied);
  }

  /** The remote image's data; the caller reads and closes it. */
  WebSource.Body data(Remote remote, Request r) throws IOException {
    return web.open(
        remote.endpoint() + "/v2/images/" + r.imageId() + "/file", auth(r));
  }

  private static Map<String, String> auth(Request r) {
    return r.token() == null ? Map.of() : Map.of("X-Auth-Token", r.token());
  }

  private static byte[] bounded(InputStream in) throws IOException {
    byte[] out = in.readNBytes(MAX_RECORD_BYTES + 1);
    if (out.length > MAX_RECORD_BYTES) {
      throw new IOException("the remote image record is larger than " + MAX_RECORD_BYTES + " bytes");
    }
    return out;
  }
}
