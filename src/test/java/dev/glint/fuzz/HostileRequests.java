package dev.glint.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded generator of hostile HTTP requests over every route of the three listeners: valid and
 * invalid tokens, bad and huge parameters, unicode and control characters, NUL, malformed JSON and
 * JSON patch, wrong content types, oversized and deeply nested bodies, odd methods, broken
 * framing. Request {@code i} of seed {@code s} is always the same bytes, whatever thread sends it.
 */
final class HostileRequests {
  enum Listener {
    IDENTITY,
    IMAGE,
    COMPUTE
  }

  /** What the generator may name: real tokens and ids, so hostile input reaches real handlers. */
  record Targets(
      String fuzzProject,
      String victimProject,
      String fuzzToken,
      String adminToken,
      String expiredToken,
      List<String> fuzzImages,
      List<String> victimImages,
      List<String> userIds,
      List<String> roleIds) {}

  /** One request: its listener, raw bytes, whether it is a HEAD, whether it needs its own connection. */
  record Request(Listener listener, String route, String method, String target, boolean adminToken,
      byte[] bytes, boolean head, boolean fresh) {
    /** The request as text, cut to {@code max} characters, for a failure report. */
    String shown(int max) {
      String s = new String(bytes, StandardCharsets.ISO_8859_1);
      return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " bytes)";
    }
  }

  private record Route(String methods, String path) {}

  private static final List<Route> IMAGE_ROUTES =
      List.of(
          new Route("GET POST", "/v2/images"),
          new Route("GET PATCH DELETE", "/v2/images/{img}"),
          new Route("GET PUT", "/v2/images/{img}/file"),
          new Route("GET POST", "/v2/images/{img}/members"),
          new Route("GET PUT DELETE", "/v2/images/{img}/members/{project}"),
          new Route("PUT DELETE", "/v2/images/{img}/tags/{s}"),
          new Route("POST", "/v2/images/{img}/actions/deactivate"),
          new Route("POST", "/v2/images/{img}/actions/reactivate"),
          new Route("POST", "/v2/images/{img}/actions/{s}"),
          new Route("GET", "/v2/schemas/image"),
          new Route("GET", "/v2/schemas/images"),
          new Route("GET", "/v2/schemas/member"),
          new Route("GET", "/v2/schemas/{s}"),
          new Route("GET", "/"),
          new Route("GET", "/versions"),
          new Route("GET", "/{project}/images/{img}"),
          new Route("GET", "/{s}"),
          new Route("GET POST", "/v2/metadefs/namespaces"),
          new Route("GET", "/v2/metadefs/resource_types"),
          new Route("GET PUT DELETE", "/v2/metadefs/namespaces/{ns}"),
          new Route("GET POST DELETE", "/v2/metadefs/namespaces/{ns}/{mdkind}"),
          new Route("GET PUT POST DELETE", "/v2/metadefs/namespaces/{ns}/{mdkind}/{s}"),
          new Route("GET POST", "/v2/metadefs/namespaces/{ns}/resource_types"),
          new Route("DELETE", "/v2/metadefs/namespaces/{ns}/resource_types/{s}"));

  private static final List<Route> COMPUTE_ROUTES =
      List.of(
          new Route("GET", "/"),
          new Route("GET", "/v2"),
          new Route("GET", "/v2.1"),
          new Route("GET POST", "{prefix}/images"),
          new Route("GET", "{prefix}/images/detail"),
          new Route("GET DELETE PUT", "{prefix}/images/{img}"),
          new Route("GET POST PUT", "{prefix}/images/{img}/metadata"),
          new Route("GET PUT DELETE", "{prefix}/images/{img}/metadata/{s}"),
          new Route("GET", "{prefix}/{s}"));

