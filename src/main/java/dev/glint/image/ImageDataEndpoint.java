package dev.glint.image;

import dev.glint.catalog.CatalogService.ImageDataStream;
import dev.glint.catalog.CatalogService;
import dev.glint.error.ApiException;
import dev.glint.error.DetailedApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /v2/images/{id}/file}: uploads stream from the request to the blob store (never through
 * {@code ctx.body()}, whose size limit is for JSON bodies), downloads stream from the blob store,
 * whole or one byte range.
 */
final class ImageDataEndpoint {
  private static final int CHUNK = 64 * 1024;
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final CatalogService catalog;
  private final UploadSlots slots;

  ImageDataEndpoint(CatalogService catalog, UploadSlots slots) {
    this.catalog = catalog;
    this.slots = slots;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.put(prefix + "/images/{image_id}/file", this::upload);
    routes.get(prefix + "/images/{image_id}/file", this::download);
  }

  private void upload(Context ctx) throws IOException {
    String type = ctx.header("Content-Type");
    String media = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!"application/octet-stream".equals(media)) {
      throw new ApiException(
          ErrorCode.BAD_MEDIA_TYPE, "Invalid content type " + (type == null ? "None" : media));
    }
    try (UploadSlots.Slot slot = slots.take(ctx, ImageScope.of(ctx).projectId())) {
      catalog.upload(
          ImageScope.of(ctx),
          ImagesEndpoint.id(ctx),
          ctx.req().getInputStream(),
          ctx.header("X-Image-Meta-Store"));
    }
    Responses.noContent(ctx, null);
  }

  private void download(Context ctx) throws IOException {
    Optional<ImageDataStream> data = catalog.download(ImageScope.of(ctx), ImagesEndpoint.id(ctx));
    if (data.isEmpty()) {
      Responses.noContent(ctx, null);
      return;
    }
    try (ImageDataStream stream = data.get()) {
      long size = stream.channel().size();
      long[] range = range(ctx, size);
      long start = range == null ? 0 : range[0];
      long end = range == null ? size - 1 : range[1];
      long length = end - start + 1;
      ctx.status(range == null ? 200 : 206);
      ctx.res().setContentType("application/octet-stream");
      ctx.header("Content-Length", Long.toString(length));
      // Hex, not RFC 1864's base64: Glance sends the checksum as is, and clients (openstacksdk,
      // glanceclient) compare this header with the hex md5 of what they received.
      if (stream.image().checksum() != null) {
        ctx.header("Content-MD5", stream.image().checksum());
      }
      if (range != null) {
        ctx.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
      }
      OutputStream out = ctx.res().getOutputStream();
      stream.channel().position(start);
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      long left = length;
      while (left > 0) {
        buf.clear().limit((int) Math.min(CHUNK, left));
        int n = stream.channel().read(buf);
        if (n < 0) {
          break;
        }
        out.write(buf.array(), 0, n);
        left -= n;
      }
      out.flush();
    }
  }

  /**
   * The one range asked for by {@code Range: bytes=a-b | a- | -n} (or a legacy {@code
   * Content-Range: bytes a-b/n} request header), clipped to the data, or null for all of it.
   */
  static long[] range(Context ctx, long size) {
    String header = ctx.header("Range");
    if (header != null) {
      if (header.contains(",")) {
        throw ApiException.badRequest(
            "Requests with multiple ranges are not supported in Glance. You may make multiple"
                + " single-range requests instead.");
      }
      Matcher m = RANGE.matcher(header.strip());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        throw unsatisfiable("Invalid Range header.");
      }
      long start;
      long end;
      if (m.group(1).isEmpty()) {
        long suffix = parse(m.group(2));
        if (suffix == 0) {
          throw unsatisfiable("Invalid Range header.");
        }
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = parse(m.group(1));
        end = m.group(2).isEmpty() ? size - 1 : Math.min(parse(m.group(2)), size - 1);
        if (end < start && start < size) {
          throw unsatisfiable("Invalid Range header.");
        }
      }
      return checkStart(start, end, size);
    }
    String legacy = ctx.header("Content-Range");
    if (legacy != null) {
      Matcher m = CONTENT_RANGE.matcher(legacy.strip());
      if (!m.matches()) {
        throw unsatisfiable("Invalid Range header.");
      }
      long start = parse(m.group(1));
      long end = Math.min(parse(m.group(2)), size - 1);
      if (parse(m.group(2)) < start) {
        throw unsatisfiable("Invalid Range header.");
      }
      return checkStart(start, end, size);
    }
    return null;
  }

  private static long[] checkStart(long start, long end, long size) {
    if (start >= size) {
      throw unsatisfiable(
          "Invalid start position in Range header. Start position MUST be in the inclusive range"
              + " [0, "
              + (size - 1)
              + "].");
    }
    return new long[] {start, end};
  }

  private static long parse(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw unsatisfiable("Invalid Range header.");
    }
  }

  private static ApiException unsatisfiable(String detail) {
    return new DetailedApiException(
        ErrorCode.RANGE_NOT_SATISFIABLE, "The Range requested is not available.", detail);
  }
}
