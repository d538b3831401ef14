package dev.glint.catalog;

import dev.glint.catalog.QuotaLimits.Quota;
import dev.glint.error.ApiException;
import dev.glint.fetch.ImportFilter;
import dev.glint.fetch.WebSource;
import dev.glint.error.CatalogException;
import dev.glint.error.CatalogException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Glance's interoperable import, {@code glance-direct}, {@code web-download} and {@code
 * copy-image}: {@code stage} streams the data into a
 * staging store ({@code queued} → {@code uploading}); {@code import} moves it into the blob store
 * ({@code uploading} → {@code importing} → {@code active}) in the background, setting the reserved
 * properties Glance's import flow sets. A failed stage or import leaves the image {@code queued}
 * with no staged data.
 */
public final class ImportService {
  private static final Logger LOG = LoggerFactory.getLogger(ImportService.class);
  public static final String GLANCE_DIRECT = "glance-direct";
  public static final String WEB_DOWNLOAD = "web-download";
  public static final String COPY_IMAGE = "copy-image";
  public static final String GLANCE_DOWNLOAD = "glance-download";

  static final String TASK = "os_glance_import_task";
  static final String IMPORTING = "os_glance_importing_to_stores";
  static final String FAILED = "os_glance_failed_import";

  private final CatalogService catalog;
  private final ImageRepository images;
  private final Stores stores;
  private final BlobStore staging;
  private final Clock clock;
  private final long sizeCap;
  private final ImageQuotas quotas;
  private final List<String> methods;
  private final WebSource web;
  /** The node's leases: an import holds one (its task id) while this node moves its data. */
  private final UploadLeases leases;
  private final GlanceDownload glance;
  /**
   * The image as it was before a running {@code glance-download} copied the remote formats and
   * properties, by task id: a failure of that import puts them back (Glance's {@code
   * _ImportMetadata.revert}).
   */
  private final Map<String, Adopted> beforeGlanceDownload =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** An image before a {@code glance-download} changed it, and the property keys it copied. */
  private record Adopted(Image before, Set<String> copied) {}

  ImportService(
      CatalogService catalog,
      ImageRepository images,
      Stores stores,
      BlobStore staging,
      Clock clock,
      long sizeCap,
      ImageQuotas quotas,
      List<String> methods,
      WebSource web,
      UploadLeases leases,
      GlanceDownload glance) {
    this.catalog = catalog;
    this.images = images;
    this.stores = stores;
    this.staging = staging;
    this.clock = clock;
    this.sizeCap = sizeCap;
    this.quotas = quotas;
    this.methods = List.copyOf(methods);
    this.web = web;
    this.leases = leases;
    this.glance = glance;
  }

  /** The methods {@code /v2/info/import} lists and {@code import} accepts. */
  public List<String> methods() {
    return methods;
  }

  /** The id of the default store. */
  public String storeId() {
    return stores.defaultId();
  }

  /**
   * Where an import goes, as asked: the {@code stores} list or the {@code X-Image-Meta-Store}
   * header ({@code stores}, null for the default store), or every store ({@code allStores}).
   *
   * @param mustSucceed Glance's {@code all_stores_must_succeed}: one store failing fails all
   */
  public record Targets(List<String> stores, boolean allStores, boolean mustSucceed) {
    public static final Targets DEFAULT = new Targets(null, false, true);
  }

  /** The store ids of {@code t}, each configured (else 409, as Glance's import answers). */
  private List<String> resolve(Targets t) {
    if (t.allStores()) {
      return stores.ids();
    }
    if (t.stores() == null) {
      return List.of(stores.defaultId());
    }
    for (String id : t.stores()) {
      catalog.store(id, true);
    }
    return List.copyOf(new java.util.LinkedHashSet<>(t.stores()));
  }

