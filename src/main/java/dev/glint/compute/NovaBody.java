package dev.glint.compute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.error.WebobException;
import dev.glint.http.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

/**
 * Request bodies as Nova's WSGI stack takes them: oslo's size limit (114688 bytes, a webob 413),
 * the Content-Type check (415 {@code Unsupported Content-Type}) and JSON parsing (400 {@code
 * Malformed request body}).
 */
final class NovaBody {
  /** oslo.middleware's {@code max_request_body_size}. */
  static final int MAX_BYTES = 114_688;

  private static final Set<String> JSON_TYPES =
      Set.of("application/json", "application/vnd.openstack.compute+json");

  private NovaBody() {}

  /**
   * Refuses a declared body over the limit before anything else runs, as oslo's sizelimit
   * middleware sits ahead of authentication and routing.
   */
  static void checkDeclaredSize(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BYTES) {
      throw tooLarge("Request is too large. Larger than max_request_body_size (" + MAX_BYTES + ").");
    }
  }

  /**
   * Nova checks the request's Content-Type on every call, bodies or not: absent or {@code
   * text/plain} count as none, JSON types pass, anything else is a 415.
   */
  static void checkContentType(Context ctx) {
    String header = ctx.header("Content-Type");
    if (header == null) {
      return;
    }
    String type = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type.isEmpty() || type.equals("text/plain") || JSON_TYPES.contains(type)) {
      return;
    }
    throw new ApiException(ErrorCode.BAD_MEDIA_TYPE, "Unsupported Content-Type");
  }

  /**
   * The JSON body of a POST or PUT; null for an empty body (which then fails schema validation
   * with Nova's {@code None is not of type 'object'}).
   */
  static JsonNode read(Context ctx) {
    byte[] bytes = readBounded(ctx);
    if (bytes.length == 0) {
      return null;
    }
    if (dev.glint.http.InputGuard.jsonHasNul(bytes)) {
      throw ApiException.badRequest("Invalid input: the request body contains a NUL character.");
    }
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Malformed request body");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Chunked bodies carry no length up front; oslo stops reading them past the limit. */
  private static byte[] readBounded(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw tooLarge("Request is too large. Larger than " + MAX_BYTES + ".");
      }
      return bytes;
    } catch (IOException e) {
      throw ApiException.badRequest("Malformed request body");
    }
  }

  private static WebobException tooLarge(String message) {
    return new WebobException(ErrorCode.OVER_LIMIT, message);
  }
}
