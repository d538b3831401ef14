package dev.glint.compute;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.Image;
import dev.glint.catalog.Stores;
import dev.glint.catalog.Page;
import dev.glint.http.Json;
import dev.glint.http.PageBody;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import dev.glint.http.IdentityCache;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Compute API's wire shapes for images, in Nova's key order: the basic view ({@code id, name,
 * links}) and the detail view ({@code id, name, minRam, minDisk, metadata, created, updated,
 * status, progress, OS-EXT-IMG-SIZE:size, links[, server][, OS-DCF:diskConfig]}).
 */
final class ComputeImageView {
  static final String IMAGE_TYPE = "application/vnd.openstack.image";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  /** Nova decodes these two properties from JSON strings before showing them. */
  private static final Set<String> JSON_PROPERTIES = Set.of("block_device_mapping", "mappings");
  private static final Set<String> TRUE =
      Set.of("1", "t", "true", "on", "y", "yes");

  private ComputeImageView() {}

  /**
   * A list page.
   *
   * @param path "/images" or "/images/detail", for paging links
   * @param params the request's query parameters, for paging links
   * @param limit the page size asked for; a full page gets a {@code next} link, as in Nova
   */
  static byte[] index(
      Page<Image> page,
      NovaLinks links,
      boolean detail,
      String path,
      Map<String, String> params,
      int limit) {
    PageBody body = PageBody.inMemory();
    write(body, page, links, detail, path, params, limit);
    return body.bytes();
  }

  /**
   * A list page written to {@code body}: its images while they fit the body's byte budget (then a
   * {@code next} link from the last one shown, as if {@code limit} had been smaller).
   */
  static void write(
      PageBody body,
      Page<Image> page,
      NovaLinks links,
      boolean detail,
      String path,
      Map<String, String> params,
      int limit) {
    if (!detail) {
      summaries(body, page, links, path, params, limit);
    } else {
      details(body, page, links, path, params, limit);
    }
  }

  // ---- the detail list from per-image templates -----------------------------------------------

  /**
   * Links rendered with one control character for each part of the URL that depends on the
   * request; the generator escapes each as six ASCII bytes ({@code \u0001} ...), where a template
   * is cut. An image whose own text holds such a character is rendered directly instead.
   */
  private static final NovaLinks SLOTS = new NovaLinks("\u0001", "\u0004", "\u0002", "\u0003", "\u0005");

  /** An image's detail JSON, cut where the request's URL parts go. */
  private record Template(byte[][] parts, byte[] slots) {
    int length(byte[][] values) {
      int n = 0;
      for (byte[] p : parts) {
        n += p.length;
      }
      for (byte slot : slots) {
        n += values[slot].length;
      }
      return n;
    }

    void write(PageBody body, byte[][] values) {
      for (int i = 0; i < parts.length; i++) {
        body.write(parts[i]);
        if (i < slots.length) {
          body.write(values[slots[i]]);
        }
      }
    }
  }

  private static final IdentityCache<Image, Template> TEMPLATES =
      new IdentityCache<>(24_576, ComputeImageView::template);

  private static Template template(Image image) {
    if (hasSlotCharacter(image)) {
      return null;
    }
    byte[] bytes = Json.bytes(g -> detail(g, image, SLOTS));
    List<byte[]> parts = new java.util.ArrayList<>();
    java.io.ByteArrayOutputStream slots = new java.io.ByteArrayOutputStream();
    int from = 0;
    for (int i = 0; i + 5 < bytes.length; i++) {
      if (bytes[i] == '\\' && bytes[i + 1] == 'u' && bytes[i + 2] == '0' && bytes[i + 3] == '0'
          && bytes[i + 4] == '0' && bytes[i + 5] >= '1' && bytes[i + 5] <= '5') {
        parts.add(java.util.Arrays.copyOfRange(bytes, from, i));
        slots.write(bytes[i + 5] - '1');
        from = i + 6;
        i += 5;
      }
    }
    parts.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    return new Template(parts.toArray(byte[][]::new), slots.toByteArray());
  }

