package dev.glint.catalog;

import java.time.Instant;

/**
 * One import as Glance's tasks API shows it ({@code api_image_import}): {@code processing} while
 * the import runs, then {@code success} or {@code failure} with a message.
 *
 * @param input the task input, JSON text: {@code image_id}, {@code import_req} (the request body),
 *     {@code backend} (the target stores)
 * @param result JSON text or null
 * @param expiresAt when the record may be purged (Glance keeps tasks 48 hours); null while running
 */
public record ImportTask(
    String id,
    String type,
    String status,
    String owner,
    String imageId,
    String requestId,
    String userId,
    String input,
    String result,
    String message,
    Instant createdAt,
    Instant updatedAt,
    Instant expiresAt) {

  /** Who asked for an import: recorded on its task. */
  public record Origin(String requestId, String userId, String importRequest) {
    public static final Origin NONE = new Origin(null, null, "{}");
  }
}
