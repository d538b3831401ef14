package dev.glint.compute;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.catalog.Image;
import dev.glint.catalog.ListRun;
import dev.glint.catalog.Stores;
import dev.glint.catalog.Page;
import dev.glint.http.Json;
import dev.glint.http.PageBody;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import dev.glint.http.IdentityCache;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

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
    byte[] pageLinks =
        pageLinks(items.size(), count, n -> items.get(n).id(), page.previousMarker(), links, path,
            params, limit);
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
   * page shows the first {@code count} of its {@code size} items: fewer than it has when the byte
   * budget ended it early, which gives it a next link as a full page has.
   *
   * @param idAt the id of the page's n-th item
   * @param previousMarker the previous page's marker ("" for the first page), or null for none
   */
  private static byte[] pageLinks(
      int size,
      int count,
      IntFunction<String> idAt,
      String previousMarker,
      NovaLinks links,
      String path,
      Map<String, String> params,
      int limit) {
    boolean next = count > 0 && (count == limit || count < size);
    boolean previous = previousMarker != null;
    if (!next && !previous) {
      return null;
    }
    return linksObject(
        next ? inner(links.page(path, params, idAt.apply(count - 1))) : null,
        previous ? inner(links.page(path, params, previousMarker)) : null);
  }

  /**
   * {@code {"images_links":[{"rel":"next","href":..},{"rel":"previous","href":..}]}} as the
   * generator writes it, from the hrefs' JSON string content (either may be null, not both).
   */
  private static byte[] linksObject(byte[] nextHref, byte[] previousHref) {
    return linksObject(0, nextHref, NONE, previousHref, NONE);
  }

  /**
   * As {@link #linksObject(byte[], byte[])}, each href in two pieces (its text up to the marker,
   * then the marker), after {@code lead} bytes left for the caller.
   */
  private static byte[] linksObject(
      int lead, byte[] nextHref, byte[] nextMarker, byte[] previousHref, byte[] previousMarker) {
    int length = lead + IMAGES_LINKS.length + 2
        + (nextHref != null
            ? NEXT.length + nextHref.length + nextMarker.length + END_LINK.length : 0)
        + (previousHref != null
            ? PREVIOUS.length + previousHref.length + previousMarker.length + END_LINK.length : 0)
        + (nextHref != null && previousHref != null ? 1 : 0);
    byte[] out = new byte[length];
    int at = put(out, lead, IMAGES_LINKS);
    if (nextHref != null) {
      at = put(out, at, NEXT);
      at = put(out, at, nextHref);
      at = put(out, at, nextMarker);
      at = put(out, at, END_LINK);
    }
    if (previousHref != null) {
      if (nextHref != null) {
        out[at++] = ',';
      }
      at = put(out, at, PREVIOUS);
      at = put(out, at, previousHref);
      at = put(out, at, previousMarker);
      at = put(out, at, END_LINK);
    }
    out[at++] = ']';
    out[at] = '}';
    return out;
  }

  private static final byte[] NONE = new byte[0];
  private static final byte[] IMAGES_LINKS = ascii("{\"images_links\":[");
  private static final byte[] NEXT = ascii("{\"rel\":\"next\",\"href\":\"");
  private static final byte[] PREVIOUS = ascii("{\"rel\":\"previous\",\"href\":\"");
  private static final byte[] END_LINK = ascii("\"}");

  private static int put(byte[] out, int at, byte[] piece) {
    System.arraycopy(piece, 0, out, at, piece.length);
    return at + piece.length;
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
  /** Where an item's id starts in a chunk's item, past its comma, {@link #ID} and the quote. */
  static final int ITEM_ID_AT = 1 + ID.length + 1;
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
    List<Image> items = page.items();
    summaries(body, items.size(), n -> PIECES.get(items.get(n)), n -> items.get(n).id(),
        page.previousMarker(), links, path, params, limit);
  }

  /**
   * A summary page sliced from a list's run, out of the items {@code chunks} keeps rendered, as
   * the parts to send one after the other: its opening, the items' bytes in each chunk it spans,
   * and its end with the paging links. The same bytes as the page of the same images written from
   * them ({@code ComputeListLaneTest} holds the two equal). Null when an item is one only its
   * image renders (a name with a lone surrogate) or the page would pass {@code budget} bytes.
   */
  static ByteBuffer[] slice(
      SummaryChunks chunks,
      ListRun run,
      ListRun.Slice slice,
      NovaLinks links,
      String path,
      ComputeListLane.Pager pager,
      long budget) {
    int count = slice.count();
    SummaryChunks.Chunks rendered = chunks.of(run, links);
    int spans = count == 0 ? 0 : (slice.to() - 1) / SummaryChunks.SIZE
        - slice.from() / SummaryChunks.SIZE + 1;
    ByteBuffer[] parts = new ByteBuffer[spans + 2];
    parts[0] = ByteBuffer.wrap(IMAGES);
    long size = IMAGES.length + 2;
    int next = slice.from();
    SummaryChunks.Chunk last = null;
    for (int k = 0; k < spans; k++) {
      SummaryChunks.Chunk c = rendered.at(next);
      if (c == null) {
        return null;
      }
      int a = c.offsets()[next - c.first()] + (k == 0 ? 1 : 0); // the first item has no comma
      int b = c.offsets()[Math.min(slice.to(), c.next()) - c.first()];
      parts[k + 1] = ByteBuffer.wrap(c.bytes(), a, b - a);
      size += b - a;
      next = c.next();
      last = c;
    }
    if (size > budget) {
      return null; // the walk's page ends early within the budget
    }
    parts[spans + 1] = ByteBuffer.wrap(end(rendered, last, run, slice, links, path, pager));
    return parts;
  }

  /**
   * A sliced page's end, {@code ]} then its paging links and {@code }}, as {@link #pageLinks}
   * writes them. The links' text up to the marker is kept per list and limit; a marker that
   * neither form- nor JSON-encoding changes is copied from its item's rendered bytes (the page's
   * last chunk, {@code last}, or the previous page's when rendered; from the index's longs when
   * that one is not and the id is a UUID) into the one array this returns. Other markers take
   * {@link #pageLinks}.
   */
  private static byte[] end(
      SummaryChunks.Chunks rendered,
      SummaryChunks.Chunk last,
      ListRun run,
      ListRun.Slice slice,
      NovaLinks links,
      String path,
      ComputeListLane.Pager pager) {
    int count = slice.count();
    int limit = pager.limit();
    int nextAt = count > 0 && count == limit ? slice.to() - 1 : -1;
    int previousAt = slice.previousAt();
    if (nextAt < 0 && previousAt == ListRun.Slice.NONE) {
      return new byte[] {']', '}'};
    }
    // An item's bytes give the marker whenever the index's longs could (a UUID is all kept
    // characters), so the longs are read only for a previous page not rendered yet.
    byte[] next = nextAt < 0 ? null : last.marker(nextAt);
    byte[] previous = null;
    if (previousAt >= 0) {
      SummaryChunks.Chunk before = rendered.rendered(previousAt);
      previous = before != null ? before.marker(previousAt) : run.uuidAscii(previousAt);
    }
    if ((nextAt >= 0 && next == null) || previousAt == ListRun.Slice.FIRST
        || (previousAt >= 0 && previous == null)) {
      byte[] object = pageLinks(count, count, n -> run.id(slice.from() + n), run.previous(slice),
          links, path, pager.params(), limit);
      byte[] end = new byte[object.length + 1];
      end[0] = ']';
      System.arraycopy(object, 0, end, 1, object.length);
      end[1] = ','; // the links object's opening brace becomes the comma after the array
      return end;
    }
    byte[] href = rendered.href(path, pager.limitText());
    byte[] out = linksObject(1, next == null ? null : href, next,
        previous == null ? null : href, previous);
    out[0] = ']';
    out[1] = ','; // the links object's opening brace becomes the comma after the array
    return out;
  }

  /**
   * Items {@code [from, to)} of a run as a summary list writes them for these links, each after a
   * comma; null when one is an item only its image renders (a name with a lone surrogate).
   */
  static SummaryChunks.Chunk summaryItems(ListRun run, int from, int to, NovaLinks links) {
    byte[] self = inner(links.self("images", ""));
    byte[] bookmark = inner(links.bookmark("images", ""));
    byte[] alternate = inner(links.alternate(""));
    PageBody out = PageBody.inMemory();
    byte[][] ids = new byte[to - from][];
    byte[][] names = new byte[to - from][];
    int[] offsets = new int[to - from + 1];
    long size = 0;
    for (int n = 0; n < ids.length; n++) {
      names[n] = namePiece(run.name(from + n));
      if (names[n] == null) {
        return null;
      }
      ids[n] = idPiece(run.id(from + n));
      offsets[n] = (int) size;
      size += 1 + itemLength(ids[n], names[n], self, bookmark, alternate);
    }
    offsets[ids.length] = (int) size;
    out.start(size);
    for (int n = 0; n < ids.length; n++) {
      out.write((byte) ',');
      item(out, ids[n], names[n], self, bookmark, alternate);
    }
    return new SummaryChunks.Chunk(from, out.bytes(), offsets);
  }

  /**
   * The summary list from each image's pieces: its id's JSON string content and its name's JSON
   * value.
   */
  private static void summaries(
      PageBody body,
      int size,
      IntFunction<byte[][]> piecesAt,
      IntFunction<String> idAt,
      String previousMarker,
      NovaLinks links,
      String path,
      Map<String, String> params,
      int limit) {
    byte[] self = inner(links.self("images", ""));
    byte[] bookmark = inner(links.bookmark("images", ""));
    byte[] alternate = inner(links.alternate(""));
    byte[][] ids = new byte[size][];
    byte[][] names = new byte[size][];
    long total = IMAGES.length + 2;
    int count = 0;
    for (; count < size; count++) {
      byte[][] pieces = piecesAt.apply(count);
      int length =
          (count > 0 ? 1 : 0) + itemLength(pieces[0], pieces[1], self, bookmark, alternate);
      if (!body.fits(total, length, count)) {
        break;
      }
      ids[count] = pieces[0];
      names[count] = pieces[1];
      total += length;
    }
    byte[] pageLinks =
        pageLinks(size, count, idAt, previousMarker, links, path, params, limit);
    if (pageLinks != null) {
      total += pageLinks.length - 1;
    }
    // An exact-size page (one array, filled by copies, when it is not streamed).
    body.start(total);
    body.write(IMAGES);
    for (int n = 0; n < count; n++) {
      if (n > 0) {
        body.write((byte) ',');
      }
      item(body, ids[n], names[n], self, bookmark, alternate);
    }
    close(body, pageLinks);
  }

  /** How many bytes {@link #item} writes for these pieces (the id stands four times). */
  private static int itemLength(
      byte[] id, byte[] name, byte[] self, byte[] bookmark, byte[] alternate) {
    return ID.length + id.length * 4 + 2 + NAME.length + name.length + SELF.length + self.length
        + BOOKMARK.length + bookmark.length + ALTERNATE.length + alternate.length + END_IMAGE.length;
  }

  /** One summary item: {@code {"id":..,"name":..,"links":[self, bookmark, alternate]}}. */
  private static void item(
      PageBody body, byte[] id, byte[] name, byte[] self, byte[] bookmark, byte[] alternate) {
    body.write(ID);
    body.write((byte) '"');
    body.write(id);
    body.write((byte) '"');
    body.write(NAME);
    body.write(name);
    body.write(SELF);
    body.write(self);
    body.write(id);
    body.write(BOOKMARK);
    body.write(bookmark);
    body.write(id);
    body.write(ALTERNATE);
    body.write(alternate);
    body.write(id);
    body.write(END_IMAGE);
  }

  /** An id's JSON string content: its own bytes when nothing in it is escaped (a UUID's never). */
  private static byte[] idPiece(String id) {
    for (int i = 0; i < id.length(); i++) {
      char ch = id.charAt(i);
      if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
        return inner(id);
      }
    }
    return id.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /**
   * A name's JSON value from its UTF-8: the bytes themselves, quoted, when the encoder would
   * escape none of them (it escapes control characters, quote and backslash, and the generator
   * writes a character above U+FFFF as two escapes); else decoded and encoded. Null for WTF-8 (a
   * lone surrogate), which only the image's own string renders.
   */
  private static byte[] namePiece(byte[] utf8) {
    if (utf8 == null) {
      return NULL;
    }
    boolean escaped = false;
    for (int i = 0; i < utf8.length; i++) {
      int b = utf8[i] & 0xff;
      if (b == 0xed && i + 1 < utf8.length && (utf8[i + 1] & 0xff) >= 0xa0) {
        return null; // a surrogate's three bytes, wherever they stand
      }
      escaped |= b < 0x20 || b == '"' || b == '\\' || b >= 0xf0;
    }
    return escaped
        ? quoted(inner(new String(utf8, java.nio.charset.StandardCharsets.UTF_8)))
        : quoted(utf8);
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
  static byte[] inner(String s) {
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