  private static boolean hasSlotCharacter(Image image) {
    if (slotCharacter(image.id()) || slotCharacter(image.name())) {
      return true;
    }
    for (Map.Entry<String, String> p : image.properties().entrySet()) {
      if (slotCharacter(p.getKey()) || slotCharacter(p.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static boolean slotCharacter(String s) {
    if (s != null) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) >= '\u0001' && s.charAt(i) <= '\u0005') {
          return true;
        }
      }
    }
    return false;
  }

  /** The detail list: each image from its template, with this request's URL parts put in. */
  private static void details(
      PageBody body,
      Page<Image> page,
      NovaLinks links,
      String path,
      Map<String, String> params,
      int limit) {
    // Slot n is the control character n + 1 in SLOTS: compute URL, root, tenant segment, image
    // URL, project (a missing one reads "null", as string concatenation writes it).
    byte[][] values = {
      inner(links.computeUrl()), inner(links.root()), inner(links.tenantSegment()),
      inner(links.imageUrl()), inner(String.valueOf(links.project()))
    };
    List<Image> items = page.items();
    Object[] rendered = new Object[items.size()];
    long size = IMAGES.length + 2;
    int count = 0;
    for (; count < items.size(); count++) {
      Image item = items.get(count);
      Template t = TEMPLATES.get(item);
      Object piece = t;
      int length;
      if (t == null) {
        byte[] direct = Json.bytes(g -> detail(g, item, links));
        piece = direct;
        length = direct.length;
      } else {
        length = t.length(values);
      }
      length += count > 0 ? 1 : 0;
      if (!body.fits(size, length, count)) {
        break;
      }
      rendered[count] = piece;
      size += length;
    }
    byte[] pageLinks = pageLinks(page, count, links, path, params, limit);
    if (pageLinks != null) {
      size += pageLinks.length - 1;
    }
    body.start(size);
    body.write(IMAGES);
    for (int n = 0; n < count; n++) {
      if (n > 0) {
        body.write((byte) ',');
      }
      if (rendered[n] instanceof Template t) {
        t.write(body, values);
      } else {
        body.write((byte[]) rendered[n]);
      }
    }
    close(body, pageLinks);
  }

  /**
   * {@code {"images_links":[...]}} for a page that has a next or previous page, else null. The
   * page shows the first {@code count} of its items: fewer than it has when the byte budget ended
   * it early, which gives it a next link as a full page has.
   */
  private static byte[] pageLinks(
      Page<Image> page,
      int count,
      NovaLinks links,
      String path,
      Map<String, String> params,
      int limit) {
    List<Image> items = page.items();
    boolean next = count > 0 && (count == limit || count < items.size());
    boolean previous = page.previousMarker() != null;
    if (!next && !previous) {
      return null;
    }
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("images_links");
          if (next) {
            pageLink(g, "next", links.page(path, params, items.get(count - 1).id()));
          }
          if (previous) {
            pageLink(g, "previous", links.page(path, params, page.previousMarker()));
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** Ends a list after its images: {@code ]} then the page links' field, or {@code ]}} alone. */
  private static void close(PageBody body, byte[] pageLinks) {
    body.write((byte) ']');
    if (pageLinks != null) {
      body.write((byte) ',');
      body.write(pageLinks, 1, pageLinks.length - 1); // its field and closing brace
    } else {
      body.write((byte) '}');
    }
    body.finish();
  }

  /** {@link #index} through Jackson's generator: the detail view, and the reference for summaries. */
  static byte[] generated(
      Page<Image> page,
      NovaLinks links,
      boolean detail,
      String path,
      Map<String, String> params,
      int limit) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("images");
          for (Image image : page.items()) {
            if (detail) {
              detail(g, image, links);
            } else {
              basic(g, image, links);
            }
          }
          g.writeEndArray();
          boolean next = !page.items().isEmpty() && page.items().size() == limit;
          boolean previous = page.previousMarker() != null;
          if (next || previous) {
            g.writeArrayFieldStart("images_links");
            if (next) {
              String last = page.items().get(page.items().size() - 1).id();
              pageLink(g, "next", links.page(path, params, last));
            }
            if (previous) {
              pageLink(g, "previous", links.page(path, params, page.previousMarker()));
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        });
  }

