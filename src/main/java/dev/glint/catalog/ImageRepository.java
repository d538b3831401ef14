package dev.glint.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Storage of images, implemented by {@code store}. Methods are thread-safe; each call is its own
 * transaction, except inside {@link #inTransaction}, where every call joins the one unit of work.
 * Every committed change to images, members, tags or properties advances {@link #generation()}
 * once per transaction. Lists are ordered newest first ({@code created_at desc, id desc}).
 */
public interface ImageRepository {

  /**
   * Runs {@code work} as one write transaction: the repository calls it makes (reads included)
   * see and join it, and all its writes commit together or not at all. {@code work} may run more
   * than once when the store aborts it for a conflicting concurrent transaction, so it must have no
   * effects outside the store; when retries run out the caller gets a 409 conflict.
   */
  <R> R inTransaction(Supplier<R> work);

  /**
   * The image with this id (deleted ones included, properties and tags loaded), locked against
   * other writers until the enclosing {@link #inTransaction} ends. Only inside one.
   */
  Optional<Image> lock(String id);

  /** The catalog generation as this node knows it. */
  CatalogGeneration generation();

  /** The images with these ids that exist (deleted ones included), by id, in one read. */
  Map<String, Image> findAll(java.util.Collection<String> ids);

  /** The image with this id, deleted ones included; properties and tags loaded. */
  Optional<Image> find(String id);

  /**
   * One list page, read in one transaction through one SQL builder: the marker's row (deleted
   * ones included) and whether the scope's project is one of its members, the page after it, and
   * (when {@code query.previous()}) the marker of the page before. Applies no marker rule: the
   * catalog does, on what this returns. An unknown marker gives an empty marker and page.
   *
   * @param scope who is asking (decides visibility)
   * @param deletedSince when not null, soft-deleted images deleted at or after this instant are
   *     included (for {@code changes-since} polls); when null, deleted images never are
   */
  ListRead list(Scope scope, ListQuery query, Instant deletedSince);

  /** Every statement {@link #list} runs for this query, with its values written in. */
  String listSql(Scope scope, ListQuery query, Instant deletedSince);

  /**
   * Feeds the in-memory list ({@link ImageIndex}), in one read transaction: every image changed
   * after generation {@code since}, deleted ones included, with properties, tags and members; every
   * image when {@code since} is negative. When a change after {@code since} did not name its
   * images (a bulk insert, a purge), it feeds nothing and says {@code full}: the caller rescans.
   */
  Scan scan(long since, ScanSink sink);

  /** Receives the images of a {@link #scan}, one call each. */
  @FunctionalInterface
  interface ScanSink {
    void image(Image image, List<ImageMember> members);
  }

  /**
   * @param generation the generation the scan's snapshot had reached
   * @param full whether every image was fed ({@code since} negative) or must be (a bulk change
   *     since), rather than the changed ones
   */
  record Scan(long generation, boolean full) {}

  /** How many images are stored, deleted ones included. */
  long count();

  /**
   * Marks an image deleted at {@code when} (status, deleted_at, updated_at); the row is kept for
   * {@code changes-since} until purged. Returns false if no live image has that id.
   */
  boolean markDeleted(String id, Instant when);

  /**
   * Sets the properties in {@code set} (added or overwritten) and removes those named in {@code
   * remove}, leaving every other property as it is, and bumps updated_at.
   */
  void changeProperties(String id, Map<String, String> set, Set<String> remove, Instant when);

  /** Stores a new image with its properties and tags. */
  void insert(Image image);

  /** Stores many new images in one transaction (demo data, generators). */
  void insertAll(List<Image> images);

  /**
   * Saves an image's user-editable state (name, visibility, protected, os_hidden, owner, formats,
   * min_ram, min_disk, extra properties, tags) and its updated_at. Only the properties and tags
   * that differ from the stored ones are written. Returns false if no live image has that id.
   */
  boolean update(Image image);

  /**
   * Moves a live image from status {@code from} to {@code to}; false if it was not in {@code from}.
   * Whether the move is allowed is the caller's rule ({@link ImageStatus#canMoveTo}).
   */
  boolean moveStatus(String id, ImageStatus from, ImageStatus to, Instant when);

  /**
   * Records uploaded data and makes a {@code saving} image {@code active}; false if the image is no
   * longer saving (deleted meanwhile).
   */
  default boolean activate(String id, ImageData data, Instant when) {
    return activate(id, ImageStatus.SAVING, data, when);
  }

  /** As {@link #activate(String, ImageData, Instant)}, from status {@code from} (an import). */
  boolean activate(String id, ImageStatus from, ImageData data, Instant when);

  /** A failed upload: a {@code saving} image goes back to {@code queued} with no data fields. */
  default boolean requeue(String id, Instant when) {
    return requeue(id, ImageStatus.SAVING, when);
  }

  /** A failed stage or import: an image in {@code from} goes back to {@code queued}, no data. */
  boolean requeue(String id, ImageStatus from, Instant when);

  /**
   * Records the size of data staged for an {@code uploading} image, as Glance sets {@code size}
   * after a stage (it counts against {@code image_stage_total}); false if no longer uploading.
   */
  boolean recordStagedSize(String id, long size, Instant when);

  /**
   * What a project's live images hold, as Glance's quota queries count it ({@code
   * glance/db/sqlalchemy/api.py}, {@code user_get_*_usage}).
   */
  Usage usage(String owner);

  /** Records a new import task. */
  void insertTask(ImportTask task);

  /**
   * Ends a {@code processing} task: {@code status}, {@code message}, {@code result}, and when it
   * expires; false if it was not processing.
   */
  boolean finishTask(
      String id, String status, String message, String result, Instant when, Instant expiresAt);

  /** Moves a task from {@code from} to {@code to}; false if it was not {@code from}. */
  boolean moveTask(String id, String from, String to, Instant when);

  /** One task. */
  Optional<ImportTask> findTask(String id);

  /** Tasks, newest first: of one image, or of one owner (null: everyone's). */
  List<ImportTask> tasks(String imageId, String owner);

  /** Ids of the live images that have the property {@code name} (copy recovery at start). */
  List<String> idsWithProperty(String name);

  /**
   * Ids of the live images in {@code status}, one of saving, importing or uploading (recovery at
   * start, through an index of just those rows).
   */
  List<String> idsInStatus(ImageStatus status);

  /** Every {@code saving} image back to {@code queued} (uploads a crash cut off); returns how many. */
  int requeueAllSaving(Instant when);

  /**
   * Moves a live {@code queued} image to {@code saving} under an upload lease held until {@code
   * until}; false if it was not queued.
   */
  boolean startUpload(String id, String lease, Instant until, Instant when);

  /**
   * Records uploaded data and makes the image {@code active}, only if it is still {@code saving}
   * under {@code lease} (not deleted, not taken over by another node); releases the lease.
   */
  boolean finishUpload(String id, String lease, ImageData data, Instant when);

  /** A failed upload: back to {@code queued} with no data, only if still under {@code lease}. */
  boolean abandonUpload(String id, String lease, Instant when);

  /**
   * Extends to {@code until} the leases of those uploads still {@code saving} under one of {@code
   * leases}; returns how many. Not a catalog change (the generation does not move).
   */
  int renewUploadLeases(Collection<String> leases, Instant until);

  /**
   * Puts back to {@code queued} every {@code saving} image whose lease ran out before {@code now}
   * (its node died), or which has no lease and was last changed before {@code staleBefore} (left
   * by a version without leases). One statement: with several nodes sweeping, each image moves
   * once. Returns the ids moved.
   */
  List<String> requeueExpiredUploads(Instant now, Instant staleBefore);

  /** Puts an {@code importing} image under the import lease {@code lease} until {@code until}. */
  void leaseImport(String id, String lease, Instant until);

  /**
   * The {@code importing} images whose lease ran out before {@code now}, or which have none and
   * were last changed before {@code staleBefore}: candidates for {@link #takeExpiredImport}.
   */
  List<String> expiredImports(Instant now, Instant staleBefore);

  /**
   * Inside a unit of work: clears the lease of {@code id} if it is still {@code importing} with
   * its lease expired (checked again under the row's lock); false when another node took it or
   * its own node renewed it meanwhile.
   */
  boolean takeExpiredImport(String id, Instant now, Instant staleBefore);

  /**
   * Removes up to {@code limit} images soft-deleted before {@code deletedBefore} (oldest first)
   * with their properties, tags and members, in one transaction; the generation advances when
   * any row goes. Returns what went.
   */
  Purged purgeDeleted(Instant deletedBefore, int limit);

  /** Those of {@code ids} that name no image, or a deleted one: their data has no owner. */
  Set<String> withoutLiveImage(Collection<String> ids);

  /** Rows {@link #purgeDeleted} removed, per table. */
  record Purged(List<String> imageIds, int properties, int tags, int members) {}

  /** Adds a tag (no-op if present) and bumps updated_at. */
  void addTag(String id, String tag, Instant when);

  /** Removes a tag and bumps updated_at; false if the image did not carry it. */
  boolean removeTag(String id, String tag, Instant when);

  /** The image's members, oldest first. */
  List<ImageMember> members(String imageId);

  /** One membership, if {@code memberId} is a member of the image. */
  Optional<ImageMember> member(String imageId, String memberId);

  /** Adds a membership; a duplicate is a conflict. */
  void addMember(ImageMember member);

  /** Changes a membership's status; false if there is no such membership. */
  boolean updateMember(String imageId, String memberId, MemberStatus status, Instant when);

  /** Removes a membership; false if there was none. */
  boolean removeMember(String imageId, String memberId);

  /**
   * Data facts recorded when an upload completes.
   *
   * @param virtualSize null when the format does not tell
   */
  record ImageData(
      long size, Long virtualSize, String checksum, String osHashAlgo, String osHashValue) {}

  /**
   * A project's usage for the quotas.
   *
   * @param storedBytes size of its images with data in a store ({@code active}, {@code
   *     deactivated}), once per store holding it
   * @param stagedBytes size of its images with data in staging ({@code uploading}, {@code
   *     importing}) or being copied to a store ({@code os_glance_importing_to_stores} not empty)
   * @param images its images, deleted ones aside
   * @param uploading its images {@code saving}, {@code uploading} or {@code importing}, or being
   *     copied
   */
  record Usage(long storedBytes, long stagedBytes, long images, long uploading) {}

  /**
   * What {@link #list} read.
   *
   * @param marker the marker's row, empty when the query had none or it names no image
   * @param markerMember whether the caller's project is a member of the marker image
   */
  record ListRead(Optional<Image> marker, boolean markerMember, Page<Image> page) {}

  /**
   * Who is asking, for visibility.
   *
   * @param project the caller's project (null when unscoped)
   * @param admin whether the caller has the admin role
   */
  record Scope(String project, boolean admin) {}
}
