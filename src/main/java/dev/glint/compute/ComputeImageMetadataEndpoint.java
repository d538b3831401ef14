package dev.glint.compute;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Responses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /images/{image_id}/metadata[/{key}]}: an image's extra properties, as Nova's
 * image-metadata proxy (microversions 2.1 to 2.38).
 */
final class ComputeImageMetadataEndpoint {
  private final ComputeImageService images;

  ComputeImageMetadataEndpoint(ComputeImageService images) {
    this.images = images;
  }

  void routes(RoutesConfig routes) {
    for (String prefix : ComputeImagesEndpoint.PREFIXES) {
      String collection = prefix + "/images/{image_id}/metadata";
      String item = collection + "/{key}";
      routes.get(collection, this::index);
      routes.post(collection, this::merge);
      routes.put(collection, this::replace);
      routes.get(item, this::show);
      routes.put(item, this::update);
      routes.delete(item, this::delete);
    }
  }

  private void index(Context ctx) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    Map<String, String> metadata = images.metadata(req.caller(), id(ctx));
    Responses.json(ctx, 200, ComputeImageView.metadata(metadata));
  }

  private void merge(Context ctx) {
    JsonNode body = NovaRequest.body(ctx);
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    Map<String, String> given = MetadataSchema.collection(body, req.legacy());
    Map<String, String> stored = images.merge(req.caller(), id(ctx), given);
    Responses.json(ctx, 200, ComputeImageView.metadata(stored));
  }

  private void replace(Context ctx) {
    JsonNode body = NovaRequest.body(ctx);
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    Map<String, String> given = MetadataSchema.collection(body, req.legacy());
    images.replace(req.caller(), id(ctx), given);
    // Nova echoes the request's set rather than re-reading it.
    Responses.json(ctx, 200, ComputeImageView.metadata(given));
  }

  private void show(Context ctx) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    String key = ctx.pathParam("key");
    String value = images.metadataItem(req.caller(), id(ctx), key);
    Responses.json(ctx, 200, ComputeImageView.meta(Map.of(key, value)));
  }

  private void update(Context ctx) {
    JsonNode body = NovaRequest.body(ctx);
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    Map<String, String> given = MetadataSchema.item(body, req.legacy());
    images.setItem(req.caller(), id(ctx), ctx.pathParam("key"), given);
    Responses.json(ctx, 200, ComputeImageView.meta(given));
  }

  private void delete(Context ctx) {
    NovaRequest req = NovaRequest.begin(ctx, Microversion.METADATA_MAX);
    images.deleteItem(req.caller(), id(ctx), ctx.pathParam("key"));
    Responses.noContent(ctx, Responses.JSON);
  }

  private static String id(Context ctx) {
    return ctx.pathParam("image_id");
  }
}
