package dev.glint.error;

/**
 * A catalog rule refused a call. The message is the image service's wording; the compute API
 * rewords it as Nova does, from {@link #reason()} and the call being made.
 */
public final class CatalogException extends ApiException {
  /** Why the catalog refused. */
  public enum Reason {
    /** No such image, deleted, or not visible to the caller. */
    NOT_FOUND(ErrorCode.NOT_FOUND),
    /** The caller may see the image but not change it (not owner, not admin). */
    FORBIDDEN(ErrorCode.FORBIDDEN),
    /** The image is protected and cannot be deleted. */
    PROTECTED(ErrorCode.FORBIDDEN),
    /** The image's status does not allow this (e.g. upload to an active image). */
    CONFLICT(ErrorCode.CONFLICT),
    /** Too many properties, members or tags. */
    OVER_QUOTA(ErrorCode.OVER_LIMIT);

    private final ErrorCode code;

    Reason(ErrorCode code) {
      this.code = code;
    }
  }

  private final Reason reason;
  private final String imageId;

  public CatalogException(Reason reason, String imageId, String message) {
    super(reason.code, message);
    this.reason = reason;
    this.imageId = imageId;
  }

  public static CatalogException notFound(String imageId) {
    return new CatalogException(Reason.NOT_FOUND, imageId, "No image found with ID " + imageId);
  }

  public Reason reason() {
    return reason;
  }

  public String imageId() {
    return imageId;
  }
}
