package dev.glint.image;

import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;

/** {@code /v2/schemas/{image,images,member,members,task,tasks}}, served as Glance Zed sends them. */
final class ImageSchemasEndpoint {
  void routes(RoutesConfig routes, String prefix) {
    for (String name : new String[] {"image", "images", "member", "members", "task", "tasks"}) {
      routes.get(prefix + "/schemas/" + name, ctx -> Responses.json(ctx, 200, ImageSchema.raw(name)));
    }
  }
}
