package dev.glint.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of images, implemented by {@code store}. Methods are thread-safe; each call is its own
 * transaction unless it says otherwise. Lists are ordered newest first ({@code created_at desc,
 * id desc}).
 */
public interface ImageRepository {

  /** The image with this id, deleted ones included; properties and tags loaded. */
  Optional<Image> find(String id);

  /**
   * One page of the images {@code scope} may see that match {@code query}.
   *
   * @param scope who is asking (decides visibility)
   * @param query filters and paging; its marker must already be resolved to {@code after}
   * @param after the marker image, or null for the first page
   * @param deletedSince when not null, soft-deleted images deleted at or after this instant are
   *     included (for {@code changes-since} polls); when null, deleted images never are
   */
  Page<Image> list(Scope scope, ImageQuery query, Image after, Instant deletedSince);

  /**
   * Ids of up to {@code count} images listed just before {@code marker} under the same scope and
   * filters, nearest first. Used to build a {@code previous} link.
   */
  List<String> before(Scope scope, ImageQuery query, Image marker, Instant deletedSince, int count);

  /** Whether {@code project} is a member of the image, whatever its member status. */
  boolean isMember(String imageId, String project);

  /** How many images are stored, deleted ones included. */
  long count();

  /**
   * Marks an image deleted at {@code when} (status, deleted_at, updated_at); the row is kept for
   * {@code changes-since} until purged. Returns false if no live image has that id.
   */
  boolean markDeleted(String id, Instant when);

  /** Replaces all extra properties of an image in one transaction and bumps updated_at. */
  void replaceProperties(String id, java.util.Map<String, String> properties, Instant when);

  /** Stores a new image with its properties and tags. */
  void insert(Image image);

  /** Stores many new images in one transaction (demo data, generators). */
  void insertAll(List<Image> images);

  /**
   * Who is asking, for visibility.
   *
   * @param project the caller's project (null when unscoped)
   * @param admin whether the caller has the admin role
   */
  record Scope(String project, boolean admin) {}
}
