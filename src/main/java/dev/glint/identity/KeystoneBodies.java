package dev.glint.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import io.javalin.http.Context;
import java.util.Locale;

/** Keystone's JSON body rule ({@code request_processing/json_body.py}). */
final class KeystoneBodies {
  private KeystoneBodies() {}

  /**
   * The request body as a JSON object; an empty body reads as {@code {}}. A non-JSON Content-Type
   * or a body that is not a JSON object is a 400 with Keystone's text.
   */
  static JsonNode object(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    String type = ctx.contentType();
    if (type != null && !type.isBlank()) {
      String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      boolean json =
          mime.equals("application/json")
              || (mime.startsWith("application/") && mime.endsWith("+json"));
      if (!json) {
        throw KeystoneErrors.expecting("application/json", "Content-Type header");
      }
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw KeystoneErrors.expecting("valid JSON", "request body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw KeystoneErrors.expecting("valid JSON", "request body");
    } catch (java.io.IOException e) {
      throw KeystoneErrors.expecting("valid JSON", "request body");
    }
  }
}
