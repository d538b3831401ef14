package dev.glint.error;

/** A list's marker names no image the caller could have seen; each API words this its own way. */
public final class UnknownMarkerException extends ApiException {
  private final String marker;

  public UnknownMarkerException(String marker) {
    super(ErrorCode.BAD_REQUEST, "No image found with ID " + marker);
    this.marker = marker;
  }

  public String marker() {
    return marker;
  }
}