  private static final byte[] IMAGES = ascii("{\"images\":[");
  private static final byte[] ID = ascii("{\"id\":");
  private static final byte[] NAME = ascii(",\"name\":");
  private static final byte[] SELF = ascii(",\"links\":[{\"rel\":\"self\",\"href\":\"");
  private static final byte[] BOOKMARK = ascii("\"},{\"rel\":\"bookmark\",\"href\":\"");
  private static final byte[] ALTERNATE =
      ascii("\"},{\"rel\":\"alternate\",\"type\":\"" + IMAGE_TYPE + "\",\"href\":\"");
  private static final byte[] END_IMAGE = ascii("\"}]}");
  private static final byte[] NULL = ascii("null");

  /**
   * The basic list, the seed's hot call, written as bytes: the same output as the generator path
   * ({@code ComputeSummaryBytesTest} holds them equal) at a fraction of the cost. Strings go
   * through Jackson's own encoder, so escaping is Jackson's; the links' prefixes are encoded once
   * per page.
   */
  private static void summaries(
      PageBody body,
      Page<Image> page,
      NovaLinks links,
      String path,
      Map<String, String> params,
      int limit) {
    byte[] self = inner(links.self("images", ""));
    byte[] bookmark = inner(links.bookmark("images", ""));
    byte[] alternate = inner(links.alternate(""));
    List<Image> items = page.items();
    byte[][] ids = new byte[items.size()][];
    byte[][] names = new byte[items.size()][];
    long size = IMAGES.length + 2;
    int count = 0;
    for (; count < ids.length; count++) {
      byte[][] pieces = PIECES.get(items.get(count));
      int length = (count > 0 ? 1 : 0) + ID.length + pieces[0].length * 4 + 2 + NAME.length
          + pieces[1].length + SELF.length + self.length + BOOKMARK.length + bookmark.length
          + ALTERNATE.length + alternate.length + END_IMAGE.length;
      if (!body.fits(size, length, count)) {
        break;
      }
      ids[count] = pieces[0];
      names[count] = pieces[1];
      size += length;
    }
    byte[] pageLinks = pageLinks(page, count, links, path, params, limit);
    if (pageLinks != null) {
      size += pageLinks.length - 1;
    }
    // An exact-size page (one array, filled by copies, when it is not streamed).
    body.start(size);
    body.write(IMAGES);
    for (int n = 0; n < count; n++) {
      if (n > 0) {
        body.write((byte) ',');
      }
      body.write(ID);
      body.write((byte) '"');
      body.write(ids[n]);
      body.write((byte) '"');
      body.write(NAME);
      body.write(names[n]);
      body.write(SELF);
      body.write(self);
      body.write(ids[n]);
      body.write(BOOKMARK);
      body.write(bookmark);
      body.write(ids[n]);
      body.write(ALTERNATE);
      body.write(alternate);
      body.write(ids[n]);
      body.write(END_IMAGE);
    }
    close(body, pageLinks);
  }

  /** Per image version: its id's JSON string content and its name's JSON value (or null). */
  private static final IdentityCache<Image, byte[][]> PIECES =
      new IdentityCache<>(
          32_768,
          image ->
              new byte[][] {
                inner(image.id()),
                image.name() == null ? NULL : quoted(inner(image.name()))
              });

  private static byte[] quoted(byte[] inner) {
    byte[] out = new byte[inner.length + 2];
    out[0] = '"';
    System.arraycopy(inner, 0, out, 1, inner.length);
    out[out.length - 1] = '"';
    return out;
  }