  /** {@code PUT /v2/images/{id}/stage}: the data streamed and hashed into the staging store. */
  public void stage(CatalogScope caller, String id, InputStream data) {
    quotas.enforce(caller.projectId(), Quota.IMAGE_STAGE_TOTAL, 0);
    // queued → uploading commits first, so a concurrent second stage gets the 409.
    images.inTransaction(
        () -> {
          Image locked =
              catalog.lockModifiable(caller, id, "Not allowed to upload image data for image " + id);
          CatalogService.requireMove(locked, ImageStatus.UPLOADING);
          images.moveStatus(id, ImageStatus.QUEUED, ImageStatus.UPLOADING, now());
          quotas.enforce(caller.projectId(), Quota.IMAGE_COUNT_UPLOADING, 0);
          return null;
        });
    BlobStore.Stored stored;
    try {
      stored = staging.put(id, data, sizeCap);
    } catch (BlobStore.TooLargeException e) {
      unstage(id, ImageStatus.UPLOADING);
      throw new CatalogException(
          Reason.OVER_QUOTA,
          id,
          "The incoming image is too large: image size exceeds the limit of " + sizeCap + " bytes");
    } catch (IOException | RuntimeException e) {
      // A cut-off body: the staging store kept nothing; the image may be staged again.
      unstage(id, ImageStatus.UPLOADING);
      LOG.info("stage of image {} failed, back to queued: {}", id, e.toString());
      throw ApiException.badRequest(
          "Error in image data upload: the request body was cut off.");
    }
    // As Glance: the staged size is the image's size from now on (image_stage_total counts it).
    images.recordStagedSize(id, stored.size(), now());
  }

  /**
   * {@code POST /v2/images/{id}/import} with {@code glance-direct}: checks and marks the image
   * {@code importing} in one unit of work, then copies the staged data into the target stores in
   * the background.
   */
  public void importStaged(
      CatalogScope caller, String id, Targets targets, ImportTask.Origin origin) {
    String task = UUID.randomUUID().toString();
    List<String> to = resolve(targets);
    quotas.enforce(caller.projectId(), Quota.IMAGE_SIZE_TOTAL, 0);
    images.inTransaction(
        () -> {
          Image image = catalog.lockModifiable(caller, id, "You do not own this image");
          checkImportable(image, GLANCE_DIRECT);
          if (!hasStaged(id)) {
            throw conflict(id, "Image " + id + " has no data on staging");
          }
          // Glance checks this in the import flow (the task fails); Glint answers the 413 here,
          // before anything moves, and the image stays staged.
          long staged = image.size() == null ? 0 : image.size();
          quotas.enforce(
              caller.projectId(), Quota.IMAGE_SIZE_TOTAL, ImageQuotas.mib(staged) * to.size());
          images.moveStatus(id, ImageStatus.UPLOADING, ImageStatus.IMPORTING, now());
          images.changeProperties(
              id, Map.of(TASK, task, IMPORTING, Stores.join(to), FAILED, ""), Set.of(), now());
          images.insertTask(newTask(task, caller, id, to, origin));
          images.leaseImport(id, task, leases.until());
          return null;
        });
    leases.hold(id, task);
    Thread.ofVirtual()
        .name("import-" + id)
        .start(() -> finish(id, to, targets.mustSucceed(), task));
  }

  /**
   * {@code POST /v2/images/{id}/import} with {@code web-download}: a {@code queued} image goes
   * {@code importing} in one unit of work; a background thread streams the URI's data into
   * staging (through the filter's pinned address), then into the stores, as a staged import.
   */
  public void importFromWeb(
      CatalogScope caller, String id, String uri, Targets targets, ImportTask.Origin origin) {
    String task = UUID.randomUUID().toString();
    List<String> to = resolve(targets);
    quotas.enforce(caller.projectId(), Quota.IMAGE_SIZE_TOTAL, 0);
    images.inTransaction(
        () -> {
          Image image = catalog.lockModifiable(caller, id, "You do not own this image");
          checkImportable(image, WEB_DOWNLOAD);
          return null;
        });
    // No DNS lookup here (a name is resolved and checked at fetch time, and every redirect too).
    try {
      web.filter().checkWithoutLookup(uri);
    } catch (ImportFilter.Refused e) {
      LOG.info("web-download of image {} refused: {}", id, e.getMessage());
      throw ApiException.badRequest(
          "URI for web-download does not pass filtering: " + (uri == null ? "None" : uri));
    }
    images.inTransaction(
        () -> {
          Image image = catalog.lockModifiable(caller, id, "You do not own this image");
          checkImportable(image, WEB_DOWNLOAD);
          startFetch(caller, id, task, to, origin);
          return null;
        });
    leases.hold(id, task);
    Thread.ofVirtual()
        .name("web-download-" + id)
        .start(() -> download(id, uri, to, targets.mustSucceed(), task));
  }

