package dev.glint.catalog;

import dev.glint.catalog.Locations.Change;
import dev.glint.catalog.Locations.Location;
import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import dev.glint.error.CatalogException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON-patch operations on an image's {@code locations}, applied in order to a working copy with
 * Glance Zed's rules and messages ({@code ImagesController._do_add_locations}, {@code
 * _do_replace_locations}, {@code _do_remove_locations}, {@code glance/location.py}). Pure: the
 * caller saves the outcome in its unit of work.
 */
final class LocationEdit {
  private final Image image;
  private final Map<String, Long> sizes;
  private final List<Location> all;
  private ImageStatus status;
  private Long size;
  private final Map<String, String> data = new LinkedHashMap<>();
  private final Set<String> removedStores = new HashSet<>();

  /**
   * @param sizes what a HEAD of each new URL answered (absent or not positive: the store cannot
   *     read it, glance_store's {@code get_size_from_backend} returning 0)
   */
  LocationEdit(Image image, Stores stores, Map<String, Long> sizes) {
    this.image = image;
    this.sizes = sizes;
    this.all = new ArrayList<>(Locations.of(image, stores));
    this.status = image.status();
    this.size = image.size();
  }

  void apply(Change c) {
    switch (c.op()) {
      case "add" -> add(c.position(), c.value().get(0));
      case "replace" -> replace(c.value());
      default -> remove(c.position());
    }
  }

  private void add(String position, Location loc) {
    if (status != ImageStatus.ACTIVE && status != ImageStatus.QUEUED) {
      throw conflict("It's not allowed to add locations if image status is " + status.wire() + ".");
    }
    Map<String, String> val = Locations.validationChanges(current(), List.of(loc));
    Integer pos = position == null ? null : Locations.position(position, all.size(), true);
    if (pos == null) {
      throw ApiException.badRequest("Invalid position for adding a location.");
    }
    // Glance sizes the URL first, then finds the duplicate; a known URL was sized when added.
    if (Locations.schemeAllowed(loc.url()) && Locations.containsUrl(all, loc.url())) {
      throw duplicate(loc.url());
    }
    check(loc);
    all.add(pos, loc);
    activate(val, List.of(loc));
  }

  private void replace(List<Location> value) {
    if (value.isEmpty()) {
      throw ApiException.forbidden("Cannot set locations to empty list.");
    }
    if (status != ImageStatus.ACTIVE && status != ImageStatus.QUEUED) {
      throw ApiException.badRequest(
          "It's not allowed to replace locations if image status is " + status.wire() + ".");
    }
    Map<String, String> val = Locations.validationChanges(current(), value);
    if (!all.isEmpty() && !Locations.sameUrls(value, all)) {
      throw ApiException.badRequest("Original locations is not empty: " + Locations.repr(all));
    }
    List<Location> next = new ArrayList<>();
    for (Location loc : value) {
      Location was = all.stream().filter(l -> l.url().equals(loc.url())).findFirst().orElse(null);
      if (was == null) {
        check(loc);
      } else if (was.store() != null) {
        // A Glint store's location stands for the store: its metadata is the store's id.
        if (!was.metadata().equals(loc.metadata())) {
          throw ApiException.badRequest(
              "The metadata of " + loc.url() + " names the store holding the data and cannot be"
                  + " changed.");
        }
        next.add(was);
        continue;
      }
      if (Locations.containsUrl(next, loc.url())) {
        throw duplicate(loc.url());
      }
      Locations.checkMetadata(loc.metadata(), "metadata");
      next.add(Location.external(loc.url(), loc.metadata(), Map.of()));
    }
    all.clear();
    all.addAll(next);
    activate(val, value);
  }

  private void remove(String position) {
    if (status != ImageStatus.ACTIVE) {
      throw conflict(
          "It's not allowed to remove locations if image status is " + status.wire() + ".");
    }
    if (all.size() == 1) {
      throw new CatalogException(
          Reason.FORBIDDEN, image.id(), "Cannot remove last location in the image.");
    }
    Integer pos = position == null ? null : Locations.position(position, all.size(), false);
    if (pos == null) {
      throw ApiException.badRequest("Invalid position for removing a location.");
    }
    Location gone = all.remove((int) pos);
    if (gone.store() != null) {
      removedStores.add(gone.store());
    }
  }

  /** glance/location.py {@code _check_image_location}: a known scheme, a size, sane metadata. */
  private void check(Location loc) {
    Long found = sizes.get(loc.url());
    if (!Locations.schemeAllowed(loc.url()) || found == null || found <= 0) {
      throw ApiException.badRequest("Invalid location");
    }
    Locations.checkMetadata(loc.metadata(), "metadata");
  }

  /** A queued image given locations becomes active with their validation data, sized by them. */
  private void activate(Map<String, String> val, List<Location> given) {
    if (status != ImageStatus.QUEUED || given.isEmpty()) {
      return;
    }
    data.putAll(val);
    status = ImageStatus.ACTIVE;
    if (size == null) {
      for (Location l : given) {
        Long s = sizes.get(l.url());
        if (s != null && s > 0) {
          size = s;
          break;
        }
      }
    }
  }

  /** The image as the operations so far left it (for the validation data checks). */
  private Image current() {
    return new Image(
        image.id(), image.owner(), image.name(), status, image.visibility(), image.isProtected(),
        image.osHidden(), image.minDisk(), image.minRam(), size, image.virtualSize(),
        image.diskFormat(), image.containerFormat(), data.getOrDefault("checksum", image.checksum()),
        data.getOrDefault("os_hash_algo", image.osHashAlgo()),
        data.getOrDefault("os_hash_value", image.osHashValue()), image.createdAt(),
        image.updatedAt(), image.deletedAt(), image.properties(), image.tags());
  }

  private CatalogException conflict(String message) {
    return new CatalogException(Reason.CONFLICT, image.id(), message);
  }

  private static ApiException duplicate(String url) {
    return ApiException.badRequest("The location " + url + " already exists");
  }

  // ---- the outcome ----

  /** Whether the image goes from {@code queued} to {@code active}. */
  boolean activates() {
    return image.status() == ImageStatus.QUEUED && status == ImageStatus.ACTIVE;
  }

  /** The data fields of an image the edit activates. */
  ImageRepository.ImageData imageData() {
    return new ImageRepository.ImageData(
        size == null ? 0 : size, null, data.get("checksum"), data.get("os_hash_algo"),
        data.get("os_hash_value"));
  }

  /** The external locations after the edit, in order. */
  List<Location> external() {
    return all.stream().filter(l -> l.store() == null).toList();
  }

  /** The Glint stores whose copy a remove dropped (their data goes after the commit). */
  Set<String> removedStores() {
    return removedStores;
  }
}
