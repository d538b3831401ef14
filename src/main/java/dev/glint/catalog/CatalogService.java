package dev.glint.catalog;

import dev.glint.identity.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules both image APIs share: who sees which image, how lists page, how long deleted images
 * stay reportable. Thread-safe.
 */
public final class CatalogService {
  private final ImageRepository images;
  private final Clock clock;
  private final Duration retention;
  private final boolean deletedInChangesSince;

  /**
   * @param retention how long a deleted image is still reported by {@code changes-since} lists
   * @param deletedInChangesSince whether {@code changes-since} lists report deleted images at all
   */
  public CatalogService(
      ImageRepository images, Clock clock, Duration retention, boolean deletedInChangesSince) {
    this.images = images;
    this.clock = clock;
    this.retention = retention;
    this.deletedInChangesSince = deletedInChangesSince;
  }

  /**
   * One page of the images the caller may see. A {@code changes-since} query also reports images
   * deleted inside the retention window (when enabled). An unknown marker, or one naming an image
   * the caller cannot see, is an {@link UnknownMarkerException}.
   */
  public Page<Image> list(Caller caller, ImageQuery query) {
    ImageRepository.Scope scope = scope(caller);
    Instant deletedSince = deletedSince(query);
    Image after = null;
    if (query.marker() != null) {
      after =
          images
              .find(query.marker())
              .filter(img -> canSee(scope, img))
              .orElseThrow(() -> new UnknownMarkerException(query.marker()));
    }
    Page<Image> page = images.list(scope, query, after, deletedSince);
    if (after == null) {
      return page;
    }
    List<String> earlier = images.before(scope, query, after, deletedSince, query.limit());
    String previous = earlier.size() == query.limit() ? earlier.get(query.limit() - 1) : "";
    return new Page<>(page.items(), page.more(), previous);
  }

  /** The image, if the caller may see it and it is not deleted. */
  public Optional<Image> find(Caller caller, String id) {
    ImageRepository.Scope scope = scope(caller);
    return images.find(id).filter(img -> !img.deleted() && canSee(scope, img));
  }

  /** {@link #visible} plus membership of shared images, which needs a store read. */
  private boolean canSee(ImageRepository.Scope scope, Image img) {
    if (visible(scope, img)) {
      return true;
    }
    return img.visibility() == Visibility.SHARED
        && scope.project() != null
        && images.isMember(img.id(), scope.project());
  }

  /**
   * Soft-deletes an image: status {@code deleted}, {@code deleted_at} and {@code updated_at} set to
   * now, so {@code changes-since} reports it for the retention window. Owner or admin only;
   * protected images refuse.
   */
  public void delete(Caller caller, String id) {
    Image image = modifiable(caller, id);
    if (image.isProtected()) {
      throw new CatalogException(
          CatalogException.Reason.PROTECTED,
          id,
          "Image " + id + " is protected and cannot be deleted.");
    }
    images.markDeleted(id, clock.instant());
  }

  /**
   * Replaces the image's extra properties with {@code properties} (keys not in it are removed) and
   * returns the image as stored afterwards. Owner or admin only; base attributes and Glance's
   * reserved names ({@link ReservedProperties}) cannot be added, changed or removed (FORBIDDEN).
   */
  public Image replaceProperties(Caller caller, String id, Map<String, String> properties) {
    Image image = modifiable(caller, id);
    Set<String> reserved = ReservedProperties.touched(image.properties(), properties);
    if (!reserved.isEmpty()) {
      throw new CatalogException(
          CatalogException.Reason.FORBIDDEN,
          id,
          "Attribute '" + new TreeSet<>(reserved).first() + "' is reserved.");
    }
    images.replaceProperties(id, properties, clock.instant());
    return images.find(id).orElseThrow(() -> CatalogException.notFound(id));
  }

  /**
   * The image, if the caller may change it: visible and not deleted (else NOT_FOUND), and owned
   * by the caller's project unless the caller is an admin (else FORBIDDEN).
   */
  public Image modifiable(Caller caller, String id) {
    Image image = find(caller, id).orElseThrow(() -> CatalogException.notFound(id));
    if (!caller.isAdmin() && (image.owner() == null || !image.owner().equals(caller.projectId()))) {
      throw new CatalogException(
          CatalogException.Reason.FORBIDDEN, id, "You are not permitted to modify image " + id);
    }
    return image;
  }

  /** Stores images made elsewhere (demo data, generators, imports) as they are. */
  public void addAll(List<Image> batch) {
    images.insertAll(batch);
  }

  /** Whether the catalog holds no image at all, deleted ones included. */
  public boolean isEmpty() {
    return images.count() == 0;
  }

  private Instant deletedSince(ImageQuery query) {
    if (query.changesSince() == null || !deletedInChangesSince) {
      return null;
    }
    return clock.instant().minus(retention);
  }

  static ImageRepository.Scope scope(Caller caller) {
    return new ImageRepository.Scope(caller.projectId(), caller.isAdmin());
  }

  /**
   * Glance's visibility rule for a single image, without membership: owner, public, community,
   * or an admin. Shared images are also visible to any member (Glance shows them on direct access
   * whatever the member status), which {@link #canSee} checks; lists only show accepted ones,
   * which the repository decides.
   */
  static boolean visible(ImageRepository.Scope scope, Image img) {
    if (img.owner() != null && img.owner().equals(scope.project())) {
      return true;
    }
    return switch (img.visibility()) {
      case PUBLIC, COMMUNITY -> true;
      case PRIVATE, SHARED -> scope.admin();
    };
  }
}
