package dev.glint.image;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.catalog.Locations;
import dev.glint.config.GlintConfig;
import dev.glint.error.ApiException;
import dev.glint.error.ErrorCode;
import dev.glint.http.PageBody;
import dev.glint.http.Responses;
import dev.glint.catalog.CreateImageRequest;
import dev.glint.catalog.Visibility;
import dev.glint.http.Principal;
import dev.glint.policy.Enforcer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code /v2/images}: records, list, JSON-patch updates, actions, tags; and the seed's alternate link. */
final class ImagesEndpoint {
  private final CatalogService catalog;
  private final GlintConfig config;
  private final Enforcer policy;

  ImagesEndpoint(CatalogService catalog, GlintConfig config, Enforcer policy) {
    this.catalog = catalog;
    this.config = config;
    this.policy = policy;
  }

  void routes(RoutesConfig routes, String prefix) {
    routes.post(prefix + "/images", this::create);
    routes.get(prefix + "/images", this::list);
    routes.get(prefix + "/images/{image_id}", this::show);
    routes.patch(prefix + "/images/{image_id}", this::update);
    routes.delete(prefix + "/images/{image_id}", this::delete);
    routes.post(prefix + "/images/{image_id}/actions/deactivate", this::deactivate);
    routes.post(prefix + "/images/{image_id}/actions/reactivate", this::reactivate);
    routes.put(prefix + "/images/{image_id}/tags/{tag}", this::addTag);
    routes.delete(prefix + "/images/{image_id}/tags/{tag}", this::removeTag);
  }

  /**
   * The compute API's {@code alternate} link, {@code {image}/{project}/images/{id}} (the seed's
   * form): redirect to the image service's own URL when the caller may see the image.
   */
  void alternateRoute(RoutesConfig routes) {
    routes.get("/{tenant_id}/images/{image_id}", this::alternate);
  }

  private void create(Context ctx) {
    CreateImageRequest request = ImageRequests.create(ImageRequests.json(ctx.bodyAsBytes()));
    checkVisibility(Principal.of(ctx), request.visibility());
    Image image = catalog.create(ImageScope.of(ctx), request);
    ctx.header("Location", config.image().publicUrl() + "/v2/images/" + image.id());
    // As Glance's create: the import methods on offer (openstacksdk reads them before it stages
    // and imports) and, with several stores, their ids.
    ctx.header("OpenStack-image-import-methods", String.join(",", config.imports().methods()));
    List<String> stores = catalog.stores().ids();
    if (stores.size() > 1) {
      ctx.header("OpenStack-image-store-ids", String.join(",", stores));
    }
    Responses.json(ctx, 201, ImageView.show(image, options(ctx)));
  }

  private void list(Context ctx) {
    GlanceListParams params = GlanceListParams.parse(ctx.queryString(), config.maxLimit());
    List<Image> images = catalog.list(ImageScope.of(ctx), params.query()).items();
    ImageView.write(
        PageBody.of(ctx, Responses.JSON, config.pageBytes()),
        images, options(ctx), params.params(), params.query().limit());
  }

  private void show(Context ctx) {
    Responses.json(ctx, 200, ImageView.show(catalog.get(ImageScope.of(ctx), id(ctx)), options(ctx)));
  }

  private void update(Context ctx) {
    Boolean draft4 = JsonPatch.isDraft4(ctx.header("Content-Type"));
    if (draft4 == null) {
      ctx.header("Accept-Patch", JsonPatch.ACCEPT_PATCH);
      throw new ApiException(
          ErrorCode.BAD_MEDIA_TYPE,
          "The request media type "
              + ctx.header("Content-Type")
              + " is not supported by this server.");
    }
    JsonPatch patch =
        JsonPatch.parse(
            ImageRequests.json(ctx.bodyAsBytes()), draft4,
            config.imports().showMultipleLocations());
    Principal caller = Principal.of(ctx);
    List<Locations.Change> locations = patch.locationChanges();
    // Glance's set_image_location (add, replace) and delete_image_location (remove) rules.
    for (Locations.Change c : locations) {
      policy.enforce(
          c.op().equals("remove") ? "delete_image_location" : "set_image_location",
          Enforcer.credentials(caller),
          java.util.Map.of(),
          GlanceFaults::policyDenied);
    }
    Image image =
        catalog.update(
            ImageScope.of(ctx),
            id(ctx),
            before -> {
              Image after = patch.applyTo(before);
              if (after.visibility() != before.visibility()) {
                checkVisibility(caller, after.visibility());
              }
              return after;
            },
            locations);
    Responses.json(ctx, 200, ImageView.show(image, options(ctx)));
  }

  private void delete(Context ctx) {
    catalog.delete(ImageScope.of(ctx), id(ctx));
    Responses.noContent(ctx, null);
  }

  private void deactivate(Context ctx) {
    ImageEndpoints.rejectBodyOn(ctx);
    catalog.deactivate(ImageScope.of(ctx), id(ctx));
    Responses.noContent(ctx, null);
  }

  private void reactivate(Context ctx) {
    ImageEndpoints.rejectBodyOn(ctx);
    catalog.reactivate(ImageScope.of(ctx), id(ctx));
    Responses.noContent(ctx, null);
  }

  private void addTag(Context ctx) {
    ImageEndpoints.rejectBodyOn(ctx);
    String tag = ctx.pathParam("tag");
    ImageSchema.validate("tags", JsonNodeFactory.instance.arrayNode().add(tag));
    catalog.addTag(ImageScope.of(ctx), id(ctx), tag);
    Responses.noContent(ctx, null);
  }

  private void removeTag(Context ctx) {
    catalog.removeTag(ImageScope.of(ctx), id(ctx), ctx.pathParam("tag"));
    Responses.noContent(ctx, null);
  }

  private void alternate(Context ctx) {
    String id = id(ctx);
    catalog.get(ImageScope.of(ctx), id);
    ctx.header("Location", config.image().publicUrl() + "/v2/images/" + id);
    Responses.noContent(ctx, null);
    ctx.status(302);
  }

  /** Glance's {@code publicize_image} and {@code communitize_image} rules, on create and update. */
  private void checkVisibility(Principal caller, Visibility visibility) {
    String rule =
        visibility == Visibility.PUBLIC
            ? "publicize_image"
            : visibility == Visibility.COMMUNITY ? "communitize_image" : null;
    if (rule != null) {
      policy.enforce(
          rule, Enforcer.credentials(caller), java.util.Map.of(), GlanceFaults::policyDenied);
    }
  }

  /** What the image views show for this caller (locations: Glance's get_image_location rule). */
  private ImageView.Options options(Context ctx) {
    boolean multiple = config.imports().showMultipleLocations();
    boolean direct = config.imports().showImageDirectUrl();
    boolean mayRead =
        (multiple || direct)
            && policy.allowed(
                "get_image_location", Enforcer.credentials(Principal.of(ctx)), java.util.Map.of());
    return new ImageView.Options(catalog.stores(), multiple, direct, mayRead);
  }

  static String id(Context ctx) {
    return ctx.pathParam("image_id");
  }
}