  private void download(String id, String uri, List<String> to, boolean mustSucceed, String task) {
    try (WebSource.Body body = web.open(uri)) {
      BlobStore.Stored stored = staging.put(id, body.stream(), sizeCap);
      if (body.contentLength() >= 0 && stored.size() != body.contentLength()) {
        throw new IOException(
            "downloaded data size " + stored.size() + " is different from expected "
                + body.contentLength());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("web-download of image {} failed, back to queued: {}", id, e.toString());
      fail(id, "Failed to download the image data: " + e.getMessage(), task);
      return;
    }
    finish(id, to, mustSucceed, task);
  }

  /**
   * {@code POST /v2/images/{id}/import} with {@code glance-download}: a {@code queued} image goes
   * {@code importing} in one unit of work; a background thread finds the other Glance in the
   * caller's catalog, reads its image's record (it must be {@code active}), copies its formats and
   * the configured properties onto this image, streams its data into staging, then into the
   * stores, as a staged import. Any failure puts the formats and properties back and the image
   * back to {@code queued}.
   *
   * @param token the caller's token, which the remote Glance is called with
   */
  public void importFromGlance(
      CatalogScope caller,
      String id,
      String token,
      String region,
      String remoteId,
      String iface,
      Targets targets,
      ImportTask.Origin origin) {
    String task = UUID.randomUUID().toString();
    List<String> to = resolve(targets);
    quotas.enforce(caller.projectId(), Quota.IMAGE_SIZE_TOTAL, 0);
    String remote =
        images.inTransaction(
            () -> {
              Image image = catalog.lockModifiable(caller, id, "You do not own this image");
              checkImportable(image, GLANCE_DOWNLOAD);
              // Glance checks the method's parameters after the image's state.
              if (region == null) {
                throw ApiException.badRequest(
                    "'glance_region' needs to be set for glance-download import method");
              }
              if (remoteId == null) {
                throw ApiException.badRequest(
                    "'glance_image_id' needs to be set for glance-download import method");
              }
              String canonical =
                  canonicalUuid(remoteId)
                      .orElseThrow(
                          () ->
                              ApiException.badRequest(
                                  "Remote image id does not look like a UUID: " + remoteId));
              startFetch(caller, id, task, to, origin);
              return canonical;
            });
    leases.hold(id, task);
    GlanceDownload.Request request =
        new GlanceDownload.Request(token, caller.projectId(), region, remote, iface);
    Thread.ofVirtual()
        .name("glance-download-" + id)
        .start(() -> downloadFromGlance(id, request, to, targets.mustSucceed(), task));
  }

  /**
   * In the caller's unit of work, a queued image that Glint fetches itself (web-download,
   * glance-download) goes importing: its task and reserved properties, then, as Glance's flows
   * for both methods, staging space and an uploading slot, and the import's lease.
   */
  private void startFetch(
      CatalogScope caller, String id, String task, List<String> to, ImportTask.Origin origin) {
    images.moveStatus(id, ImageStatus.QUEUED, ImageStatus.IMPORTING, now());
    images.changeProperties(
        id, Map.of(TASK, task, IMPORTING, Stores.join(to), FAILED, ""), Set.of(), now());
    images.insertTask(newTask(task, caller, id, to, origin));
    quotas.enforce(caller.projectId(), Quota.IMAGE_STAGE_TOTAL, 0);
    quotas.enforce(caller.projectId(), Quota.IMAGE_COUNT_UPLOADING, 0);
    images.leaseImport(id, task, leases.until());
  }

  private void downloadFromGlance(
      String id, GlanceDownload.Request request, List<String> to, boolean mustSucceed, String task) {
    try {
      GlanceDownload.Remote remote = glance.metadata(request);
      if (!images.inTransaction(() -> adoptRemote(id, task, remote))) {
        leases.end(id, task);
        return; // deleted, or failed by another node meanwhile
      }
      try (WebSource.Body body = glance.data(remote, request)) {
        BlobStore.Stored stored = staging.put(id, body.stream(), sizeCap);
        if (stored.size() != remote.size()) {
          throw new IOException(
              "downloaded data size " + stored.size() + " is different from expected "
                  + remote.size());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("glance-download of image {} failed, back to queued: {}", id, e.toString());
      fail(id, "Failed to import the image from Glance: " + e.getMessage(), task);
      return;
    }
    try {
      finish(id, to, mustSucceed, task);
    } finally {
      beforeGlanceDownload.remove(task);
    }
  }

  /**
   * {@code s} as Python's {@code uuid.UUID(s)} reads it (braces, {@code urn:uuid:} and dashes
   * anywhere allowed; 32 hex digits), in the canonical form; empty when it is not one.
   */
  static Optional<String> canonicalUuid(String s) {
    String hex = s.replace("urn:", "").replace("uuid:", "");
    hex = hex.replaceAll("^\\{+|\\}+$", "").replace("-", "");
    if (!hex.matches("[0-9a-fA-F]{32}")) {
      return Optional.empty();
    }
    hex = hex.toLowerCase(java.util.Locale.ROOT);
    return Optional.of(
        hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
            + hex.substring(16, 20) + "-" + hex.substring(20));
  }

  /**
   * The remote image's formats and properties onto the importing image (Glance's {@code
   * _ImportMetadata}), remembering what they were; false when the image is no longer this task's.
   */
  private boolean adoptRemote(String id, String task, GlanceDownload.Remote remote) {
    Optional<Image> locked = images.lock(id);
    if (locked.isEmpty()
        || locked.get().status() != ImageStatus.IMPORTING
        || !task.equals(locked.get().properties().get(TASK))) {
      return false;
    }
    Image before = locked.get();
    Map<String, String> properties = new java.util.TreeMap<>(before.properties());
    properties.putAll(remote.properties());
    images.update(
        reshaped(
            before,
            remote.diskFormat() == null ? before.diskFormat() : remote.diskFormat(),
            remote.containerFormat() == null ? before.containerFormat() : remote.containerFormat(),
            properties));
    beforeGlanceDownload.put(task, new Adopted(before, Set.copyOf(remote.properties().keySet())));
    return true;
  }

  /** {@code image} with other formats and extra properties, updated now. */
  private Image reshaped(
      Image image, String diskFormat, String containerFormat, Map<String, String> properties) {
    return new Image(
        image.id(), image.owner(), image.name(), image.status(), image.visibility(),
        image.isProtected(), image.osHidden(), image.minDisk(), image.minRam(), image.size(),
        image.virtualSize(), diskFormat, containerFormat, image.checksum(), image.osHashAlgo(),
        image.osHashValue(), image.createdAt(), now(), image.deletedAt(), properties,
        image.tags());
  }

  /**
   * A failing {@code glance-download}: the formats back as they were, and each property it copied
   * back to its old value or removed (Glance's {@code _ImportMetadata.revert}). A PATCH of another
   * property made meanwhile is kept.
   */
  private void revertGlanceDownload(String task, Image current) {
    Adopted adopted = beforeGlanceDownload.remove(task);
    if (adopted == null) {
      return;
    }
    Map<String, String> old = adopted.before().properties();
    Map<String, String> properties = new java.util.TreeMap<>(current.properties());
    for (String key : adopted.copied()) {
      if (old.containsKey(key)) {
        properties.put(key, old.get(key));
      } else {
        properties.remove(key);
      }
    }
    images.update(
        reshaped(
            current, adopted.before().diskFormat(), adopted.before().containerFormat(), properties));
  }

  /**
   * {@code POST /v2/images/{id}/import} with {@code copy-image} (admins, by policy): copies an
   * active image's data into more stores in the background, store to store; the image stays
   * {@code active} and lists each store in {@code stores} once its copy is complete and verified.
   */
  public void copy(CatalogScope caller, String id, Targets targets, ImportTask.Origin origin) {
    String task = UUID.randomUUID().toString();
    List<String> asked = resolve(targets);
    List<String> to =
        images.inTransaction(
            () -> {
              Image image = catalog.lockModifiable(caller, id, "You do not own this image");
              if (image.status() != ImageStatus.ACTIVE) {
                throw conflict(id, "Only images with status active can be targeted for copying");
              }
              if (image.properties().containsKey(TASK)) {
                throw conflict(
                    id,
                    "Image " + id + " is already being imported by task "
                        + image.properties().get(TASK));
              }
              List<String> held = stores.of(image);
              List<String> missing = new ArrayList<>();
              for (String s : asked) {
                if (!held.contains(s)) {
                  missing.add(s);
                } else if (!targets.allStores()) {
                  throw ApiException.badRequest("Image is already present at store '" + s + "'");
                }
              }
              if (missing.isEmpty()) {
                return missing; // in every store already: nothing to do, as Glance
              }
              // As Glance's flow (remove_failed_stores): the targets leave the failed list, which
              // is set even when empty (tempest's copy waiter reads it).
              List<String> failedBefore =
                  Stores.parse(image.properties().getOrDefault(FAILED, ""), "");
              List<String> stillFailed = new ArrayList<>(failedBefore);
              stillFailed.removeAll(missing);
              images.changeProperties(
                  id,
                  Map.of(
                      TASK, task, IMPORTING, Stores.join(missing), FAILED, Stores.join(stillFailed)),
                  Set.of(),
                  now());
              images.insertTask(newTask(task, caller, id, missing, origin));
              // As Glance's flow for copy-image: staging space and an uploading slot.
              quotas.enforce(caller.projectId(), Quota.IMAGE_STAGE_TOTAL, 0);
              quotas.enforce(caller.projectId(), Quota.IMAGE_COUNT_UPLOADING, 0);
              return missing;
            });
    if (!to.isEmpty()) {
      Thread.ofVirtual().name("copy-" + id).start(() -> copyData(id, to));
    }
  }

  private void copyData(String id, List<String> to) {
    for (String target : to) {
      boolean ok = copyOne(id, target);
      images.inTransaction(
          () -> {
            Optional<Image> now = images.lock(id);
            if (now.isEmpty() || now.get().deleted()) {
              return null;
            }
            Map<String, String> p = now.get().properties();
            List<String> importing =
                Stores.minus(Stores.parse(p.getOrDefault(IMPORTING, ""), ""), target);
            Map<String, String> set = new java.util.HashMap<>();
            set.put(IMPORTING, Stores.join(importing));
            if (ok) {
              set.put(Stores.PROPERTY, Stores.join(Stores.plus(stores.of(now.get()), target)));
            } else {
              set.put(
                  FAILED,
                  Stores.join(Stores.plus(Stores.parse(p.getOrDefault(FAILED, ""), ""), target)));
            }
            images.changeProperties(id, set, importing.isEmpty() ? Set.of(TASK) : Set.of(), now());
            if (importing.isEmpty() && p.get(TASK) != null) {
              String failedNow = set.getOrDefault(FAILED, p.getOrDefault(FAILED, ""));
              endTask(
                  p.get(TASK),
                  id,
                  failedNow.isEmpty(),
                  failedNow.isEmpty() ? "" : "Failed to copy image data to stores: " + failedNow);
            }
            return null;
          });
    }
    // Deleted meanwhile: the copies must not outlive the image.
    Optional<Image> after = images.find(id);
    if (after.isEmpty() || after.get().deleted()) {
      for (String target : to) {
        stores.find(target).ifPresent(s -> deleteQuietly(s, id));
      }
    }
  }

  /** One verified copy of the image's data into {@code target}; false (and nothing left) if not. */
  private boolean copyOne(String id, String target) {
    Optional<Image> image = images.find(id);
    if (image.isEmpty() || image.get().status() != ImageStatus.ACTIVE) {
      return false;
    }
    BlobStore to = stores.find(target).orElseThrow();
    for (String source : stores.of(image.get())) {
      Optional<BlobStore> from = stores.find(source);
      if (from.isEmpty()) {
        continue;
      }
      try {
        Optional<SeekableByteChannel> ch = from.get().get(id);
        if (ch.isEmpty()) {
          continue;
        }
        BlobStore.Stored stored;
        try (InputStream in = Channels.newInputStream(ch.get())) {
          stored = to.put(id, in, sizeCap);
        }
        if (!stored.sha512().equals(image.get().osHashValue())) {
          LOG.warn("copy of image {} to {} does not hash as the image: removed", id, target);
          deleteQuietly(to, id);
          return false;
        }
        return true;
      } catch (IOException | RuntimeException e) {
        LOG.warn("copy of image {} from {} to {} failed: {}", id, source, target, e.toString());
        return false;
      }
    }
    LOG.warn("copy of image {} to {}: no store holds its data", id, target);
    return false;
  }

  /**
   * {@code POST /v2/tasks} with type {@code import} (Glance's deprecated task import): records the
   * task {@code pending} and answers it; in the background the task goes {@code processing},
   * creates an image from {@code image_properties} in the caller's project, streams {@code
   * import_from} into it as an upload (through the web-download filter, size cap and quotas), and
   * ends {@code success} with {@code {"image_id": ...}}, or {@code failure} with the image deleted,
   * as Glance's {@code base_import} flow reverts.
   *
   * @param input the task input, JSON text (recorded as given)
   * @param uri {@code import_from}, or null when missing
   * @param properties parses {@code image_properties} (throws, with the reason, when missing or
   *     invalid)
   */
  public ImportTask createImportTask(
      CatalogScope caller,
      String input,
      String uri,
      java.util.function.Supplier<CreateImageRequest> properties,
      ImportTask.Origin origin) {
    Instant now = now();
    ImportTask task =
        new ImportTask(
            UUID.randomUUID().toString(), "import", "pending", caller.projectId(), null,
            origin.requestId(), origin.userId(), input, null, "", now, now, null);
    images.insertTask(task);
    Thread.ofVirtual()
        .name("task-import-" + task.id())
        .start(() -> runImportTask(caller, task.id(), uri, properties));
    return task;
  }

  private void runImportTask(
      CatalogScope caller,
      String taskId,
      String uri,
      java.util.function.Supplier<CreateImageRequest> properties) {
    images.moveTask(taskId, "pending", "processing", now());
    String imageId = null;
    try {
      if (uri == null) {
        throw new IllegalArgumentException("Input does not contain 'import_from' field");
      }
      try {
        web.filter().checkWithoutLookup(uri);
      } catch (ImportFilter.Refused e) {
        throw new IllegalArgumentException("URI for import does not pass filtering: " + uri);
      }
      imageId = catalog.create(caller, properties.get()).id();
      try (WebSource.Body body = web.open(uri)) {
        catalog.upload(caller, imageId, exactly(body), null);
      }
      endTask(taskId, imageId, true, "");
    } catch (IOException | RuntimeException e) {
      LOG.info("import task {} failed: {}", taskId, e.toString());
      if (imageId != null) {
        try {
          catalog.delete(caller, imageId);
        } catch (RuntimeException gone) {
          LOG.info("image {} of failed task {} not deleted: {}", imageId, taskId, gone.toString());
        }
      }
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      endTask(taskId, imageId, false, e instanceof IOException ? "Failed to download: " + why : why);
    }
  }

  /** The body's stream, failing at its end if it brought less than its Content-Length. */
  private static InputStream exactly(WebSource.Body body) {
    return new java.io.FilterInputStream(body.stream()) {
      private long seen;

      @Override
      public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        count(n);
        return n;
      }

      private void count(int n) throws IOException {
        if (n >= 0) {
          seen += n;
        } else if (body.contentLength() >= 0 && seen != body.contentLength()) {
          throw new IOException(
              "downloaded data size " + seen + " is different from expected "
                  + body.contentLength());
        }
      }
    };
  }

  /** {@code GET /v2/images/{id}/tasks}: the image's import tasks, if the caller may see it. */
  public List<ImportTask> tasksOf(CatalogScope caller, String id) {
    catalog.get(caller, id);
    return images.tasks(id, null);
  }

  /** {@code GET /v2/tasks}: the caller's project's tasks (an admin's: everyone's). */
  public List<ImportTask> tasks(CatalogScope caller) {
    if (!caller.isAdmin() && caller.projectId() == null) {
      return List.of();
    }
    return images.tasks(null, caller.isAdmin() ? null : caller.projectId());
  }

  /** {@code GET /v2/tasks/{id}}: one task of the caller's project (any, for an admin). */
  public ImportTask task(CatalogScope caller, String taskId) {
    return images
        .findTask(taskId)
        .filter(t -> caller.isAdmin() || (t.owner() != null && t.owner().equals(caller.projectId())))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "Task with the given id " + taskId + " was not found"));
  }

