package dev.glint.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code auth} object of {@code POST /v3/auth/tokens}, checked as Keystone checks it: its
 * JSON schema ({@code auth/schema.py token_issue}, first error wins, in schema order), then the
 * "id or name must be present" rules of {@code validate_issue_token_auth}. Lookups, the per-method
 * checks and the 401s come later, in {@link IdentityService}, in Keystone's order.
 *
 * @param methods {@code identity.methods}
 * @param identity the {@code identity} object (method payloads by name)
 * @param scope the {@code scope} value, or null when absent
 */
public record AuthRequest(List<String> methods, JsonNode identity, JsonNode scope) {

  /** Methods and scope only: the identity payloads hold passwords, tokens and secrets. */
  @Override
  public String toString() {
    return "AuthRequest[methods=" + methods + ", scope=" + scope + "]";
  }

  /** A domain reference, {@code {"id": …}} or {@code {"name": …}}; name wins when both given. */
  public record DomainRef(String id, String name) {
    static DomainRef of(JsonNode node) {
      return new DomainRef(text(node, "id"), text(node, "name"));
    }
  }

  /** Parses the request body; {@code body} is the whole JSON document (an object). */
  public static AuthRequest parse(JsonNode body) {
    JsonNode auth = body == null ? null : body.get("auth");
    if (auth == null || auth.isNull()) {
      throw KeystoneErrors.expecting("auth", "request body");
    }
    check(TOKEN_ISSUE, auth, new ArrayDeque<>());
    JsonNode user = auth.path("identity").path("password").path("user");
    if (user.isObject()) {
      requireIdOrName(user, "identity/password/user");
      if (user.get("domain") != null && !user.get("domain").isNull()) {
        requireIdOrName(user.get("domain"), "identity/password/user/domain");
      }
    }
    JsonNode scope = auth.get("scope");
    if (scope != null && scope.isObject()) {
      JsonNode project = scope.get("project");
      if (project != null && !project.isNull()) {
        requireIdOrName(project, "scope/project");
        if (project.get("domain") != null && !project.get("domain").isNull()) {
          requireIdOrName(project.get("domain"), "scope/project/domain");
        }
      }
      JsonNode domain = scope.get("domain");
      if (domain != null && !domain.isNull()) {
        requireIdOrName(domain, "scope/domain");
      }
    }
    List<String> methods = new ArrayList<>();
    auth.get("identity").get("methods").forEach(m -> methods.add(m.asText()));
    return new AuthRequest(List.copyOf(methods), auth.get("identity"), scope);
  }

  private static void requireIdOrName(JsonNode node, String field) {
    if (node.isObject() && !node.has("id") && !node.has("name")) {
      throw KeystoneErrors.schema(
          "Invalid input for field " + field + ": id or name must be present.");
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  // ---- a JSON-schema subset: type, properties (in order), items, required ----

  private sealed interface Schema permits Str, Arr, Obj {}

  private record Str() implements Schema {}

  private record Arr(Schema items) implements Schema {}

  /** @param orString also accept a string (Keystone's scope: {@code "unscoped"}) */
  private record Obj(Map<String, Schema> properties, List<String> required, boolean orString)
      implements Schema {}

  private static Obj obj(List<String> required, Object... namesAndSchemas) {
    Map<String, Schema> props = new LinkedHashMap<>();
    for (int i = 0; i < namesAndSchemas.length; i += 2) {
      props.put((String) namesAndSchemas[i], (Schema) namesAndSchemas[i + 1]);
    }
    return new Obj(props, required, false);
  }

  private static final Str STR = new Str();
  private static final Obj ID_NAME = obj(List.of(), "id", STR, "name", STR);
  private static final Obj ID_NAME_DOMAIN = obj(List.of(), "name", STR, "id", STR, "domain", ID_NAME);
  private static final Obj SCOPE_OBJECT =
      obj(
          List.of(),
          "project", ID_NAME_DOMAIN,
          "domain", ID_NAME,
          "OS-TRUST:trust", obj(List.of(), "id", STR),
          "system", obj(List.of()));
  private static final Obj TOKEN_ISSUE =
      obj(
          List.of("identity"),
          "identity",
          obj(
              List.of("methods"),
              "methods", new Arr(STR),
              "password",
                  obj(
                      List.of(),
                      "user",
                      obj(List.of(), "id", STR, "name", STR, "password", STR, "domain", ID_NAME)),
              "token", obj(List.of("id"), "id", STR)),
          "scope",
          new Obj(SCOPE_OBJECT.properties(), List.of(), true));

  private static void check(Schema schema, JsonNode node, Deque<String> path) {
    switch (schema) {
      case Str s -> {
        if (!node.isTextual()) {
          fail(path, repr(node) + " is not of type 'string'");
        }
      }
      case Arr a -> {
        if (!node.isArray()) {
          fail(path, repr(node) + " is not of type 'array'");
        }
        for (int i = 0; i < node.size(); i++) {
          path.addLast(Integer.toString(i));
          check(a.items(), node.get(i), path);
          path.removeLast();
        }
      }
      case Obj o -> {
        if (o.orString() && node.isTextual()) {
          return;
        }
        if (!node.isObject()) {
          fail(path, repr(node) + " is not of type 'object'" + (o.orString() ? ", 'string'" : ""));
        }
        for (Map.Entry<String, Schema> p : o.properties().entrySet()) {
          JsonNode child = node.get(p.getKey());
          if (child != null) {
            path.addLast(p.getKey());
            check(p.getValue(), child, path);
            path.removeLast();
          }
        }
        for (String r : o.required()) {
          if (!node.has(r)) {
            fail(path, "'" + r + "' is a required property");
          }
        }
      }
    }
  }

  /** Keystone's wording: the jsonschema message, prefixed with the field path when there is one. */
  private static void fail(Deque<String> path, String message) {
    if (path.isEmpty()) {
      throw KeystoneErrors.schema(message);
    }
    throw KeystoneErrors.schema(
        "Invalid input for field '" + String.join("/", path) + "': " + message);
  }

  /** Python's {@code repr} of the decoded JSON value, as jsonschema quotes it. */
  static String repr(JsonNode node) {
    if (node == null || node.isNull()) {
      return "None";
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? "True" : "False";
    }
    if (node.isNumber()) {
      return node.isIntegralNumber() ? node.bigIntegerValue().toString() : Double.toString(node.doubleValue());
    }
    if (node.isTextual()) {
      String s = node.textValue();
      char q = s.contains("'") && !s.contains("\"") ? '"' : '\'';
      StringBuilder out = new StringBuilder().append(q);
      for (char c : s.toCharArray()) {
        switch (c) {
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c == q) {
              out.append('\\');
            }
            out.append(c);
          }
        }
      }
      return out.append(q).toString();
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(repr(n)));
      return "[" + String.join(", ", items) + "]";
    }
    List<String> items = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      items.add(repr(TextNode.valueOf(e.getKey())) + ": " + repr(e.getValue()));
    }
    return "{" + String.join(", ", items) + "}";
  }
}
