package dev.glint.image;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.glint.catalog.Image;
import dev.glint.catalog.Locations;
import dev.glint.catalog.Stores;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.ImageMember;
import dev.glint.http.IdentityCache;
import dev.glint.http.Json;
import dev.glint.http.PageBody;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The image service's wire shapes, in the key order Glance writes them (the recorded exchanges):
 * extra properties first, then {@code name, disk_format, container_format, visibility, size,
 * virtual_size, status, checksum, protected, min_ram, min_disk, owner, os_hidden, os_hash_algo,
 * os_hash_value, id, created_at, updated_at, tags, self, file, schema}. Links are relative, as in
 * Glance.
 */
final class ImageView {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  /** Never shown, as in Glance's {@code _format_image}. */
  private static final String STAGE_HOST = "os_glance_stage_host";

  private ImageView() {}

  /**
   * What configuration adds to each image: the stores (the default one is where an image from
   * before named stores keeps its data) and Glance's {@code locations} ({@code
   * show_multiple_locations}, shown empty when the caller may not {@code get_image_location}) and
   * {@code direct_url} ({@code show_image_direct_url}).
   */
  record Options(Stores stores, boolean multipleLocations, boolean directUrl, boolean mayRead) {
    String store() {
      return stores.defaultId();
    }
  }

  /** One image. */
  static byte[] show(Image image, Options options) {
    return Json.bytes(g -> image(g, image, options));
  }

  /**
   * A list page: {@code images}, {@code first}, {@code schema} and, when the page is full,
   * {@code next} (Glance emits it whenever the page holds {@code limit} rows).
   *
   * @param params the request's parameters (last value each, request order) for the links
   */
  static byte[] index(List<Image> images, Options store, Map<String, String> params, int limit) {
    PageBody body = PageBody.inMemory();
    write(body, images, store, params, limit);
    return body.bytes();
  }

  /**
   * A list page written to {@code body}: its images while they fit the body's byte budget; a page
   * ended early by the budget gets a {@code next} link from its last image, as a full page does.
   */
  static void write(
      PageBody body, List<Image> images, Options store, Map<String, String> params, int limit) {
    byte[][] pieces = new byte[images.size()][];
    long size = IMAGES.length + 1; // and ']'
    int count = 0;
    for (; count < pieces.length; count++) {
      byte[] piece = fragment(images.get(count), store);
      int length = piece.length + (count > 0 ? 1 : 0);
      if (!body.fits(size, length, count)) {
        break;
      }
      pieces[count] = piece;
      size += length;
    }
    int shown = count;
    boolean next = shown > 0 && (shown == limit || shown < images.size());
    byte[] tail =
        Json.bytes(
            g -> {
              g.writeStartObject();
              g.writeStringField("first", link(params, null));
              g.writeStringField("schema", "/v2/schemas/images");
              if (limit > 0 && next) {
                g.writeStringField("next", link(params, images.get(shown - 1).id()));
              }
              g.writeEndObject();
            });
    body.start(size + tail.length); // ',' and the tail's fields, after the images array
    body.write(IMAGES);
    for (int n = 0; n < count; n++) {
      if (n > 0) {
        body.write((byte) ',');
      }
      body.write(pieces[n]);
    }
    body.write((byte) ']');
    body.write((byte) ',');
    body.write(tail, 1, tail.length - 1);
    body.finish();
  }

  private static final byte[] IMAGES = "{\"images\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Each image version's JSON, rendered once (a change of options starts the cache over). */
  private static volatile Fragments fragments = new Fragments(null);

  private record Fragments(Options store, IdentityCache<Image, byte[]> cache) {
    Fragments(Options store) {
      this(store, new IdentityCache<>(24_576, i -> Json.bytes(g -> image(g, i, store))));
    }
  }

  private static byte[] fragment(Image image, Options store) {
    Fragments f = fragments;
    if (!java.util.Objects.equals(f.store(), store)) {
      f = new Fragments(store);
      fragments = f;
    }
    return f.cache().get(image);
  }