  /** Glance keeps a finished task for 48 hours ({@code task_time_to_live}). */
  private static final java.time.Duration TASK_TTL = java.time.Duration.ofHours(48);

  private ImportTask newTask(
      String task, CatalogScope caller, String id, List<String> to, ImportTask.Origin origin) {
    StringBuilder backend = new StringBuilder("[");
    for (String s : to) {
      backend.append(backend.length() > 1 ? ", " : "").append('"').append(jsonText(s)).append('"');
    }
    String input =
        "{\"image_id\": \"" + jsonText(id) + "\", \"import_req\": " + origin.importRequest()
            + ", \"backend\": " + backend.append(']') + "}";
    Instant now = now();
    return new ImportTask(
        task, "api_image_import", "processing", caller.projectId(), id, origin.requestId(),
        origin.userId(), input, null, "", now, now, null);
  }

  /** Inside the unit of work that ends an import: its task succeeds or fails. */
  private void endTask(String task, String imageId, boolean ok, String message) {
    Instant now = now();
    images.moveTask(task, "pending", "processing", now);
    images.finishTask(
        task,
        ok ? "success" : "failure",
        message,
        ok ? "{\"image_id\": \"" + jsonText(imageId) + "\"}" : null,
        now,
        now.plus(TASK_TTL));
  }

