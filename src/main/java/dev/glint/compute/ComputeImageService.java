package dev.glint.compute;

import dev.glint.catalog.CatalogScope;
import dev.glint.catalog.Stores;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Image;
import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The compute API's rules over the catalog, as Nova's images and image-metadata controllers apply
 * them: Nova's error texts for the catalog's refusals, and the {@code metadata_items} quota.
 * Authorization itself is the catalog's (Nova has no policy of its own for images). Thread-safe.
 */
final class ComputeImageService {
  static final String IMAGE_NOT_FOUND = "Image not found.";

  private final CatalogService catalog;
  private final int metadataItems;

  /** @param metadataItems Nova's {@code metadata_items} quota; -1 for unlimited */
  ComputeImageService(CatalogService catalog, int metadataItems) {
    this.catalog = catalog;
    this.metadataItems = metadataItems;
  }

  /** A visible, live image; else 404 "Image not found.". */
  Image show(CatalogScope caller, String id) {
    return catalog.find(caller, id).orElseThrow(() -> ApiException.notFound(IMAGE_NOT_FOUND));
  }

  /** Nova maps Glance's 404 and 403 on delete to its own two texts. */
  void delete(CatalogScope caller, String id) {
    try {
      catalog.delete(caller, id);
    } catch (CatalogException e) {
      throw switch (e.reason()) {
        case NOT_FOUND -> ApiException.notFound(IMAGE_NOT_FOUND);
        case FORBIDDEN, PROTECTED ->
            ApiException.forbidden("You are not allowed to delete the image.");
        default -> e;
      };
    }
  }

  Map<String, String> metadata(CatalogScope caller, String id) {
    return Stores.visible(show(caller, id).properties());
  }

  /** One key's value; a missing key is Nova's bare 404. */
  String metadataItem(CatalogScope caller, String id, String key) {
    String value = metadata(caller, id).get(key);
    if (value == null) {
      throw ApiException.notFound("The resource could not be found.");
    }
    return value;
  }

  /**
   * POST: given keys overwrite or add, others stay; returns the set as stored afterwards. One unit
   * of work: the quota counts the set as stored when the change commits, and only the given keys
   * are written, so concurrent POSTs of other keys all survive.
   */
  Map<String, String> merge(CatalogScope caller, String id, Map<String, String> given) {
    return Stores.visible(
        edit(
                caller,
                id,
                current -> {
                  Map<String, String> merged = new TreeMap<>(current);
                  merged.putAll(given);
                  checkQuota(Stores.visible(merged));
                  return merged;
                })
            .properties());
  }

  /** PUT: the image's extra properties become exactly {@code given}. */
  void replace(CatalogScope caller, String id, Map<String, String> given) {
    edit(
        caller,
        id,
        current -> {
          checkQuota(given);
          return given;
        });
  }

  /** PUT on one key. The body/URI mismatch is checked before the image is looked up, as Nova. */
  void setItem(CatalogScope caller, String id, String key, Map<String, String> given) {
    if (!given.containsKey(key)) {
      throw ApiException.badRequest("Request body and URI mismatch");
    }
    edit(
        caller,
        id,
        current -> {
          Map<String, String> updated = new TreeMap<>(current);
          updated.put(key, given.get(key));
          checkQuota(updated);
          return updated;
        });
  }

  void deleteItem(CatalogScope caller, String id, String key) {
    edit(
        caller,
        id,
        current -> {
          Map<String, String> updated = new TreeMap<>(current);
          if (updated.remove(key) == null) {
            throw ApiException.notFound("Invalid metadata key");
          }
          return updated;
        });
  }

  /** Nova counts the whole resulting set against {@code metadata_items}; an empty set passes. */
  private void checkQuota(Map<String, String> properties) {
    if (metadataItems >= 0 && properties.size() > metadataItems) {
      throw ApiException.forbidden("Image metadata limit exceeded");
    }
  }

  /**
   * Glance's refusals (not owner, reserved name) reach Nova's caller as one 403 text; an image the
   * caller cannot see is Nova's 404, checked before {@code edit} runs (its quota and key checks).
   */
  private Image edit(CatalogScope caller, String id, UnaryOperator<Map<String, String>> edit) {
    return translated(id, () -> catalog.editProperties(caller, id, edit));
  }

  private static <T> T translated(String id, Supplier<T> call) {
    try {
      return call.get();
    } catch (CatalogException e) {
      throw switch (e.reason()) {
        case NOT_FOUND -> ApiException.notFound(IMAGE_NOT_FOUND);
        case FORBIDDEN, PROTECTED -> ApiException.forbidden("Not authorized for image " + id + ".");
        // Nova's check_img_metadata_properties_quota: a quota refusal is a 403.
        case OVER_QUOTA -> ApiException.forbidden("Image metadata limit exceeded");
        default -> e;
      };
    }
  }
}
