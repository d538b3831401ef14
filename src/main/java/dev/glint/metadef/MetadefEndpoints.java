package dev.glint.metadef;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glint.http.Json;
import dev.glint.http.Principal;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** {@code /v2/metadefs/*} and {@code /v2/schemas/metadefs/*} on the image listener. */
public final class MetadefEndpoints {
  private static final String NS = "/metadefs/namespaces/{namespace}";

  private final MetadefService metadefs;

  public MetadefEndpoints(MetadefService metadefs) {
    this.metadefs = metadefs;
  }

  /** Registers every route under {@code prefix} ({@code /v2} and its aliases). */
  public void routes(RoutesConfig routes, String prefix) {
    for (String name : MetadefSchemas.NAMES) {
      routes.get(
          prefix + "/schemas/metadefs/" + name,
          ctx -> Responses.json(ctx, 200, MetadefSchemas.raw(name)));
    }
    routes.get(prefix + "/metadefs/resource_types", this::resourceTypes);
    routes.get(prefix + "/metadefs/namespaces", this::list);
    routes.post(prefix + "/metadefs/namespaces", this::create);
    routes.get(prefix + NS, this::show);
    routes.put(prefix + NS, this::update);
    routes.delete(prefix + NS, this::delete);

    routes.get(prefix + NS + "/objects", this::objects);
    routes.post(prefix + NS + "/objects", this::createObject);
    routes.delete(prefix + NS + "/objects", ctx -> deleteContents(ctx, "objects"));
    routes.get(prefix + NS + "/objects/{name}", this::object);
    routes.put(prefix + NS + "/objects/{name}", this::updateObject);
    routes.delete(prefix + NS + "/objects/{name}", this::deleteObject);

    routes.get(prefix + NS + "/properties", this::properties);
    routes.post(prefix + NS + "/properties", this::createProperty);
    routes.delete(prefix + NS + "/properties", ctx -> deleteContents(ctx, "properties"));
    routes.get(prefix + NS + "/properties/{name}", this::property);
    routes.put(prefix + NS + "/properties/{name}", this::updateProperty);
    routes.delete(prefix + NS + "/properties/{name}", this::deleteProperty);

    routes.get(prefix + NS + "/tags", this::tags);
    routes.post(prefix + NS + "/tags", this::createTags);
    routes.delete(prefix + NS + "/tags", ctx -> deleteContents(ctx, "tags"));
    routes.get(prefix + NS + "/tags/{name}", this::tag);
    routes.post(prefix + NS + "/tags/{name}", this::createTag);
    routes.put(prefix + NS + "/tags/{name}", this::updateTag);
    routes.delete(prefix + NS + "/tags/{name}", this::deleteTag);

    routes.get(prefix + NS + "/resource_types", this::associations);
    routes.post(prefix + NS + "/resource_types", this::associate);
    routes.delete(prefix + NS + "/resource_types/{name}", this::dissociate);
  }

  // --- namespaces

  private void list(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    NamespaceQuery query = MetadefRequests.namespaceQuery(params);
    MetadefService.NamespacePage page = metadefs.list(scope(ctx), query);
    // Glance's links: the request's own parameters, without the marker for "first" and with
    // the page's last namespace as marker for "next" (when the page is full).
    Map<String, String> rest = new LinkedHashMap<>();
    // A malformed pair (%ZZ=x) can leave a name with no value: skip it, never a 500.
    params.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            rest.put(k, v.get(v.size() - 1));
          }
        });
    rest.remove("marker");
    String first = MetadefViews.BASE + (rest.isEmpty() ? "" : "?" + urlencode(rest));
    String next = null;
    List<Namespace> shown = page.namespaces();
    if (!shown.isEmpty() && shown.size() == query.limit()) {
      rest.put("marker", shown.get(shown.size() - 1).namespace());
      next = MetadefViews.BASE + "?" + urlencode(rest);
    }
    json(ctx, 200, MetadefViews.namespaces(page, first, next));
  }

  private void create(Context ctx) {
    NamespaceDefinition definition = MetadefRequests.namespace(body(ctx));
    NamespaceDetail created = metadefs.create(scope(ctx), definition);
    // webob makes the Location absolute with the request's own host.
    String href = MetadefViews.href(created.namespace().namespace());
    ctx.header("Location", ctx.host() == null ? href : ctx.scheme() + "://" + ctx.host() + href);
    json(ctx, 201, MetadefViews.created(created.namespace(), definition));
  }

  private void show(Context ctx) {
    NamespaceDetail detail =
        metadefs.show(scope(ctx), ns(ctx), emptyToNull(ctx.queryParam("resource_type")));
    json(ctx, 200, MetadefViews.namespace(detail));
  }

  private void update(Context ctx) {
    Namespace updated =
        metadefs.update(scope(ctx), ns(ctx), MetadefRequests.namespace(body(ctx)));
    json(ctx, 200, MetadefViews.namespace(updated));
  }

  private void delete(Context ctx) {
    metadefs.delete(scope(ctx), ns(ctx));
    Responses.noContent(ctx, null);
  }

  private void deleteContents(Context ctx, String what) {
    metadefs.deleteContents(scope(ctx), ns(ctx), what);
    Responses.noContent(ctx, null);
  }

  // --- objects

  private void objects(Context ctx) {
    MetadefRequests.objectQuery(ctx.queryParamMap());
    json(ctx, 200, MetadefViews.objectList(ns(ctx), metadefs.objects(scope(ctx), ns(ctx))));
  }

  private void createObject(Context ctx) {
    MetadefObject created =
        metadefs.createObject(scope(ctx), ns(ctx), MetadefRequests.object(body(ctx), true));
    json(ctx, 201, MetadefViews.object(ns(ctx), created));
  }

  private void object(Context ctx) {
    json(ctx, 200, MetadefViews.object(ns(ctx), metadefs.object(scope(ctx), ns(ctx), name(ctx))));
  }

  private void updateObject(Context ctx) {
    MetadefObject updated =
        metadefs.updateObject(
            scope(ctx), ns(ctx), name(ctx), MetadefRequests.object(body(ctx), false));
    json(ctx, 200, MetadefViews.object(ns(ctx), updated));
  }

  private void deleteObject(Context ctx) {
    metadefs.deleteObject(scope(ctx), ns(ctx), name(ctx));
    Responses.noContent(ctx, null);
  }

  // --- properties

  private void properties(Context ctx) {
    json(ctx, 200, MetadefViews.properties(metadefs.properties(scope(ctx), ns(ctx))));
  }

  private void property(Context ctx) {
    Map.Entry<String, ObjectNode> p =
        metadefs.property(
            scope(ctx), ns(ctx), name(ctx), emptyToNull(ctx.queryParam("resource_type")));
    json(ctx, 200, MetadefViews.property(p.getKey(), p.getValue()));
  }

  private void createProperty(Context ctx) {
    Map.Entry<String, ObjectNode> p = MetadefRequests.property(body(ctx));
    metadefs.createProperty(scope(ctx), ns(ctx), p.getKey(), p.getValue());
    json(ctx, 201, MetadefViews.property(p.getKey(), p.getValue()));
  }

  private void updateProperty(Context ctx) {
    Map.Entry<String, ObjectNode> p = MetadefRequests.property(body(ctx));
    metadefs.updateProperty(scope(ctx), ns(ctx), name(ctx), p.getKey(), p.getValue());
    json(ctx, 200, MetadefViews.property(p.getKey(), p.getValue()));
  }

  private void deleteProperty(Context ctx) {
    metadefs.deleteProperty(scope(ctx), ns(ctx), name(ctx));
    Responses.noContent(ctx, null);
  }

  // --- tags

  private void tags(Context ctx) {
    TagQuery query = MetadefRequests.tagQuery(ctx.queryParamMap());
    json(ctx, 200, MetadefViews.tags(metadefs.tags(scope(ctx), ns(ctx), query)));
  }

  private void createTags(Context ctx) {
    List<String> names = MetadefRequests.tags(body(ctx));
    boolean append = truthy(ctx.header("X-Openstack-Append"));
    json(ctx, 201, MetadefViews.tags(metadefs.createTags(scope(ctx), ns(ctx), names, append)));
  }

  private void tag(Context ctx) {
    json(ctx, 200, MetadefViews.tag(metadefs.tag(scope(ctx), ns(ctx), name(ctx))));
  }

  private void createTag(Context ctx) {
    String name = MetadefRequests.tagName(name(ctx));
    json(ctx, 201, MetadefViews.tag(metadefs.createTag(scope(ctx), ns(ctx), name)));
  }

  private void updateTag(Context ctx) {
    String newName = MetadefRequests.tag(body(ctx));
    json(ctx, 200, MetadefViews.tag(metadefs.updateTag(scope(ctx), ns(ctx), name(ctx), newName)));
  }

  private void deleteTag(Context ctx) {
    metadefs.deleteTag(scope(ctx), ns(ctx), name(ctx));
    Responses.noContent(ctx, null);
  }

  // --- resource types

  private void resourceTypes(Context ctx) {
    json(ctx, 200, MetadefViews.resourceTypes(metadefs.resourceTypes()));
  }

  private void associations(Context ctx) {
    json(ctx, 200, MetadefViews.associations(metadefs.associations(scope(ctx), ns(ctx))));
  }

  private void associate(Context ctx) {
    ResourceTypeAssociation created =
        metadefs.associate(scope(ctx), ns(ctx), MetadefRequests.resourceType(body(ctx)));
    json(ctx, 201, MetadefViews.association(created));
  }

  private void dissociate(Context ctx) {
    metadefs.dissociate(scope(ctx), ns(ctx), name(ctx));
    Responses.noContent(ctx, null);
  }

  // --- helpers

  /** The caller as metadefs see it: project and admin role, nothing of the web request. */
  private static MetadefScope scope(Context ctx) {
    Principal principal = Principal.of(ctx);
    return new MetadefScope(principal.projectId(), principal.isAdmin());
  }

  private static String ns(Context ctx) {
    return ctx.pathParam("namespace");
  }

  private static String name(Context ctx) {
    return ctx.pathParam("name");
  }

  private static JsonNode body(Context ctx) {
    return MetadefRequests.json(ctx.bodyAsBytes());
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    Responses.json(ctx, status, Json.bytes(body));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** oslo's {@code bool_from_string}: true, on, yes, y, 1 (any case); anything else false. */
  static boolean truthy(String value) {
    if (value == null) {
      return false;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "1", "t", "true", "on", "y", "yes" -> true;
      default -> false;
    };
  }

  /** Python's {@code urlencode} (quote_plus) of a parameter map, in its order. */
  static String urlencode(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&");
    params.forEach(
        (k, v) ->
            j.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }
}