  private static String jsonText(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Glance's checks of an image about to be imported by {@code method}, in its order. */
  private static void checkImportable(Image image, String method) {
    String id = image.id();
    if (image.status() == ImageStatus.ACTIVE) {
      throw conflict(id, "Image with status active cannot be target for import");
    }
    if ((method.equals(WEB_DOWNLOAD) || method.equals(GLANCE_DOWNLOAD))
        && image.status() != ImageStatus.QUEUED) {
      throw conflict(id, "Image needs to be in 'queued' state to use '" + method + "' method");
    }
    if (method.equals(GLANCE_DIRECT) && image.status() != ImageStatus.UPLOADING) {
      throw conflict(id, "Image needs to be staged before 'glance-direct' method can be used");
    }
    if (image.containerFormat() == null) {
      throw conflict(id, "'container_format' needs to be set before import");
    }
    if (image.diskFormat() == null) {
      throw conflict(id, "'disk_format' needs to be set before import");
    }
    if (image.properties().containsKey(TASK)) {
      throw conflict(
          id, "Image " + id + " is already being imported by task " + image.properties().get(TASK));
    }
  }

  /**
   * The staged data into each target store, then {@code active}. A store that fails is listed in
   * {@code os_glance_failed_import}; with {@code mustSucceed} (the default) one failure fails the
   * whole import and removes the copies made.
   */
  private void finish(String id, List<String> to, boolean mustSucceed, String task) {
    try {
      finishLeased(id, to, mustSucceed, task);
    } finally {
      leases.end(id, task);
    }
  }

  private void finishLeased(String id, List<String> to, boolean mustSucceed, String task) {
    Optional<Image> image = images.find(id);
    if (image.isEmpty()
        || image.get().status() != ImageStatus.IMPORTING
        || !task.equals(image.get().properties().get(TASK))) {
      return; // deleted, or failed by another node after this node's lease ran out
    }
    BlobStore.Stored stored = null;
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String target : to) {
      BlobStore store = stores.find(target).orElse(null);
      try (SeekableByteChannel ch =
              staging.get(id).orElseThrow(() -> new IOException("no staged data"));
          InputStream in = Channels.newInputStream(ch)) {
        if (store == null) {
          throw new IOException("store " + target + " is not configured");
        }
        stored = store.put(id, in, sizeCap);
        done.add(target);
      } catch (IOException | RuntimeException e) {
        LOG.warn("import of image {} into {} failed: {}", id, target, e.toString());
        failed.add(target);
      }
    }
    if (done.isEmpty() || (mustSucceed && !failed.isEmpty())) {
      for (String target : done) {
        stores.find(target).ifPresent(s -> deleteQuietly(s, id));
      }
      fail(id, "Import of the image data failed", task);
      return;
    }
    Image i = image.get();
    Long virtualSize = VirtualSize.of(i.containerFormat(), i.diskFormat(), stored);
    ImageRepository.ImageData facts =
        new ImageRepository.ImageData(
            stored.size(), virtualSize, stored.md5(), "sha512", stored.sha512());
    boolean active =
        images.inTransaction(
            () -> {
              Optional<Image> locked = images.lock(id);
              if (locked.isEmpty() || !task.equals(locked.get().properties().get(TASK))) {
                return false; // taken over by another node: this data is not the image's
              }
              if (!images.activate(id, ImageStatus.IMPORTING, facts, now())) {
                return false;
              }
              // As Glance's flow ends: nothing importing, the failed stores, the task lock dropped.
              images.changeProperties(
                  id,
                  Map.of(
                      IMPORTING, "", FAILED, Stores.join(failed), Stores.PROPERTY, Stores.join(done)),
                  Set.of(TASK),
                  now());
              if (i.properties().get(TASK) != null) {
                endTask(i.properties().get(TASK), id, true, "");
              }
              return true;
            });
    if (!active) {
      // Deleted while importing: do not leave the data behind.
      for (String target : done) {
        stores.find(target).ifPresent(s -> deleteQuietly(s, id));
      }
    }
    deleteQuietly(staging, id);
  }

