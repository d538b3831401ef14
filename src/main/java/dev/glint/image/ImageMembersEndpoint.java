package dev.glint.image;

import dev.glint.catalog.CatalogService;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /v2/images/{id}/members}: sharing an image with other projects. */
final class ImageMembersEndpoint {
  private final CatalogService catalog;

  ImageMembersEndpoint(CatalogService catalog) {
    this.catalog = catalog;
  }

  void routes(RoutesConfig routes, String prefix) {
    String members = prefix + "/images/{image_id}/members";
    routes.get(members, this::list);
    routes.post(members, this::add);
    routes.get(members + "/{member_id}", this::show);
    routes.put(members + "/{member_id}", this::update);
    routes.delete(members + "/{member_id}", this::remove);
  }

  private void list(Context ctx) {
    Responses.json(ctx, 200, ImageView.members(catalog.members(ImageScope.of(ctx), id(ctx))));
  }

  /** 200, not 201, as Glance answers. */
  private void add(Context ctx) {
    String member = ImageRequests.member(ImageRequests.json(ctx.bodyAsBytes()));
    Responses.json(
        ctx, 200, ImageView.member(catalog.addMember(ImageScope.of(ctx), id(ctx), member)));
  }

  private void show(Context ctx) {
    Responses.json(
        ctx, 200, ImageView.member(catalog.member(ImageScope.of(ctx), id(ctx), memberId(ctx))));
  }

  private void update(Context ctx) {
    var status = ImageRequests.memberStatus(ImageRequests.json(ctx.bodyAsBytes()));
    Responses.json(
        ctx,
        200,
        ImageView.member(catalog.updateMember(ImageScope.of(ctx), id(ctx), memberId(ctx), status)));
  }

  private void remove(Context ctx) {
    catalog.removeMember(ImageScope.of(ctx), id(ctx), memberId(ctx));
    Responses.noContent(ctx, null);
  }

  private static String id(Context ctx) {
    return ctx.pathParam("image_id");
  }

  private static String memberId(Context ctx) {
    return ctx.pathParam("member_id");
  }
}