  private static final List<Route> IDENTITY_ROUTES =
      List.of(
          new Route("GET", "/"),
          new Route("GET", "/v3"),
          new Route("GET", "/v2.0"),
          new Route("POST GET HEAD DELETE", "/v3/auth/tokens"),
          new Route("GET", "/v3/auth/catalog"),
          new Route("GET", "/v3/auth/projects"),
          new Route("GET", "/v3/domains"),
          new Route("GET", "/v3/domains/{s}"),
          new Route("GET POST", "/v3/projects"),
          new Route("GET PATCH DELETE", "/v3/projects/{project}"),
          new Route("GET POST", "/v3/users"),
          new Route("GET PATCH DELETE", "/v3/users/{user}"),
          new Route("GET", "/v3/users/{user}/projects"),
          new Route("POST", "/v3/users/{user}/password"),
          new Route("GET POST", "/v3/roles"),
          new Route("GET PATCH DELETE", "/v3/roles/{role}"),
          new Route("GET PUT HEAD DELETE", "/v3/projects/{project}/users/{user}/roles/{role}"),
          new Route("GET", "/v3/projects/{project}/users/{user}/roles"),
          new Route("GET", "/v3/role_assignments"),
          new Route("GET", "/v3/services"),
          new Route("GET", "/v3/services/{s}"),
          new Route("GET", "/v3/endpoints"),
          new Route("GET", "/v3/endpoints/{s}"),
          new Route("GET", "/v3/regions"),
          new Route("GET", "/v3/regions/{s}"),
          new Route("POST", "/v2.0/tokens"),
          new Route("GET", "/v2.0/tokens/{s}"),
          new Route("GET", "/v2.0/tenants"));

  private static final String[] ODD_METHODS = {
    "FOO", "PROPFIND", "TRACE", "OPTIONS", "MKCOL", "get", "PATCH", "HEAD", "CONNECT", "BREW",
    "X".repeat(300)
  };

  private static final String[] STRINGS = {
    "", " ", "..", ".", "%", "%ZZ", "%00", "a%00b", "%2F", "%2e%2e", "%0d%0aX-Injected:%201",
    "-1", "0", "99999999999999999999999", "1e309", "NaN", "null", "true", "[]", "{}",
    "' OR 1=1 --", "\"; DROP TABLE images; --", "<script>alert(1)</script>", "${jndi:ldap://x}",
    "ü漢字😀", "\u202e\u200b", "\uFEFF", "\u0001\u0002\u007f", "a\tb", "\\", "*", "?", "#",
    "in:a,b", "in:\"a,b", "gt:2020-01-01", "gte:", "neq:x", "lt:+999999-01-01T00:00:00Z",
    "2015-01-24T17:08:00Z", "9999-12-31T23:59:59+14:00", "0000-01-01", "active", "queued",
    "all", "shared", "community", "public", "private", "accepted", "pending", "asc", "desc",
    "name:asc,created_at", "size:up", "x".repeat(300), "y".repeat(5000), "compute 2.93",
    "compute latest", "compute 2.999999999999", "image 2.15"
  };

  private static final String[] QUERY_NAMES = {
    "limit", "marker", "sort", "sort_key", "sort_dir", "name", "status", "visibility",
    "member_status", "tag", "created_at", "updated_at", "changes-since", "type", "server",
    "property-os_distro", "property-", "os_hidden", "protected", "size_min", "size_max", "id",
    "owner", "checksum", "os_hash_value", "minRam", "minDisk", "page_size", "offset",
    "container_format", "disk_format", "nocatalog", "allow_expired", "domain_id", "user.id",
    "scope.project.id", "role.id", "effective", "include_names", "enabled", "x", "ü", ""
  };

  private static final String[] CONTENT_TYPES = {
    "application/json", "application/openstack-images-v2.1-json-patch",
    "application/openstack-images-v2.0-json-patch", "application/octet-stream", "text/plain",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;"
        + " charset=latin1", "json", "*/*", ";;;", "application/json\u0000", ""
  };

  private static final String[] ACCEPTS = {
    "application/json", "text/html", "*/*", "application/xml", "text/plain;q=0.1, */*;q=0",
    "garbage", "application/json;q=abc", ""
  };

  private final long seed;
  private final Targets targets;

  HostileRequests(long seed, Targets targets) {
    this.seed = seed;
    this.targets = targets;
  }