  /**
   * An import that cannot finish: back to {@code queued}, its stores listed as failed. {@code
   * expected} is the import's task (null: whichever import it is, at start); an image another node
   * already failed, or importing again under a newer task, is left alone.
   */
  private void fail(String id, String why, String expected) {
    try {
      images.inTransaction(() -> failLocked(id, why, expected));
      deleteQuietly(staging, id);
    } finally {
      if (expected != null) {
        leases.end(id, expected);
      }
    }
  }

  private boolean failLocked(String id, String why, String expected) {
    Optional<Image> image = images.lock(id);
    if (image.isEmpty()) {
      return false;
    }
    String importing = image.get().properties().getOrDefault(IMPORTING, "");
    String task = image.get().properties().get(TASK);
    if (expected != null && !expected.equals(task)) {
      return false;
    }
    if (!images.requeue(id, ImageStatus.IMPORTING, now())) {
      return false;
    }
    if (task != null) {
      revertGlanceDownload(task, image.get());
    }
    images.changeProperties(
        id,
        Map.of(IMPORTING, "", FAILED, importing.isEmpty() ? storeId() : importing),
        Set.of(TASK),
        now());
    if (task != null) {
      endTask(task, id, false, why);
    }
    return true;
  }

  /**
   * Any node, from its maintenance thread: fails the imports whose node stopped renewing their
   * lease (it died), as a stop fails them at start with SQLite. Each is taken in one unit of work
   * that checks the lease again under the row's lock, so with several nodes sweeping each import
   * is failed once, and one whose node renewed meanwhile is left running. Returns their ids.
   */
  public List<String> recoverExpired() {
    Instant now = clock.instant();
    Instant stale = now.minus(leases.ttl());
    List<String> failed = new ArrayList<>();
    for (String id : images.expiredImports(now, stale)) {
      boolean taken =
          images.inTransaction(
              () ->
                  images.takeExpiredImport(id, now, stale)
                      && failLocked(
                          id,
                          "The node running the import stopped before it finished (its lease"
                              + " expired)",
                          null));
      if (taken) {
        failed.add(id);
      }
    }
    return failed;
  }

