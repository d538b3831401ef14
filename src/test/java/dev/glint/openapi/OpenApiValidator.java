package dev.glint.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks one exchange against a listener's OpenAPI 3.1 description the way a contract validator
 * does: the path must match one of the document's path templates (concrete segments before
 * templated ones), the method must be an operation there, the status a declared response, the
 * content type one of that response's media types, and a JSON body must validate against its
 * schema (networknt json-schema-validator with the OpenAPI 3.1 dialect, i.e. JSON Schema 2020-12).
 *
 * <p>Rules the document states once instead of on every path: {@code x-glint-every-operation}
 * lists statuses any operation may answer (500, 503); in {@code x-glint-unrouted}, a path no
 * template matches answers {@code unknownPath} and a method a described path does not list answers
 * {@code otherMethod}; HEAD on a path with GET but no HEAD is that GET without a body (HTTP).
 */
final class OpenApiValidator {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String BASE = "https://glint.invalid/openapi/";

  private final String listener;
  private final JsonNode doc;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  record Result(String template, List<String> problems) {}

  private OpenApiValidator(String listener, JsonNode doc) {
    this.listener = listener;
    this.doc = doc;
    String text = doc.toString();
    this.registry =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE + listener + ".json", text)));
  }

  static OpenApiValidator forListener(String listener) {
    return of(listener, JSON.readTree(OpenApiEndpoint.document(listener, null).toString()));
  }

  static OpenApiValidator of(String listener, JsonNode doc) {
    return new OpenApiValidator(listener, doc);
  }

  JsonNode document() {
    return doc;
  }

  Result validate(Exchange e) {
    List<String> problems = new ArrayList<>();
    // The request's own path, trailing slash kept: where Javalin matched a route it says which
    // (it ignores one trailing slash); where none matched, the image listener refuses that slash
    // (404) as Glance does, so "/v2/images/" is not "/v2/images".
    String path = e.path();
    String template = null;
    boolean slashUnknown =
        doc.at("/x-glint-unrouted/trailingSlashIsUnknown").asBoolean(false)
            && path.length() > 1
            && path.endsWith("/");
    if (slashUnknown) {
      template = null; // Glance's router: "/v2/images/" is no route, whatever Javalin matched
    } else if (e.route() != null && doc.path("paths").has(normalise(e.route()))) {
      template = normalise(e.route());
    } else if (e.route() != null && !e.route().equals("*")) {
      problems.add("route " + e.route() + " is not described in " + listener + ".yaml");
      return new Result(e.route(), problems);
    } else {
      template = match(path);
    }
    String pointer;
    if (template == null) {
      pointer = "/x-glint-unrouted/unknownPath";
      template = "(unknown path)";
    } else {
      String itemPointer = resolve("/paths/" + escape(template));
      String method = e.method().toLowerCase(Locale.ROOT);
      JsonNode item = at(itemPointer);
      if (item.has(method)) {
        pointer = itemPointer + "/" + method + "/responses";
      } else if (method.equals("head") && item.has("get")) {
        pointer = itemPointer + "/get/responses";
      } else {
        pointer = "/x-glint-unrouted/otherMethod";
      }
    }
    JsonNode responses = at(pointer);
    if (responses.isMissingNode()) {
      problems.add("no responses at " + pointer);
      return new Result(template, problems);
    }
    String status = Integer.toString(e.status());
    String key =
        responses.has(status) ? status
            : responses.has(status.charAt(0) + "XX") ? status.charAt(0) + "XX"
            : responses.has("default") ? "default" : null;
    if (key == null && at("/x-glint-every-operation").has(status)) {
      responses = at("/x-glint-every-operation");
      pointer = "/x-glint-every-operation";
      key = status;
    }
    if (key == null) {
      problems.add("status " + status + " is not declared at " + pointer);
      return new Result(template, problems);
    }
    String responsePointer = resolve(pointer + "/" + escape(key));
    JsonNode headers = at(responsePointer + "/headers");
    for (String name : headers.propertyNames()) {
      JsonNode header = at(resolve(responsePointer + "/headers/" + escape(name)));
      if (header.path("required").asBoolean(false) && e.header(name) == null) {
        problems.add("no " + name + " header, which " + responsePointer + " requires");
      }
    }
    JsonNode content = at(responsePointer + "/content");
    boolean head = e.method().equals("HEAD");
    if (content.isMissingNode() || content.isEmpty()) {
      if (!head && e.body() != null && e.body().length > 0) {
        problems.add("a body, where " + responsePointer + " declares none");
      }
      return new Result(template, problems);
    }
    if (head || e.body() == null) {
      return new Result(template, problems);
    }
    String media = mediaType(e.contentType());
    String mediaKey = null;
    for (Iterator<String> it = content.propertyNames().iterator(); it.hasNext(); ) {
      String k = it.next();
      if (mediaType(k).equals(media)) {
        mediaKey = k;
      }
    }
    if (mediaKey == null) {
      problems.add("content type " + e.contentType() + " is not one of " + content.propertyNames()
          + " at " + responsePointer);
      return new Result(template, problems);
    }
    String schemaPointer = responsePointer + "/content/" + escape(mediaKey) + "/schema";
    if (at(schemaPointer).isMissingNode()) {
      return new Result(template, problems);
    }
    if (media.equals("application/json") || media.endsWith("+json")) {
      JsonNode body;
      try {
        body = JSON.readTree(decode(e.body(), e.contentEncoding()));
      } catch (RuntimeException | IOException bad) {
        problems.add("body is not JSON: " + bad.getMessage());
        return new Result(template, problems);
      }
      Schema schema =
          schemas.computeIfAbsent(
              schemaPointer,
              p -> registry.getSchema(SchemaLocation.of(BASE + listener + ".json#" + p)));
      for (Error error : schema.validate(body)) {
        problems.add("schema " + schemaPointer + ": " + error);
      }
    }
    return new Result(template, problems);
  }

  /** Follows {@code $ref}s ("#/…" only) from the node at {@code pointer}; returns the pointer. */
  String resolve(String pointer) {
    String p = pointer;
    for (int i = 0; i < 10; i++) {
      JsonNode ref = at(p).path("$ref");
      if (!ref.isString()) {
        return p;
      }
      String r = ref.asString();
      if (!r.startsWith("#/")) {
        throw new IllegalStateException("only local $ref supported: " + r);
      }
      p = r.substring(1);
    }
    throw new IllegalStateException("$ref loop at " + pointer);
  }

  private JsonNode at(String pointer) {
    return doc.at(pointer);
  }

  /**
   * The document's template for {@code path}: a concrete match first, else the template with the
   * most literal segments (on a tie, the one whose first parameter comes last), as OpenAPI says.
   */
  String match(String path) {
    if (doc.path("paths").has(path)) {
      return path;
    }
    String[] segs = split(path);
    String best = null;
    int bestLiterals = -1;
    int bestFirstParam = -1;
    for (String t : doc.path("paths").propertyNames()) {
      String[] ts = split(t);
      if (ts.length != segs.length) {
        continue;
      }
      int literals = 0;
      int firstParam = ts.length;
      boolean ok = true;
      for (int i = 0; i < ts.length && ok; i++) {
        if (ts[i].startsWith("{") && ts[i].endsWith("}")) {
          ok = !segs[i].isEmpty();
          firstParam = Math.min(firstParam, i);
        } else {
          ok = ts[i].equals(segs[i]);
          literals++;
        }
      }
      if (ok && (literals > bestLiterals || (literals == bestLiterals && firstParam > bestFirstParam))) {
        best = t;
        bestLiterals = literals;
        bestFirstParam = firstParam;
      }
    }
    return best;
  }

  private static String[] split(String path) {
    return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
  }

  /** Javalin ignores one trailing slash, so the document lists paths without it. */
  static String normalise(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  static String mediaType(String contentType) {
    return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }

  private static byte[] decode(byte[] body, String encoding) throws IOException {
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return body;
    }
    try (InputStream in =
        encoding.equalsIgnoreCase("gzip")
            ? new GZIPInputStream(new ByteArrayInputStream(body))
            : new InflaterInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
