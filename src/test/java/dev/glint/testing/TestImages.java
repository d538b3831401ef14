package dev.glint.testing;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Image fixtures: one valid default (an active public image owned by {@link #ADMIN}), override only
 * what a test is about, as Glance's {@code build_image_fixture(**kwargs)}.
 */
public final class TestImages {
  /** Project ids as Glint makes them: 32 lower-case hex characters. */
  public static final String ADMIN = "94612bb3cea443e0afc3ac2e17dc0aa6";

  public static final String DEMO = "3d9fc28856ae47a7acca92805dddbe17";
  public static final String OTHER = "0123456789abcdef0123456789abcdef";

  private TestImages() {}

  public static Builder image() {
    return new Builder();
  }

  /** A mutable builder; {@link #build()} gives the record. */
  public static final class Builder {
    private String id = UUID.randomUUID().toString();
    private String owner = ADMIN;
    private String name = "cirros";
    private ImageStatus status = ImageStatus.ACTIVE;
    private Visibility visibility = Visibility.PUBLIC;
    private boolean isProtected;
    private boolean hidden;
    private int minDisk;
    private int minRam;
    private Long size = 21_430_272L;
    private Instant created = Instant.parse("2026-11-01T10:00:00Z");
    private Instant updated;
    private Instant deletedAt;
    private Map<String, String> properties = Map.of();

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder owner(String v) {
      owner = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder status(ImageStatus v) {
      status = v;
      return this;
    }

    public Builder visibility(Visibility v) {
      visibility = v;
      return this;
    }

    public Builder protectedImage() {
      isProtected = true;
      return this;
    }

    public Builder hidden() {
      hidden = true;
      return this;
    }

    public Builder minDisk(int v) {
      minDisk = v;
      return this;
    }

    public Builder minRam(int v) {
      minRam = v;
      return this;
    }

    public Builder size(Long v) {
      size = v;
      return this;
    }

    public Builder created(Instant v) {
      created = v;
      return this;
    }

    /** Created {@code minutes} after the default creation time; lists show later ones first. */
    public Builder createdPlus(long minutes) {
      created = Instant.parse("2026-11-01T10:00:00Z").plus(minutes, ChronoUnit.MINUTES);
      return this;
    }

    public Builder updated(Instant v) {
      updated = v;
      return this;
    }

    /** Soft-deleted at {@code when} (status deleted, updated_at bumped), as a delete leaves it. */
    public Builder deletedAt(Instant when) {
      deletedAt = when;
      updated = when;
      status = ImageStatus.DELETED;
      return this;
    }

    public Builder properties(Map<String, String> v) {
      properties = v;
      return this;
    }

    public Image build() {
      return new Image(
          id, owner, name, status, visibility, isProtected, hidden, minDisk, minRam, size,
          null, "qcow2", "bare", null, null, null, created, updated == null ? created : updated,
          deletedAt, properties, Set.of());
    }
  }
}