  /**
   * At start, with one process owning the catalog: an image left {@code importing} failed with the
   * last run (back to {@code queued}, {@code os_glance_failed_import} set); one left {@code
   * uploading} keeps its staged data if the stage completed, else goes back to {@code queued}.
   * Returns how many images were failed.
   */
  public int recoverInterrupted() {
    int n = 0;
    for (String id : images.idsInStatus(ImageStatus.IMPORTING)) {
      fail(id, "Import of the image data failed", null);
      n++;
    }
    for (String id : images.idsWithProperty(TASK)) {
      if (failCopy(id)) {
        n++;
      }
    }
    for (String id : images.idsInStatus(ImageStatus.UPLOADING)) {
      if (!hasStaged(id)) {
        unstage(id, ImageStatus.UPLOADING);
        n++;
      }
    }
    if (n > 0) {
      LOG.warn("{} image stage(s)/import(s) were cut off by a stop; those images are queued", n);
    }
    return n;
  }

  /**
   * A copy-image a stop cut off: the image is still {@code active} with its task lock. The stores
   * it was copying to are listed as failed, any copy there not recorded is removed, the lock
   * dropped and the task failed. False when the image was not copying.
   */
  private boolean failCopy(String id) {
    List<String> cut =
        images.inTransaction(
            () -> {
              Optional<Image> image = images.lock(id);
              if (image.isEmpty() || image.get().status() != ImageStatus.ACTIVE) {
                return null; // not a copy (an import left importing is failed above)
              }
              Map<String, String> p = image.get().properties();
              List<String> importing = Stores.parse(p.getOrDefault(IMPORTING, ""), "");
              List<String> failed = new ArrayList<>(Stores.parse(p.getOrDefault(FAILED, ""), ""));
              for (String s : importing) {
                if (!failed.contains(s)) {
                  failed.add(s);
                }
              }
              images.changeProperties(
                  id, Map.of(IMPORTING, "", FAILED, Stores.join(failed)), Set.of(TASK), now());
              endTask(p.get(TASK), id, false, "The copy was cut off by a stop of Glint");
              List<String> orphans = new ArrayList<>(importing);
              orphans.removeAll(stores.of(image.get()));
              return orphans;
            });
    if (cut == null) {
      return false;
    }
    for (String s : cut) {
      stores.find(s).ifPresent(store -> deleteQuietly(store, id));
    }
    return true;
  }

  /** Deletes the staged data of an image being deleted (no-op when there is none). */
  public void dropStaged(String id) {
    deleteQuietly(staging, id);
  }

  private void unstage(String id, ImageStatus from) {
    images.requeue(id, from, now());
    deleteQuietly(staging, id);
  }

  private boolean hasStaged(String id) {
    try {
      Optional<SeekableByteChannel> ch = staging.get(id);
      if (ch.isPresent()) {
        ch.get().close();
        return true;
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteQuietly(BlobStore store, String id) {
    try {
      store.delete(id);
    } catch (IOException e) {
      LOG.warn("could not remove data of image {} from {}: {}", id, store.id(), e.toString());
    }
  }

  private static CatalogException conflict(String id, String message) {
    return new CatalogException(Reason.CONFLICT, id, message);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