  /** Request number {@code i} of this seed. */
  Request request(long i, int identityPort, int imagePort, int computePort) {
    Random r = new Random(seed * 1_000_003L + i);
    Listener listener = Listener.values()[r.nextInt(3)];
    List<Route> routes =
        switch (listener) {
          case IDENTITY -> IDENTITY_ROUTES;
          case IMAGE -> IMAGE_ROUTES;
          case COMPUTE -> COMPUTE_ROUTES;
        };
    Route route = routes.get(r.nextInt(routes.size()));
    String[] methods = route.methods().split(" ");
    String method =
        r.nextInt(10) == 0 ? pick(r, ODD_METHODS) : methods[r.nextInt(methods.length)];
    String path = fill(r, route.path(), listener);
    String query = query(r, listener);
    String target = path + (query.isEmpty() ? "" : "?" + query);
    int port =
        switch (listener) {
          case IDENTITY -> identityPort;
          case IMAGE -> imagePort;
          case COMPUTE -> computePort;
        };

    List<String> headers = new ArrayList<>();
    headers.add("Host: 127.0.0.1:" + port);
    boolean admin = false;
    int tokenKind = r.nextInt(12);
    String token =
        switch (tokenKind) {
          case 0, 1 -> null;
          case 2, 3, 4, 5 -> targets.fuzzToken();
          case 6 -> {
            // The admin may only read: a fuzzer with admin rights could rightly delete anything.
            boolean read = method.equals("GET") || method.equals("HEAD");
            admin = read;
            yield read ? targets.adminToken() : targets.fuzzToken();
          }
          case 7 -> targets.expiredToken();
          case 8 -> forgedFernet(r);
          case 9 -> "a".repeat(100 + r.nextInt(3) * 20);
          case 10 -> string(r);
          default -> r.nextBoolean() ? "x".repeat(20_000) : targets.fuzzToken() + "x";
        };
    if (token != null) {
      headers.add("X-Auth-Token: " + token);
    }
    if (listener == Listener.IDENTITY && r.nextInt(3) == 0) {
      headers.add("X-Subject-Token: " + pickToken(r));
    }
    if (r.nextInt(3) == 0) {
      headers.add("Accept: " + pick(r, ACCEPTS));
    }
    if (listener == Listener.COMPUTE && r.nextInt(4) == 0) {
      headers.add(
          (r.nextBoolean() ? "OpenStack-API-Version: " : "X-OpenStack-Nova-API-Version: ")
              + pick(r, STRINGS));
    }
    if (route.path().endsWith("/file") && r.nextInt(3) == 0) {
      headers.add("Range: " + pick(r, new String[] {"bytes=0-10", "bytes=-5", "bytes=99999999999-",
          "bytes=a-b", "bytes=5-1", "bytes=0-1,2-3", "items=0-1", "bytes=" + "9".repeat(40) + "-"}));
    }
    if (r.nextInt(20) == 0) {
      headers.add("X-Forwarded-For: " + pick(r, STRINGS));
    }

    byte[] body = new byte[0];
    boolean writes = !method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE");
    if (writes || r.nextInt(15) == 0) {
      body = body(r, listener, route.path(), method);
      String type = contentType(r, route.path(), method);
      if (type != null) {
        headers.add("Content-Type: " + type);
      }
    }

    // Framing: most requests are well framed and keep the connection; some break HTTP itself.
    boolean fresh = false;
    int framing = r.nextInt(40);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String requestLine = method + " " + target + " HTTP/1.1";
    switch (framing) {
      case 0 -> {
        requestLine = method + " " + path + "/" + pick(r, STRINGS) + " HTTP/1.1"; // raw bytes
        fresh = true;
      }
      case 1 -> {
        requestLine = method + " " + target + " " + pick(r, new String[] {"HTTP/1.0", "HTTP/2.0",
            "HTTP/9", "FOO/1.1", ""});
        fresh = true;
      }
      case 2 -> {
        headers.add(pick(r, new String[] {"X-Bad\u0000: 1", "NoColon", " folded: x", ": empty",
            "X-Ctl: a\u0001b", "Content-Length: -1", "Content-Length: abc",
            "Transfer-Encoding: gzip", "Host: " + "h".repeat(9000), "X-Utf8: ü漢"}));
        fresh = true;
      }
      default -> {}
    }
    headers.add("Connection: " + (fresh ? "close" : "keep-alive"));
    boolean chunked = framing == 3 || (framing == 4 && body.length > 0);
    if (chunked) {
      headers.add("Transfer-Encoding: chunked");
      fresh = true;
    } else if (body.length > 0 || writes) {
      headers.add("Content-Length: " + body.length);
    }
    write(out, requestLine + "\r\n");
    for (String h : headers) {
      write(out, (fresh ? h : h.replace('\r', ' ').replace('\n', ' ')) + "\r\n");
    }
    write(out, "\r\n");
    if (chunked) {
      if (framing == 3 && r.nextBoolean()) {
        write(out, "zz\r\nbroken\r\n0\r\n\r\n");
      } else {
        write(out, Integer.toHexString(body.length) + "\r\n");
        out.writeBytes(body);
        write(out, "\r\n0\r\n\r\n");
      }
    } else {
      out.writeBytes(body);
    }
    return new Request(listener, route.path(), method, target, admin, out.toByteArray(),
        method.equals("HEAD"), fresh);
  }

