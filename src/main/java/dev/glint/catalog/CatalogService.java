package dev.glint.catalog;

import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import dev.glint.error.CatalogException.Reason;
import dev.glint.error.ErrorCode;
import dev.glint.error.StoreUnavailableException;
import dev.glint.error.UnknownMarkerException;
import dev.glint.fetch.WebSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules both image APIs share: who sees which image, how lists page, how long deleted images
 * stay reportable. Thread-safe.
 */
public final class CatalogService {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);
  /** Glance's {@code image_property_quota}, {@code image_tag_quota}, {@code image_member_quota}. */
  static final int PROPERTY_QUOTA = 128;
  static final int TAG_QUOTA = 128;
  static final int MEMBER_QUOTA = 128;

  private final ImageRepository images;
  private final Stores stores;
  private final Clock clock;
  private final Duration retention;
  private final boolean deletedInChangesSince;
  private final long sizeCap;
  private final ImportService imports;
  private final UploadLeases leases;
  private final CatalogPurge purge;
  private final ImageQuotas quotas;
  /** This node's image cache (docs/cache.md); null when off. */
  private final ImageCache cache;
  private final WebSource web;
  private volatile ImageIndex index;

  /**
   * @param stores where image data is kept: the named stores and the default one
   * @param retention how long a deleted image is still reported by {@code changes-since} lists
   * @param deletedInChangesSince whether {@code changes-since} lists report deleted images at all
   * @param sizeCap the largest image upload accepted, in bytes
   * @param staging where {@code glance-direct} imports stage their data
   * @param uploadLease how long an upload's lease holds without renewal (see {@link UploadLeases})
   * @param limits the projects' quota limits ({@code image_count_total}, ...)
   * @param importMethods the import methods enabled ({@code glance-direct}, {@code web-download})
   * @param web where {@code web-download} fetches from, through its URI filter
   * @param cacheData where this node's image cache keeps its copies (a local directory); null
   *     turns the cache off
   * @param cacheQueue where the image cache keeps its queue across restarts (a local directory);
   *     null keeps it in memory
   * @param cacheMaxBytes the most the image cache holds
   * @param cachePrefetchInterval how often the cache's prefetcher runs over the queue; zero for at
   *     once when an image is queued
   */
  public CatalogService(
      ImageRepository images,
      Stores stores,
      Clock clock,
      Duration retention,
      boolean deletedInChangesSince,
      long sizeCap,
      BlobStore staging,
      Duration uploadLease,
      QuotaLimits limits,
      List<String> importMethods,
      WebSource web,
      BlobStore cacheData,
      BlobStore cacheQueue,
      long cacheMaxBytes,
      Duration cachePrefetchInterval,
      GlanceEndpoints glanceEndpoints,
      List<String> glanceDownloadProperties) {
    this.images = images;
    this.stores = stores;
    this.clock = clock;
    this.retention = retention;
    this.deletedInChangesSince = deletedInChangesSince;
    this.sizeCap = sizeCap;
    this.quotas = new ImageQuotas(images, limits);
    this.web = web;
    this.leases = new UploadLeases(images, clock, uploadLease);
    this.imports = new ImportService(
            this, images, stores, staging, clock, sizeCap, quotas, importMethods, web, leases,
            new GlanceDownload(web, glanceEndpoints, glanceDownloadProperties));
    List<BlobStore> all = new java.util.ArrayList<>();
    stores.ids().forEach(id -> all.add(stores.find(id).orElseThrow()));
    all.add(staging);
    this.purge = new CatalogPurge(images, all);
    this.cache =
        cacheData == null
            ? null
            : new ImageCache(
                images, stores, cacheData, cacheQueue, cacheMaxBytes, cachePrefetchInterval, clock);
  }

  /** This node's image cache, if on. */
  public Optional<ImageCache> cache() {
    return Optional.ofNullable(cache);
  }

  /**
   * {@code PUT /v2/cache/{id}}: queues an active image the caller can see for caching (Glance's
   * {@code queue_image_from_api}). {@code authorize} runs once the image is found (Glance checks
   * its policy rule then).
   */
  public void queueForCache(CatalogScope caller, String id, Runnable authorize) {
    Image image = cachedImage(caller, id);
    authorize.run();
    if (image.status() != ImageStatus.ACTIVE) {
      throw ApiException.badRequest("Only images with status active can be targeted for queueing");
    }
    cache.queue(id);
  }

  /**
   * {@code DELETE /v2/cache/{id}}: drops an image from the cache and queue. As Glance's {@code
   * delete_cache_entry}, an image the caller cannot find is still dropped when the cache or queue
   * holds it (its copy outlived it: deleted through another node); else 404.
   */
  public void dropFromCache(CatalogScope caller, String id, Runnable authorize) {
    if (cache != null && find(caller, id).isEmpty() && cache.holds(id)) {
      authorize.run();
      cache.delete(id);
      return;
    }
    cachedImage(caller, id);
    authorize.run();
    cache.delete(id);
  }

  private Image cachedImage(CatalogScope caller, String id) {
    if (cache == null) {
      throw new IllegalStateException("the image cache is off");
    }
    // Glance's cache API says "Image <id> not found." where the images API says otherwise.
    return find(caller, id)
        .orElseThrow(() -> new CatalogException(Reason.NOT_FOUND, id, "Image " + id + " not found."));
  }

  /** The projects' quotas and their usage ({@code GET /v2/info/usage}). */
  public ImageQuotas quotas() {
    return quotas;
  }

  /** This node's upload leases: renewed and swept by the node's maintenance thread. */
  public UploadLeases uploadLeases() {
    return leases;
  }

  /** Purge of soft-deleted images and ownerless data ({@code glint purge}). */
  public CatalogPurge purge() {
    return purge;
  }

  /** Interoperable import ({@code stage}, {@code import}) over this catalog. */
  public ImportService imports() {
    return imports;
  }

  /** The id of the default store ({@code stores} on active images that name none). */
  public String storeId() {
    return stores.defaultId();
  }

  /** The configured stores. */
  public Stores stores() {
    return stores;
  }

  /**
   * The store {@code id}, or glance_store's {@code Store for identifier <id> not found}: a 400 for
   * an upload, a 409 ({@code conflict}) for an import, as Glance answers each.
   */
  BlobStore store(String id, boolean conflict) {
    String message = "Store for identifier " + id + " not found";
    return stores
        .find(id)
        .orElseThrow(
            () ->
                conflict
                    ? new CatalogException(Reason.CONFLICT, null, message)
                    : ApiException.badRequest(message));
  }

  /**
   * One page of the images the caller may see, for either API: the page, its marker and its
   * previous boundary come from one read transaction. A {@code changes-since} query also reports
   * images deleted inside the retention window (when enabled). The marker must name an image the
   * caller can see; what happens otherwise is the query's {@link ListQuery.MarkerRule}: Nova's
   * {@link UnknownMarkerException} for any such marker, or Glance's (unknown, or deleted for a
   * non-admin: {@code No image found with ID <m>}; not visible: a 403).
   */
  public Page<Image> list(CatalogScope caller, ListQuery query) {
    ImageRepository.Scope scope = scope(caller);
    Instant deletedSince = deletedSince(query);
    Page<Image> page = listInMemory(scope, query, deletedSince, true);
    return page != null ? page : listFromStore(scope, query, deletedSince);
  }

  /**
   * {@link #list} as the in-memory index answers it, without touching the store; null when the
   * index cannot answer this query (not built yet, a query it leaves to SQL, or a page with an
   * image not in its cache of full images). For the listeners' hot lane, which must not block.
   */
  public Page<Image> listInMemory(CatalogScope caller, ListQuery query) {
    return listInMemory(scope(caller), query, deletedSince(query), false);
  }

  /**
   * The whole of a list (every page of it) as the in-memory index holds it right now, to slice
   * pages from without walking: for the listeners' hot lane, when clients page with markers. Null
   * when there is none yet (one is then built in the background), no index answers, or the query
   * has {@code changes-since}, whose deleted images depend on the clock. A marker that is not in
   * the run is for {@link #listInMemory} to judge.
   */
  public ListRun listRun(CatalogScope caller, ListQuery query) {
    ImageIndex memory = index;
    if (memory == null || query.changesSince() != null) {
      return null;
    }
    return memory.run(scope(caller), query);
  }

  /**
   * What the in-memory index answers from right now, as an object compared by identity: two lists
   * read while it is the same object get the same answer for the same caller and query (one
   * without {@code changes-since}, whose deleted images depend on the clock). Null when lists
   * come from the store.
   */
  public Object indexVersion() {
    ImageIndex memory = index;
    return memory == null ? null : memory.snapshot();
  }

  /** @param load whether images missing from the index's cache are read from the store */
  private Page<Image> listInMemory(
      ImageRepository.Scope scope, ListQuery query, Instant deletedSince, boolean load) {
    ImageIndex memory = index;
    IndexSnapshot snapshot = memory == null ? null : memory.snapshot();
    if (snapshot == null) {
      return null;
    }
    IndexQuery.Result r = IndexQuery.run(snapshot, scope, query, deletedSince);
    if (r == null) {
      return null;
    }
    if (query.marker() != null) {
      checkMarker(
          scope,
          query,
          r.markerFound()
              ? new MarkerFacts(r.markerOwner(), r.markerVisibility(), r.markerDeleted())
              : null,
          r::markerMember);
    }
    List<Image> images = load ? memory.images(r) : memory.cachedImages(r);
    return images == null ? null : new Page<>(images, r.more(), r.previous());
  }

  /**
   * {@link #list} as the store answers it, whatever the in-memory list holds: the reference the
   * randomized equivalence test compares the index with.
   */
  public Page<Image> listFromStore(CatalogScope caller, ListQuery query) {
    return listFromStore(scope(caller), query, deletedSince(query));
  }

  private Page<Image> listFromStore(
      ImageRepository.Scope scope, ListQuery query, Instant deletedSince) {
    ImageRepository.ListRead read = images.list(scope, query, deletedSince);
    if (query.marker() != null) {
      Image m = read.marker().orElse(null);
      checkMarker(
          scope,
          query,
          m == null ? null : new MarkerFacts(m.owner(), m.visibility(), m.deleted()),
          read::markerMember);
    }
    return read.page();
  }

  /**
   * Answers lists from memory from now on (built in the background; the store answers until it
   * has caught up). Once per catalog.
   */
  public synchronized void startIndex() {
    if (index == null) {
      index = ImageIndex.start(images);
    }
  }

  /** The in-memory list, or null when lists come from the store only. */
  public ImageIndex index() {
    return index;
  }

  /** Stops the in-memory list's background work. */
  public void close() {
    if (cache != null) {
      cache.close();
    }
    ImageIndex memory = index;
    if (memory != null) {
      memory.close();
    }
  }

  /** The SQL {@link #list} runs for this query, values written in: for reading and for tests. */
  public String listSql(CatalogScope caller, ListQuery query) {
    return images.listSql(scope(caller), query, deletedSince(query));
  }

  /** What the marker rules read of a marker image. */
  private record MarkerFacts(String owner, Visibility visibility, boolean deleted) {}

  private void checkMarker(
      ImageRepository.Scope scope, ListQuery query, MarkerFacts marker, BooleanSupplier member) {
    String id = query.marker();
    if (marker == null) {
      throw new UnknownMarkerException(id);
    }
    boolean visible = visible(scope, marker.owner(), marker.visibility(), member);
    switch (query.markerRule()) {
      case INVISIBLE_IS_UNKNOWN -> {
        if (!visible) {
          throw new UnknownMarkerException(id);
        }
      }
      case INVISIBLE_IS_FORBIDDEN -> {
        if (marker.deleted() && !scope.admin()) {
          throw new UnknownMarkerException(id);
        }
        if (!visible) {
          throw ApiException.forbidden("Forbidding request, image " + id + " not visible");
        }
      }
    }
  }

  /** The image, if the caller may see it and it is not deleted. */
  public Optional<Image> find(CatalogScope caller, String id) {
    ImageRepository.Scope scope = scope(caller);
    return images.find(id).filter(img -> !img.deleted() && visible(scope, img));
  }

  /** The image, or NOT_FOUND {@code No image found with ID <id>}. */
  public Image get(CatalogScope caller, String id) {
    return find(caller, id).orElseThrow(() -> CatalogException.notFound(id));
  }

  /**
   * Creates an image record ({@code queued}, no data). Only admins make images public or owned by
   * another project; an id in use (even by a deleted image) is a conflict.
   */
  public Image create(CatalogScope caller, CreateImageRequest req) {
    Visibility visibility = req.visibility() == null ? Visibility.SHARED : req.visibility();
    if (visibility == Visibility.PUBLIC && !caller.isAdmin()) {
      throw ApiException.forbidden(PUBLICIZE);
    }
    String owner = req.ownerGiven() ? req.owner() : caller.projectId();
    if (owner == null && !caller.isAdmin()) {
      // An unscoped caller would make an ownerless image, which everybody may see.
      throw ApiException.forbidden("A project-scoped token is required to create images.");
    }
    if (req.ownerGiven()
        && !caller.isAdmin()
        && (owner == null || !owner.equals(caller.projectId()))) {
      throw ApiException.forbidden(
          "You are not permitted to create images owned by '" + owner + "'.");
    }
    checkQuotas(req.properties().size(), req.tags().size());
    ImageLimits.check(req.properties(), req.tags());
    String id = req.id() == null ? UUID.randomUUID().toString() : req.id();
    Instant now = now();
    Image image =
        new Image(
            id,
            owner,
            req.name(),
            ImageStatus.QUEUED,
            visibility,
            Boolean.TRUE.equals(req.isProtected()),
            Boolean.TRUE.equals(req.osHidden()),
            req.minDisk() == null ? 0 : req.minDisk(),
            req.minRam() == null ? 0 : req.minRam(),
            null,
            null,
            req.diskFormat(),
            req.containerFormat(),
            null,
            null,
            null,
            now,
            now,
            null,
            req.properties(),
            req.tags());
    return images.inTransaction(
        () -> {
          if (images.find(id).isPresent()) {
            throw ApiException.conflict("Image ID " + id + " already exists!");
          }
          // Glance counts the caller's project, whoever will own the image.
          quotas.enforce(caller.projectId(), QuotaLimits.Quota.IMAGE_COUNT_TOTAL, 1);
          images.insert(image);
          return image;
        });
  }

  /**
   * Applies {@code edit} to the image and saves the result at once, after checking the catalog's
   * invariants: only admins change the owner or make an image public; disk and container formats
   * change only while queued; the property and tag quotas hold. {@code edit} applies the API's own
   * per-operation rules and may throw.
   */
  public Image update(CatalogScope caller, String id, UnaryOperator<Image> edit) {
    return update(caller, id, edit, List.of());
  }

  /**
   * As {@link #update(CatalogScope, String, UnaryOperator)}, then the changes to the image's
   * {@code locations} ({@link Locations}), in the same unit of work. A new http(s) location is
   * sized by a HEAD before the unit of work starts (through the web-download filter); a queued
   * image given one becomes {@code active}. A removed location of a Glint store drops that copy
   * of the data after the commit; external data is never touched.
   */
  public Image update(
      CatalogScope caller, String id, UnaryOperator<Image> edit, List<Locations.Change> locations) {
    Map<String, Long> sizes = locations.isEmpty() ? Map.of() : sizeNewLocations(caller, id, locations);
    Set<String> dropped = new TreeSet<>();
    Image saved =
        images.inTransaction(
            () -> {
              dropped.clear();
              return updateLocked(caller, id, edit, locations, sizes, dropped);
            });
    deleteData(id, List.copyOf(dropped));
    return saved;
  }

  /** What a HEAD answers for each URL the changes add (-1 when it fails or is refused). */
  private Map<String, Long> sizeNewLocations(
      CatalogScope caller, String id, List<Locations.Change> changes) {
    // Owner or admin first: nobody else makes Glint send a request.
    Image image = modifiable(caller, id, "You do not own this image");
    List<Locations.Location> known = Locations.of(image, stores);
    Map<String, Long> sizes = new java.util.HashMap<>();
    for (Locations.Change c : changes) {
      for (Locations.Location l : c.value()) {
        if (sizes.containsKey(l.url())
            || Locations.containsUrl(known, l.url())
            || !Locations.schemeAllowed(l.url())) {
          continue;
        }
        long size;
        try {
          size = web.size(l.url());
        } catch (IOException | IllegalArgumentException e) {
          LOG.info("location {} for image {} refused: {}", l.url(), id, e.toString());
          size = -1;
        }
        sizes.put(l.url(), size);
      }
    }
    return sizes;
  }

  private Image updateLocked(
      CatalogScope caller,
      String id,
      UnaryOperator<Image> edit,
      List<Locations.Change> locations,
      Map<String, Long> sizes,
      Set<String> dropped) {
    Image before = lockModifiable(caller, id, "You do not own this image");
    Image after = edit.apply(before);
    if (!java.util.Objects.equals(before.owner(), after.owner()) && !caller.isAdmin()) {
      throw ApiException.forbidden("Owner can't be updated by non admin.");
    }
    if (after.visibility() == Visibility.PUBLIC
        && before.visibility() != Visibility.PUBLIC
        && !caller.isAdmin()) {
      throw ApiException.forbidden(PUBLICIZE);
    }
    boolean formatsMutable =
        before.status() == ImageStatus.QUEUED || before.status() == ImageStatus.IMPORTING;
    if (!formatsMutable) {
      for (String[] f :
          new String[][] {
            {"disk_format", before.diskFormat(), after.diskFormat()},
            {"container_format", before.containerFormat(), after.containerFormat()}
          }) {
        if (!java.util.Objects.equals(f[1], f[2])) {
          throw ApiException.forbidden(
              "Attribute " + f[0] + " can be only replaced for a queued image.");
        }
      }
    }
    checkQuotas(after.properties().size(), after.tags().size());
    ImageLimits.check(after.properties(), after.tags());
    Image saved = withUpdatedAt(after, now());
    if (!images.update(saved)) {
      throw CatalogException.notFound(id);
    }
    if (!locations.isEmpty()) {
      saveLocations(before, locations, sizes, dropped);
    }
    return images.find(id).orElseThrow(() -> CatalogException.notFound(id));
  }

  private void saveLocations(
      Image image, List<Locations.Change> changes, Map<String, Long> sizes, Set<String> dropped) {
    LocationEdit edit = new LocationEdit(image, stores, sizes);
    changes.forEach(edit::apply);
    String id = image.id();
    Map<String, String> set = new java.util.TreeMap<>();
    Set<String> remove = new TreeSet<>();
    List<Locations.Location> external = edit.external();
    if (!external.equals(Locations.external(image))) {
      if (external.isEmpty()) {
        remove.add(Locations.PROPERTY);
      } else {
        set.put(Locations.PROPERTY, Locations.encode(external));
      }
    }
    if (!edit.removedStores().isEmpty()) {
      List<String> held = new java.util.ArrayList<>(stores.of(image));
      held.removeAll(edit.removedStores());
      set.put(Stores.PROPERTY, Stores.join(held));
      dropped.addAll(edit.removedStores());
    }
    if (edit.activates()) {
      set.put(Stores.PROPERTY, ""); // no Glint store holds the data: only its locations do
      if (!images.activate(id, ImageStatus.QUEUED, edit.imageData(), now())) {
        throw CatalogException.notFound(id);
      }
    }
    if (!set.isEmpty() || !remove.isEmpty()) {
      images.changeProperties(id, set, remove, now());
    }
  }

  /**
   * Soft-deletes an image: status {@code deleted}, {@code deleted_at} and {@code updated_at} set to
   * now, so {@code changes-since} reports it for the retention window, and removes its data.
   * Owner or admin only; protected images refuse.
   */
  public void delete(CatalogScope caller, String id) {
    Image deleted =
        images.inTransaction(
        () -> {
          Image image =
              lockVisible(caller, id)
                  .orElseThrow(
                      () ->
                          new CatalogException(
                              Reason.NOT_FOUND, id, "Failed to find image " + id + " to delete"));
          requireOwner(caller, image, "You do not own this image");
          if (image.isProtected()) {
            throw new CatalogException(
                Reason.PROTECTED, id, "Image " + id + " is protected and cannot be deleted.");
          }
          requireMove(image, ImageStatus.DELETED);
          images.markDeleted(id, now());
          return image;
        });
    // After the commit: a rolled-back delete must not lose the data.
    deleteData(id, stores.of(deleted));
    imports.dropStaged(id);
    if (cache != null) {
      cache.delete(id);
    }
  }

  /**
   * Replaces the image's extra properties with {@code properties} (keys not in it are removed) and
   * returns the image as stored afterwards; see {@link #editProperties}.
   */
  public Image replaceProperties(CatalogScope caller, String id, Map<String, String> properties) {
    return editProperties(caller, id, current -> properties);
  }

  /**
   * Changes the image's extra properties in one unit of work: {@code edit} gets the stored set
   * (as of the locked image) and returns the wanted one, and only the keys that differ are written,
   * so concurrent edits of other keys all survive. {@code edit} may refuse (throw), for a quota or
   * a missing key; it may run more than once. Returns the image as stored afterwards. Visible and
   * live, else NOT_FOUND; then owner or admin only, and base attributes and Glance's reserved
   * names ({@link ReservedProperties}) cannot be added, changed or removed (FORBIDDEN).
   */
  public Image editProperties(
      CatalogScope caller, String id, UnaryOperator<Map<String, String>> edit) {
    return images.inTransaction(
        () -> {
          Image image = lockVisible(caller, id).orElseThrow(() -> CatalogException.notFound(id));
          Map<String, String> wanted = new java.util.TreeMap<>(edit.apply(image.properties()));
          // Callers never see the store list nor the external locations, so a "replace all"
          // keeps them.
          image.properties().forEach((k, v) -> {
            if (Stores.hidden(k)) {
              wanted.putIfAbsent(k, v);
            }
          });
          requireOwner(caller, image, "You are not permitted to modify image " + id);
          Set<String> reserved = ReservedProperties.touched(image.properties(), wanted);
          if (!reserved.isEmpty()) {
            throw new CatalogException(
                CatalogException.Reason.FORBIDDEN,
                id,
                "Attribute '" + new TreeSet<>(reserved).first() + "' is reserved.");
          }
          ImageLimits.check(wanted, image.tags());
          Map<String, String> set = new java.util.TreeMap<>();
          wanted.forEach(
              (k, v) -> {
                if (!v.equals(image.properties().get(k))) {
                  set.put(k, v);
                }
              });
          Set<String> remove = new TreeSet<>(image.properties().keySet());
          remove.removeAll(wanted.keySet());
          images.changeProperties(id, set, remove, now());
          return images.find(id).orElseThrow(() -> CatalogException.notFound(id));
        });
  }

  /**
   * The image, if the caller may change it: visible and not deleted (else NOT_FOUND), and owned
   * by the caller's project unless the caller is an admin (else FORBIDDEN).
   */
  public Image modifiable(CatalogScope caller, String id) {
    return modifiable(caller, id, "You are not permitted to modify image " + id);
  }

  private Image modifiable(CatalogScope caller, String id, String forbidden) {
    Image image = get(caller, id);
    requireOwner(caller, image, forbidden);
    return image;
  }

  /**
   * Inside a unit of work: the image locked against other writers until it commits, if the caller
   * may see it and it is not deleted.
   */
  private Optional<Image> lockVisible(CatalogScope caller, String id) {
    ImageRepository.Scope scope = scope(caller);
    return images.lock(id).filter(img -> !img.deleted() && visible(scope, img));
  }

  /** {@link #modifiable(CatalogScope, String)}, locked, inside a unit of work. */
  Image lockModifiable(CatalogScope caller, String id, String forbidden) {
    Image image = lockVisible(caller, id).orElseThrow(() -> CatalogException.notFound(id));
    requireOwner(caller, image, forbidden);
    return image;
  }

  /**
   * The one check of a status move against Glance's table ({@link ImageStatus#canMoveTo}): a
   * forbidden move is a 409 with Glance's wording, never a failure further down.
   */
  static void requireMove(Image image, ImageStatus to) {
    if (!image.status().canMoveTo(to)) {
      throw new CatalogException(
          Reason.CONFLICT,
          image.id(),
          "Image status transition from " + image.status().wire() + " to " + to.wire()
              + " is not allowed");
    }
  }

  private static void requireOwner(CatalogScope caller, Image image, String forbidden) {
    if (!caller.isAdmin() && (image.owner() == null || !image.owner().equals(caller.projectId()))) {
      throw new CatalogException(Reason.FORBIDDEN, image.id(), forbidden);
    }
  }

  // ---- image data ----

  /**
   * Streams an upload into the blob store: {@code queued} → {@code saving} → {@code active}. Any
   * failure (a cut-off body, the size cap, a full store) puts the image back to {@code queued}
   * with no data, and the blob store leaves no file behind.
   */
  public void upload(CatalogScope caller, String id, InputStream data) {
    upload(caller, id, data, null);
  }

  /**
   * As {@link #upload(CatalogScope, String, InputStream)}, into the store {@code storeId} (the
   * {@code X-Image-Meta-Store} header; null for the default one).
   */
  public void upload(CatalogScope caller, String id, InputStream data, String storeId) {
    BlobStore target =
        storeId == null ? stores.defaultStore() : store(storeId, false);
    // queued → saving is committed before the data arrives, so a concurrent second upload (which
    // sees saving) gets the 409; the data itself is not streamed inside a transaction. The move
    // takes a lease this node renews while the data arrives (UploadLeases).
    quotas.enforce(caller.projectId(), QuotaLimits.Quota.IMAGE_SIZE_TOTAL, 0);
    String[] lease = {null};
    Image image;
    try {
      image =
          images.inTransaction(
              () -> {
                Image locked =
                    lockVisible(caller, id).orElseThrow(() -> CatalogException.notFound(id));
                requireOwner(caller, locked, "Not allowed to upload image data for image " + id);
                requireMove(locked, ImageStatus.SAVING);
                requireFormats(locked);
                lease[0] = leases.begin(id);
                if (lease[0] == null) {
                  throw new CatalogException(
                      Reason.CONFLICT,
                      id,
                      "Image status transition from saving to saving is not allowed");
                }
                // Counted with this image now saving: over the limit rolls the move back.
                quotas.enforce(caller.projectId(), QuotaLimits.Quota.IMAGE_COUNT_UPLOADING, 0);
                return locked;
              });
    } catch (RuntimeException e) {
      if (lease[0] != null) {
        leases.end(id, lease[0]); // taken in a transaction that did not commit
      }
      throw e;
    }
    try {
      receive(id, image, lease[0], data, target);
    } finally {
      leases.end(id, lease[0]);
    }
  }

  private void receive(
      String id, Image image, String lease, InputStream data, BlobStore target) {
    BlobStore.Stored stored;
    try {
      stored = target.put(id, data, sizeCap);
    } catch (BlobStore.TooLargeException e) {
      images.abandonUpload(id, lease, now());
      throw new CatalogException(
          Reason.OVER_QUOTA,
          id,
          "The incoming image is too large: image size exceeds the limit of " + sizeCap + " bytes");
    } catch (BlobStore.StoreFullException e) {
      images.abandonUpload(id, lease, now());
      // The store's message names its directory: for the log, never for the client.
      LOG.warn("upload of image {} failed, back to queued: {}", id, e.getMessage());
      throw new CatalogException(
          Reason.OVER_QUOTA, id, "Image storage media is full: no space left in the image store.");
    } catch (StoreUnavailableException e) {
      // The store went away mid-upload (S3 down): the client's data was fine, say so (503).
      images.abandonUpload(id, lease, now());
      throw e;
    } catch (IOException | RuntimeException e) {
      images.abandonUpload(id, lease, now());
      LOG.info("upload of image {} failed, back to queued: {}", id, e.toString());
      throw ApiException.badRequest("Error in image data upload: the request body was cut off.");
    }
    Long virtualSize = VirtualSize.of(image.containerFormat(), image.diskFormat(), stored);
    ImageRepository.ImageData facts =
        new ImageRepository.ImageData(
            stored.size(), virtualSize, stored.md5(), "sha512", stored.sha512());
    boolean active =
        images.inTransaction(
            () -> {
              if (!images.finishUpload(id, lease, facts, now())) {
                return false;
              }
              images.changeProperties(
                  id, Map.of(Stores.PROPERTY, target.id()), Set.of(), now());
              return true;
            });
    if (!active) {
      Optional<Image> now = images.find(id);
      if (now.isPresent() && now.get().deletedAt() == null) {
        // The lease ran out (this node stalled longer than it) and another node put the image
        // back to queued, or another upload now owns it: its data is not ours to remove.
        LOG.warn("upload of image {} lost its lease; the image is {} now", id,
            now.get().status().wire());
        throw new CatalogException(
            Reason.CONFLICT,
            id,
            "Image " + id + " was put back to queued while its data was arriving (the upload"
                + " stalled); upload it again.");
      }
      // Deleted while the data was arriving: do not leave the data behind.
      deleteData(id, List.of(target.id()));
      throw new ApiException(
          ErrorCode.GONE,
          "Image "
              + id
              + " could not be found after upload. The image may have been deleted during the"
              + " upload, cleaning up the chunks uploaded.");
    }
  }

  /**
   * Puts images a crash left in {@code saving} back to {@code queued}, so their upload can be
   * retried (the blob store drops the temp files). Only safe when no other process can be
   * uploading into the same catalog, i.e. with the embedded SQLite store; returns how many.
   */
  public int recoverInterruptedUploads() {
    int n = images.requeueAllSaving(now());
    if (n > 0) {
      LOG.warn("{} image upload(s) were cut off by a stop; those images are queued again", n);
    }
    return n;
  }

  /**
   * The image's data for download, or empty when it has none (queued, saving, or lost). Deactivated
   * images are downloadable by admins only.
   */
  public Optional<ImageDataStream> download(CatalogScope caller, String id) {
    Image image = get(caller, id);
    if (image.status() == ImageStatus.DEACTIVATED && !caller.isAdmin()) {
      throw ApiException.forbidden(
          "The requested image has been deactivated. Image data download is forbidden.");
    }
    if (image.size() == null
        || (image.status() != ImageStatus.ACTIVE && image.status() != ImageStatus.DEACTIVATED)) {
      return Optional.empty();
    }
    Optional<SeekableByteChannel> data = cache == null ? Optional.empty() : cache.open(id);
    for (String storeId : data.isPresent() ? List.<String>of() : stores.of(image)) {
      Optional<BlobStore> store = stores.find(storeId);
      if (store.isEmpty()) {
        continue; // a store no longer configured: try the image's others
      }
      try {
        data = store.get().get(id);
      } catch (IOException e) {
        throw new StoreUnavailableException("image data of " + id + " unreadable: " + e, e);
      }
      if (data.isPresent()) {
        break;
      }
    }
    if (data.isEmpty() && stores.of(image).isEmpty()) {
      data = openExternal(image);
    }
    if (data.isEmpty()) {
      // Active with a size, yet no data here: a node on another data dir, or a lost file. A
      // 204 would be a silent wrong answer (issue 10); a 503 says to retry or look elsewhere.
      LOG.warn("image {} is {} with {} bytes but its data is not in the blob store", id,
          image.status().wire(), image.size());
      throw new StoreUnavailableException("image data of " + id + " missing", null);
    }
    return data.map(ch -> new ImageDataStream(image, ch));
  }

  /**
   * Data only at external locations (no Glint store holds it): streamed from the first one that
   * answers, through the web-download filter, as glance_store's http store reads it.
   */
  private Optional<SeekableByteChannel> openExternal(Image image) {
    for (Locations.Location l : Locations.external(image)) {
      try {
        WebSource.Body body = web.open(l.url());
        long size = body.contentLength() >= 0 ? body.contentLength() : image.size();
        return Optional.of(new StreamChannel(body.stream(), size));
      } catch (IOException | IllegalArgumentException e) {
        LOG.warn("image {}: location {} unreadable: {}", image.id(), l.url(), e.toString());
      }
    }
    return Optional.empty();
  }

  /** An image and an open channel over its data; the caller closes it. */
  public record ImageDataStream(Image image, SeekableByteChannel channel)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private void deleteData(String id, List<String> from) {
    for (String storeId : from) {
      Optional<BlobStore> store = stores.find(storeId);
      if (store.isEmpty()) {
        continue;
      }
      try {
        store.get().delete(id);
      } catch (IOException e) {
        LOG.warn("could not remove the data of image {} from {}: {}", id, storeId, e.toString());
      }
    }
  }

  /**
   * {@code DELETE /v2/stores/{store}/{image}}: removes one store's copy of an active image's data,
   * never the last one, with Glance's answers. The record changes first; the data goes after the
   * commit.
   */
  public void deleteFromStore(CatalogScope caller, String storeId, String id) {
    if (stores.find(storeId).isEmpty()) {
      throw new CatalogException(
          Reason.CONFLICT, id, "The selected store " + storeId + " is not available on this node.");
    }
    images.inTransaction(
        () -> {
          Image image =
              lockVisible(caller, id)
                  .orElseThrow(
                      () ->
                          new CatalogException(
                              Reason.NOT_FOUND, id, "Failed to find image " + id));
          requireOwner(caller, image, "You are not permitted to modify locations for this image.");
          if (image.status() != ImageStatus.ACTIVE) {
            throw new CatalogException(
                Reason.CONFLICT,
                id,
                "It's not allowed to remove image data from store if image status is not"
                    + " 'active'");
          }
          List<String> held = stores.of(image);
          // Glance counts every location: an external one left keeps the image readable.
          if (Locations.of(image, stores).size() == 1) {
            throw new CatalogException(
                Reason.FORBIDDEN,
                id,
                "Cannot delete image data from the only store containing it. Consider deleting"
                    + " the image instead.");
          }
          if (!held.contains(storeId)) {
            throw new CatalogException(
                Reason.NOT_FOUND, id, "Image " + id + " is not stored in store " + storeId + ".");
          }
          images.changeProperties(
              id, Map.of(Stores.PROPERTY, Stores.join(Stores.minus(held, storeId))), Set.of(),
              now());
          return null;
        });
    deleteData(id, List.of(storeId));
  }

  static void requireFormats(Image image) {
    if (image.diskFormat() == null && image.containerFormat() == null) {
      throw ApiException.badRequest(
          "Properties disk_format, container_format must be set prior to saving data.");
    }
    if (image.diskFormat() == null) {
      throw ApiException.badRequest("Property disk_format must be set prior to saving data.");
    }
    if (image.containerFormat() == null) {
      throw ApiException.badRequest("Property container_format must be set prior to saving data.");
    }
  }

  // ---- actions and tags ----

  /** {@code active} → {@code deactivated}; a no-op when already deactivated. */
  public void deactivate(CatalogScope caller, String id) {
    images.inTransaction(
        () -> {
          Image image = lockModifiable(caller, id, "You do not own this image");
          if (image.status() == ImageStatus.DEACTIVATED) {
            return null;
          }
          // Glance answers this refusal with 403 (domain Forbidden), not the table's 409.
          if (image.status() != ImageStatus.ACTIVE) {
            throw ApiException.forbidden(
                "Not allowed to deactivate image in status '" + image.status().wire() + "'");
          }
          requireMove(image, ImageStatus.DEACTIVATED);
          images.moveStatus(id, ImageStatus.ACTIVE, ImageStatus.DEACTIVATED, now());
          return null;
        });
  }

  /** {@code deactivated} → {@code active}; a no-op when already active. */
  public void reactivate(CatalogScope caller, String id) {
    images.inTransaction(
        () -> {
          Image image = lockModifiable(caller, id, "You do not own this image");
          if (image.status() == ImageStatus.ACTIVE) {
            return null;
          }
          if (image.status() != ImageStatus.DEACTIVATED) {
            throw ApiException.forbidden(
                "Not allowed to reactivate image in status '" + image.status().wire() + "'");
          }
          requireMove(image, ImageStatus.ACTIVE);
          images.moveStatus(id, ImageStatus.DEACTIVATED, ImageStatus.ACTIVE, now());
          return null;
        });
  }

  public void addTag(CatalogScope caller, String id, String tag) {
    images.inTransaction(() -> addTagLocked(caller, id, tag));
  }

  private Void addTagLocked(CatalogScope caller, String id, String tag) {
    Image image = tagsOf(caller, id, "Not allowed to update tags for image " + id + ".");
    if (!image.tags().contains(tag) && image.tags().size() >= TAG_QUOTA) {
      throw new CatalogException(
          Reason.OVER_QUOTA,
          id,
          "Image tag limit exceeded for image "
              + id
              + ": The limit has been exceeded on the number of allowed image tags. Attempted: "
              + (image.tags().size() + 1)
              + ", Maximum: "
              + TAG_QUOTA);
    }
    java.util.Set<String> tags = new java.util.LinkedHashSet<>(image.tags());
    tags.add(tag);
    ImageLimits.check(image.properties(), tags);
    images.addTag(id, tag, now());
    return null;
  }

  public void removeTag(CatalogScope caller, String id, String tag) {
    images.inTransaction(
        () -> {
          tagsOf(caller, id, "Not allowed to delete tags for image " + id + ".");
          if (!images.removeTag(id, tag, now())) {
            throw ApiException.notFound("The resource could not be found.");
          }
          return null;
        });
  }

  /** Inside a unit of work: the locked image whose tags the caller changes. */
  private Image tagsOf(CatalogScope caller, String id, String forbidden) {
    Image image =
        lockVisible(caller, id)
            .orElseThrow(
                () -> new CatalogException(Reason.NOT_FOUND, id, "Image " + id + " not found."));
    requireOwner(caller, image, forbidden);
    return image;
  }

  // ---- members ----

  /** Shares a shared image with a project (status pending). Owner or admin only. */
  public ImageMember addMember(CatalogScope caller, String id, String memberId) {
    return images.inTransaction(() -> addMemberLocked(caller, id, memberId));
  }

  private ImageMember addMemberLocked(CatalogScope caller, String id, String memberId) {
    Image image = lockVisible(caller, id).orElseThrow(() -> CatalogException.notFound(id));
    String forbidden = "Not allowed to create members for image " + id + ".";
    requireOwner(caller, image, forbidden);
    if (image.visibility() != Visibility.SHARED) {
      throw ApiException.forbidden(forbidden);
    }
    if (images.member(id, memberId).isPresent()) {
      throw ApiException.conflict("Member " + memberId + " is duplicated for image " + id);
    }
    if (images.members(id).size() >= MEMBER_QUOTA) {
      throw new CatalogException(
          Reason.OVER_QUOTA,
          id,
          "The limit has been exceeded on the number of allowed image members for this image."
              + " Attempted: "
              + (MEMBER_QUOTA + 1)
              + ", Maximum: "
              + MEMBER_QUOTA);
    }
    Instant now = now();
    ImageMember member = new ImageMember(id, memberId, MemberStatus.PENDING, now, now);
    images.addMember(member);
    return member;
  }

  /** The owner and admins see every member; a member sees only its own membership. */
  public List<ImageMember> members(CatalogScope caller, String id) {
    Image image = get(caller, id);
    if (image.visibility() != Visibility.SHARED) {
      throw ApiException.forbidden(
          "Not allowed to list members for image " + id + ": Only shared images have members.");
    }
    List<ImageMember> all = images.members(id);
    if (isOwnerOrAdmin(caller, image)) {
      return all;
    }
    return all.stream().filter(m -> m.memberId().equals(caller.projectId())).toList();
  }

  public ImageMember member(CatalogScope caller, String id, String memberId) {
    Image image = get(caller, id);
    if (image.visibility() != Visibility.SHARED) {
      throw ApiException.notFound("Only shared images have members.");
    }
    Optional<ImageMember> member = images.member(id, memberId);
    // A member may look at its own membership only; others' are "not found" to it.
    if (member.isEmpty()
        || (!isOwnerOrAdmin(caller, image) && !memberId.equals(caller.projectId()))) {
      throw ApiException.notFound(
          memberId + " not found in the member list of the image " + id + ".");
    }
    return member.get();
  }

  /** Only the member itself (or an admin) accepts or rejects a share. */
  public ImageMember updateMember(
      CatalogScope caller, String id, String memberId, MemberStatus status) {
    return images.inTransaction(
        () -> {
          images.lock(id);
          ImageMember current = member(caller, id, memberId);
          if (!caller.isAdmin() && !memberId.equals(caller.projectId())) {
            throw ApiException.forbidden("Not allowed to update members for image " + id + ".");
          }
          images.updateMember(id, memberId, status, now());
          return images.member(id, memberId).orElse(current);
        });
  }

  public void removeMember(CatalogScope caller, String id, String memberId) {
    images.inTransaction(
        () -> {
          Image image = lockVisible(caller, id).orElseThrow(() -> CatalogException.notFound(id));
          requireOwner(caller, image, "Not allowed to delete members for image " + id + ".");
          if (image.visibility() != Visibility.SHARED) {
            throw ApiException.notFound("Only shared images have members.");
          }
          if (!images.removeMember(id, memberId)) {
            throw ApiException.notFound(
                memberId + " not found in the member list of the image " + id + ".");
          }
          return null;
        });
  }

  private static boolean isOwnerOrAdmin(CatalogScope caller, Image image) {
    return caller.isAdmin() || (image.owner() != null && image.owner().equals(caller.projectId()));
  }

  // ---- shared ----

  /** Stores images made elsewhere (demo data, generators, imports) as they are. */
  public void addAll(List<Image> batch) {
    images.insertAll(batch);
  }

  /**
   * The catalog generation: advances with every committed change to images, members, tags or
   * properties, on this node and (heard within a second) on others sharing the store.
   */
  public CatalogGeneration generation() {
    return images.generation();
  }

  /** Whether the catalog holds no image at all, deleted ones included. */
  public boolean isEmpty() {
    return images.count() == 0;
  }

  private Instant deletedSince(ListQuery query) {
    if (query.changesSince() == null || !deletedInChangesSince) {
      return null;
    }
    return clock.instant().minus(retention);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static void checkQuotas(int properties, int tags) {
    if (properties > PROPERTY_QUOTA) {
      throw new CatalogException(
          Reason.OVER_QUOTA,
          null,
          "The limit has been exceeded on the number of allowed image properties. Attempted: "
              + properties
              + ", Maximum: "
              + PROPERTY_QUOTA);
    }
    if (tags > TAG_QUOTA) {
      throw new CatalogException(
          Reason.OVER_QUOTA,
          null,
          "The limit has been exceeded on the number of allowed image tags. Attempted: "
              + tags
              + ", Maximum: "
              + TAG_QUOTA);
    }
  }

  private static Image withUpdatedAt(Image i, Instant when) {
    return new Image(
        i.id(), i.owner(), i.name(), i.status(), i.visibility(), i.isProtected(), i.osHidden(),
        i.minDisk(), i.minRam(), i.size(), i.virtualSize(), i.diskFormat(), i.containerFormat(),
        i.checksum(), i.osHashAlgo(), i.osHashValue(), i.createdAt(), when, i.deletedAt(),
        i.properties(), i.tags());
  }

  private static final String PUBLICIZE =
      "You are not authorized to complete publicize_image action.";

  static ImageRepository.Scope scope(CatalogScope caller) {
    return new ImageRepository.Scope(caller.projectId(), caller.isAdmin());
  }

  /**
   * Glance's visibility rule for a single image (spec §10.1), the one both APIs use: admins see
   * everything; anyone sees ownerless, public and community images and their own project's; a
   * shared image is visible to its member projects whatever their member status (lists show
   * accepted ones only, which the repository's list SQL decides with the same rule).
   */
  boolean visible(ImageRepository.Scope scope, Image img) {
    return visible(
        scope,
        img,
        () -> scope.project() != null && images.member(img.id(), scope.project()).isPresent());
  }

  /** As {@link #visible(ImageRepository.Scope, Image)}, with membership already known. */
  static boolean visible(ImageRepository.Scope scope, Image img, BooleanSupplier member) {
    return visible(scope, img.owner(), img.visibility(), member);
  }

  private static boolean visible(
      ImageRepository.Scope scope, String owner, Visibility visibility, BooleanSupplier member) {
    if (scope.admin() || owner == null) {
      return true;
    }
    if (owner.equals(scope.project())) {
      return true;
    }
    return switch (visibility) {
      case PUBLIC, COMMUNITY -> true;
      case PRIVATE -> false;
      case SHARED -> scope.project() != null && member.getAsBoolean();
    };
  }
}