  /**
   * A JSON string's bytes without its quotes, escaped as the generator escapes: Jackson's encoder
   * shares its table, but the generator writes characters above U+FFFF as two {@code \\u} escapes,
   * so those strings go through the generator itself.
   */
  private static byte[] inner(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        byte[] quoted = Json.bytes(g -> g.writeString(s));
        return java.util.Arrays.copyOfRange(quoted, 1, quoted.length - 1);
      }
    }
    return JsonStringEncoder.getInstance().quoteAsUTF8(s);
  }


  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  static byte[] show(Image image, NovaLinks links) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeFieldName("image");
          detail(g, image, links);
          g.writeEndObject();
        });
  }

  /** {@code {"metadata": {...}}} in the given order. */
  static byte[] metadata(Map<String, String> metadata) {
    return entries("metadata", metadata);
  }

  /** {@code {"meta": {key: value}}}. */
  static byte[] meta(Map<String, String> meta) {
    return entries("meta", meta);
  }

  private static byte[] entries(String field, Map<String, String> entries) {
    return Json.bytes(
        g -> {
          g.writeStartObject();
          g.writeObjectFieldStart(field);
          for (Map.Entry<String, String> e : entries.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeEndObject();
        });
  }

  private static void basic(JsonGenerator g, Image image, NovaLinks links) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", image.id());
    g.writeStringField("name", image.name());
    imageLinks(g, image, links);
    g.writeEndObject();
  }

  private static void detail(JsonGenerator g, Image image, NovaLinks links) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", image.id());
    g.writeStringField("name", image.name());
    g.writeNumberField("minRam", image.minRam());
    g.writeNumberField("minDisk", image.minDisk());
    g.writeObjectFieldStart("metadata");
    for (Map.Entry<String, String> p : Stores.visible(image.properties()).entrySet()) {
      g.writeFieldName(p.getKey());
      writeProperty(g, p.getKey(), p.getValue());
    }
    g.writeEndObject();
    g.writeStringField("created", time(image.createdAt()));
    g.writeStringField("updated", time(image.updatedAt()));
    NovaStatus status = image.deleted() ? NovaStatus.DELETED : NovaStatus.of(image.status());
    g.writeStringField("status", status.name());
    g.writeNumberField("progress", image.deleted() ? 0 : NovaStatus.progress(image.status()));
    g.writeNumberField("OS-EXT-IMG-SIZE:size", image.size() == null ? 0 : image.size());
    imageLinks(g, image, links);
    String server = image.properties().get("instance_uuid");
    if (server != null) {
      g.writeObjectFieldStart("server");
      g.writeStringField("id", server);
      g.writeArrayFieldStart("links");
      link(g, "self", links.self("servers", server), null);
      link(g, "bookmark", links.bookmark("servers", server), null);
      g.writeEndArray();
      g.writeEndObject();
    }
    String diskConfig = image.properties().get("auto_disk_config");
    if (diskConfig != null) {
      boolean auto = TRUE.contains(diskConfig.trim().toLowerCase(Locale.ROOT));
      g.writeStringField("OS-DCF:diskConfig", auto ? "AUTO" : "MANUAL");
    }
    g.writeEndObject();
  }

  private static void writeProperty(JsonGenerator g, String key, String value) throws IOException {
    if (JSON_PROPERTIES.contains(key)) {
      try {
        JsonNode decoded = Json.MAPPER.readTree(value);
        if (decoded != null && (decoded.isArray() || decoded.isObject())) {
          Json.MAPPER.writeTree(g, decoded);
          return;
        }
      } catch (IOException notJson) {
        // shown as the string it is
      }
    }
    g.writeString(value);
  }

  private static void imageLinks(JsonGenerator g, Image image, NovaLinks links)
      throws IOException {
    g.writeArrayFieldStart("links");
    link(g, "self", links.self("images", image.id()), null);
    link(g, "bookmark", links.bookmark("images", image.id()), null);
    link(g, "alternate", links.alternate(image.id()), IMAGE_TYPE);
    g.writeEndArray();
  }

  private static void pageLink(JsonGenerator g, String rel, String href) throws IOException {
    link(g, rel, href, null);
  }

  private static void link(JsonGenerator g, String rel, String href, String type)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("rel", rel);
    if (type != null) {
      g.writeStringField("type", type);
    }
    g.writeStringField("href", href);
    g.writeEndObject();
  }

  static String time(Instant t) {
    return TIME.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