  private String pickToken(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> targets.fuzzToken();
      case 1 -> targets.expiredToken();
      case 2 -> forgedFernet(r);
      case 3 -> "a".repeat(100);
      default -> string(r);
    };
  }

  /**
   * A token shaped like Fernet (version byte 0x80, timestamp, IV, ciphertext, HMAC) that no key
   * signed, with a timestamp anywhere in the 64-bit range.
   */
  static String forgedFernet(Random r) {
    int blocks = 1 + r.nextInt(8);
    byte[] t = new byte[1 + 8 + 16 + 16 * blocks + 32];
    r.nextBytes(t);
    t[0] = (byte) (r.nextInt(10) == 0 ? r.nextInt(256) : 0x80);
    return Base64.getUrlEncoder().encodeToString(t);
  }

  private String fill(Random r, String path, Listener listener) {
    String p = path;
    if (p.contains("{prefix}")) {
      p =
          p.replace(
              "{prefix}",
              switch (r.nextInt(5)) {
                case 0 -> "/v2/" + project(r);
                case 1, 2 -> "/v2.1/" + project(r);
                case 3 -> "/v2.1";
                default -> "/" + pick(r, new String[] {"v3", "v2.2", "v1", "v2.1/" + segment(r)});
              });
    }
    if (listener == Listener.IMAGE && p.startsWith("/v2/") && r.nextInt(6) == 0) {
      p = pick(r, new String[] {"/v2.1", "/v2.15", "/v2.0", "/v3", "/v2.99", "/v1"}) + p.substring(3);
    }
    while (p.contains("{img}")) {
      p = replaceFirst(p, "{img}", image(r));
    }
    while (p.contains("{project}")) {
      p = replaceFirst(p, "{project}", project(r));
    }
    while (p.contains("{user}")) {
      p = replaceFirst(p, "{user}", r.nextInt(3) == 0 ? segment(r) : pick(r, targets.userIds()));
    }
    while (p.contains("{role}")) {
      p = replaceFirst(p, "{role}", r.nextInt(3) == 0 ? segment(r) : pick(r, targets.roleIds()));
    }
    while (p.contains("{ns}")) {
      p = replaceFirst(p, "{ns}", r.nextInt(3) == 0 ? segment(r) : pick(r, new String[] {
          "OS::Compute::Libvirt", "OS::Glance::CommonImageProperties", "OS::Compute::Hypervisor",
          "fuzz-ns"}));
    }
    while (p.contains("{mdkind}")) {
      p = replaceFirst(p, "{mdkind}", pick(r, new String[] {"objects", "properties", "tags", "x"}));
    }
    while (p.contains("{s}")) {
      p = replaceFirst(p, "{s}", segment(r));
    }
    return p;
  }

  private static String replaceFirst(String s, String placeholder, String value) {
    int at = s.indexOf(placeholder);
    return s.substring(0, at) + value + s.substring(at + placeholder.length());
  }

  /** A random UUID from the seeded generator (UUID.randomUUID would break reproducibility). */
  private static String uuid(Random r) {
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private String image(Random r) {
    return switch (r.nextInt(6)) {
      case 0, 1 -> pick(r, targets.fuzzImages());
      case 2, 3 -> pick(r, targets.victimImages());
      case 4 -> uuid(r);
      default -> segment(r);
    };
  }

  private String project(Random r) {
    return switch (r.nextInt(4)) {
      case 0, 1 -> targets.fuzzProject();
      case 2 -> targets.victimProject();
      default -> segment(r);
    };
  }

  /** A hostile path segment, percent-encoded so the request line stays well formed. */
  private static String segment(Random r) {
    String s = string(r);
    return r.nextInt(4) == 0 ? s.replace(" ", "%20").replace("?", "%3F").replace("#", "%23")
        : encode(s);
  }

  private static String string(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> randomText(r, 1 + r.nextInt(40));
      case 1 -> uuid(r);
      default -> STRINGS[r.nextInt(STRINGS.length)];
    };
  }

  /** Printable ASCII, control characters, unicode and surrogate halves mixed. */
  private static String randomText(Random r, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(10);
      b.append(
          (char)
              switch (kind) {
                case 0 -> r.nextInt(32);
                case 1 -> 0x80 + r.nextInt(0x780);
                case 2 -> 0x4e00 + r.nextInt(0x5000);
                case 3 -> 0xd800 + r.nextInt(0x800);
                default -> 0x20 + r.nextInt(0x5f);
              });
    }
    return b.toString();
  }

  static String encode(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(utf8.length * 3);
    for (byte c : utf8) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '%') {
        b.append((char) c);
      } else {
        // as String.format("%02X"), which cost more than the rest of a request's generation
        b.append('%').append(UPPER_HEX[(c >> 4) & 0xf]).append(UPPER_HEX[c & 0xf]);
      }
    }
    return b.toString();
  }

  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

  private static String query(Random r, Listener listener) {
    int kind = r.nextInt(20);
    if (kind < 8) {
      return "";
    }
    StringBuilder q = new StringBuilder();
    int n = kind == 19 ? 100 + r.nextInt(400) : 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      String name = kind == 19 ? "p" + i : r.nextInt(8) == 0 ? string(r) : pick(r, QUERY_NAMES);
      String value = r.nextInt(5) == 0 ? encode(randomText(r, r.nextInt(30))) : encode(string(r));
      if (name.equals("limit") && r.nextBoolean()) {
        value = Integer.toString(r.nextInt(3000) - 5);
      }
      q.append(q.isEmpty() ? "" : "&").append(encode(name)).append(r.nextInt(15) == 0 ? "" : "=" + value);
    }
    if (kind == 18) {
      q.append("&name=").append("n".repeat(10_000)); // over the request-line cap: 413/414
    }
    return q.toString();
  }

  private static String contentType(Random r, String path, String method) {
    if (r.nextInt(4) == 0) {
      return r.nextInt(5) == 0 ? null : pick(r, CONTENT_TYPES);
    }
    if (path.endsWith("/file")) {
      return "application/octet-stream";
    }
    if (method.equals("PATCH") && path.startsWith("/v2/images")) {
      return "application/openstack-images-v2.1-json-patch";
    }
    return "application/json";
  }

  private byte[] body(Random r, Listener listener, String path, String method) {
    int kind = r.nextInt(20);
    String json =
        switch (kind) {
          case 0 -> "";
          case 1 -> "{";
          case 2 -> "[" .repeat(2_000 + r.nextInt(20_000)) + "]".repeat(r.nextInt(3));
          case 3 -> "{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500);
          case 4 -> "\"" + "z".repeat(120_000 + r.nextInt(200_000)) + "\"";
          case 5 -> randomText(r, r.nextInt(200));
          case 6 -> "{\"name\": \"" + randomText(r, 10).replace("\\", "").replace("\"", "") + "\\u0000\"}";
          case 7 -> "null";
          case 8 -> "[1, 2, \"x\"]";
          default -> template(r, listener, path, method);
        };
    if (path.endsWith("/file") && kind >= 9) {
      byte[] data = new byte[r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(2_000)];
      r.nextBytes(data);
      return data;
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (r.nextInt(30) == 0 && bytes.length > 2) {
      bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(0x7f)); // invalid UTF-8
    }
    return bytes;
  }

  /** A plausible body for the route, then mutated: wrong types, hostile strings, extra keys. */
  private String template(Random r, Listener listener, String path, String method) {
    String v = jsonValue(r);
    String s = quote(r.nextInt(3) == 0 ? string(r) : "fuzz-" + r.nextInt(1000));
    if (listener == Listener.IDENTITY) {
      if (path.contains("auth/tokens") || path.contains("v2.0/tokens")) {
        String user = r.nextInt(3) == 0 ? v : quote(pick(r, new String[] {"admin", "demo", "x"}));
        String password = r.nextInt(3) == 0 ? v : quote(pick(r, new String[] {"admin-secret", "x", ""}));
        return switch (r.nextInt(4)) {
          case 0 -> "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\":"
              + " {\"name\": " + user + ", \"domain\": {\"name\": \"Default\"}, \"password\": "
              + password + "}}}, \"scope\": {\"project\": {\"name\": " + s + ", \"domain\": {\"id\": "
              + v + "}}}}}";
          case 1 -> "{\"auth\": {\"identity\": {\"methods\": [\"token\"], \"token\": {\"id\": "
              + quote(pickToken(r)) + "}}, \"scope\": " + v + "}}";
          case 2 -> "{\"auth\": {\"passwordCredentials\": {\"username\": " + user + ", \"password\": "
              + password + "}, \"tenantName\": " + s + "}}";
          default -> "{\"auth\": {\"identity\": {\"methods\": " + v + "}}}";
        };
      }
      if (path.contains("/password")) {
        return "{\"user\": {\"password\": " + v + ", \"original_password\": " + s + "}}";
      }
      String entity = path.contains("users") ? "user" : path.contains("roles") ? "role" : "project";
      return "{\"" + entity + "\": {\"name\": " + s + ", \"enabled\": " + v + ", \"domain_id\": "
          + (r.nextBoolean() ? "\"default\"" : v) + ", \"description\": " + jsonValue(r) + "}}";
    }
    if (listener == Listener.COMPUTE) {
      return switch (r.nextInt(3)) {
        case 0 -> "{\"metadata\": {" + s + ": " + v + ", \"k\": " + jsonValue(r) + "}}";
        case 1 -> "{\"meta\": {" + s + ": " + v + "}}";
        default -> "{\"metadata\": " + v + "}";
      };
    }
    if (path.contains("/metadefs")) {
      return "{\"namespace\": " + s + ", \"name\": " + s + ", \"display_name\": " + v
          + ", \"visibility\": " + quote(pick(r, new String[] {"public", "private", "x"}))
          + ", \"protected\": " + jsonValue(r)
          + ", \"properties\": {" + s + ": {\"type\": " + v + ", \"title\": " + s + "}}"
          + ", \"objects\": " + jsonValue(r) + ", \"tags\": [{\"name\": " + s + "}]"
          + ", \"type\": " + quote(pick(r, new String[] {"string", "integer", "array", "x"}))
          + ", \"title\": " + s + ", \"prefix\": " + jsonValue(r) + "}";
    }
    if (method.equals("PATCH")) {
      StringBuilder p = new StringBuilder("[");
      int ops = r.nextInt(4);
      for (int i = 0; i < ops; i++) {
        p.append(i == 0 ? "" : ", ").append("{\"op\": ")
            .append(quote(pick(r, new String[] {"add", "replace", "remove", "test", "move", "x"})))
            .append(", \"path\": ")
            .append(quote(pick(r, new String[] {"/name", "/x_prop", "/tags", "/tags/-", "/visibility",
                "/locations", "/locations/-", "/", "", "/a~1b", "/min_ram", "/protected", "/owner",
                "/id", "/status", "/" + string(r)})))
            .append(r.nextInt(4) == 0 ? "" : ", \"value\": " + v)
            .append("}");
      }
      return r.nextInt(8) == 0 ? v : p.append("]").toString();
    }
    if (path.endsWith("/members") || path.contains("/members/")) {
      return r.nextBoolean() ? "{\"member\": " + (r.nextBoolean() ? quote("victimproject") : v) + "}"
          : "{\"status\": " + (r.nextBoolean() ? quote(pick(r, new String[] {"accepted", "rejected", "pending"})) : v) + "}";
    }
    return "{\"name\": " + s + ", \"disk_format\": " + (r.nextBoolean() ? "\"raw\"" : v)
        + ", \"container_format\": \"bare\", \"visibility\": "
        + quote(pick(r, new String[] {"private", "shared", "public", "community", "x"}))
        + ", \"tags\": " + (r.nextBoolean() ? "[\"t\"]" : jsonValue(r))
        + ", " + s + ": " + v
        + (r.nextInt(4) == 0 ? ", \"id\": " + quote(uuid(r)) : "")
        + (r.nextInt(6) == 0 ? ", \"min_ram\": " + jsonValue(r) : "") + "}";
  }

  private static String jsonValue(Random r) {
    return switch (r.nextInt(14)) {
      case 0 -> "null";
      case 1 -> "true";
      case 2 -> Long.toString(r.nextLong());
      case 3 -> "1e400";
      case 4 -> "-0.5";
      case 5 -> "[]";
      case 6 -> "{}";
      case 7 -> "[\"a\", 1, null]";
      case 8 -> quote("v".repeat(r.nextBoolean() ? 256 : 70_000));
      case 9 -> "{\"nested\": {\"deeper\": [1, {\"x\": \"y\"}]}}";
      case 10 -> quote(randomText(r, 20));
      default -> quote(string(r));
    };
  }

  /** A JSON string literal; surrogate halves and control characters are escaped as JSON allows. */
  static String quote(String s) {
    if (plain(s)) {
      return "\"" + s + "\""; // the loop below would copy it char by char (70 000 for some)
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
        b.append("\\u")
            .append(LOWER_HEX[(c >> 12) & 0xf]).append(LOWER_HEX[(c >> 8) & 0xf])
            .append(LOWER_HEX[(c >> 4) & 0xf]).append(LOWER_HEX[c & 0xf]); // String.format's "\\u%04x"
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Whether {@link #quote} leaves every character of {@code s} as it is. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) {
        return false;
      }
    }
    return true;
  }

  private static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