  static void image(JsonGenerator g, Image i, Options options) throws IOException {
    String store = options.store();
    g.writeStartObject();
    for (Map.Entry<String, String> p : i.properties().entrySet()) {
      if (!p.getKey().equals(STAGE_HOST) && !Stores.hidden(p.getKey())) {
        g.writeStringField(p.getKey(), p.getValue() == null ? "" : p.getValue());
      }
    }
    g.writeStringField("name", i.name());
    g.writeStringField("disk_format", i.diskFormat());
    g.writeStringField("container_format", i.containerFormat());
    g.writeStringField("visibility", i.visibility().wire());
    number(g, "size", i.size());
    number(g, "virtual_size", i.virtualSize());
    g.writeStringField("status", i.status().wire());
    g.writeStringField("checksum", i.checksum());
    g.writeBooleanField("protected", i.isProtected());
    g.writeNumberField("min_ram", i.minRam());
    g.writeNumberField("min_disk", i.minDisk());
    g.writeStringField("owner", i.owner());
    g.writeBooleanField("os_hidden", i.osHidden());
    g.writeStringField("os_hash_algo", i.osHashAlgo());
    g.writeStringField("os_hash_value", i.osHashValue());
    // Glance (multi-store) lists the stores holding the data, comma-separated; an image from
    // before named stores has its data in the default one.
    if (i.size() != null
        && (i.status() == ImageStatus.ACTIVE || i.status() == ImageStatus.DEACTIVATED)) {
      g.writeStringField("stores", String.join(",", Stores.parse(i.properties().get(Stores.PROPERTY), store)));
    }
    g.writeStringField("id", i.id());
    g.writeStringField("created_at", time(i.createdAt()));
    g.writeStringField("updated_at", time(i.updatedAt()));
    g.writeArrayFieldStart("tags");
    for (String tag : i.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeStringField("self", "/v2/images/" + i.id());
    g.writeStringField("file", "/v2/images/" + i.id() + "/file");
    g.writeStringField("schema", "/v2/schemas/image");
    if (options.directUrl() || options.multipleLocations()) {
      List<Locations.Location> locations =
          options.mayRead() ? Locations.of(i, options.stores()) : List.of();
      if (options.directUrl() && !locations.isEmpty()) {
        g.writeStringField("direct_url", locations.get(0).url());
      }
      if (options.multipleLocations()) {
        g.writeArrayFieldStart("locations");
        for (Locations.Location l : locations) {
          g.writeStartObject();
          g.writeStringField("url", l.url());
          g.writeFieldName("metadata");
          g.writeTree(l.metadata());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    }
    g.writeEndObject();
  }

  static byte[] member(ImageMember m) {
    return Json.bytes(g -> member(g, m));
  }

  static byte[] members(List<ImageMember> members) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("members");
          for (ImageMember m : members) {
            member(g, m);
          }
          g.writeEndArray();
          g.writeStringField("schema", "/v2/schemas/members");
          g.writeEndObject();
        });
  }

  private static void member(JsonGenerator g, ImageMember m) throws IOException {
    g.writeStartObject();
    g.writeStringField("member_id", m.memberId());
    g.writeStringField("image_id", m.imageId());
    g.writeStringField("status", m.status().wire());
    g.writeStringField("created_at", time(m.createdAt()));
    g.writeStringField("updated_at", time(m.updatedAt()));
    g.writeStringField("schema", "/v2/schemas/member");
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, value);
    }
  }

  static String time(Instant t) {
    return TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * {@code /v2/images} plus the request's parameters, {@code marker} dropped, then (for {@code
   * next}) the new marker added last, encoded as Python's {@code urlencode}.
   */
  static String link(Map<String, String> params, String marker) {
    StringJoiner q = new StringJoiner("&");
    params.forEach(
        (k, v) -> {
          if (!k.equals("marker")) {
            q.add(encode(k) + "=" + encode(v));
          }
        });
    if (marker != null) {
      q.add("marker=" + encode(marker));
    }
    return q.length() == 0 ? "/v2/images" : "/v2/images?" + q;
  }

  /** Python's {@code quote_plus}: like Java's form encoding but keeps '~' and escapes '*'. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%7E", "~").replace("*", "%2A");
  }
}
