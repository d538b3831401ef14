package dev.glint.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A project an image is shared with, and whether it accepted the share. */
public record ImageMember(
    String imageId, String memberId, MemberStatus status, Instant createdAt, Instant updatedAt) {
  public ImageMember {
    requireNonNull(imageId, "imageId");
    requireNonNull(memberId, "memberId");
    requireNonNull(status, "status");
  }
}
