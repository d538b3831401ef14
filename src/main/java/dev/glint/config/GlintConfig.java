package dev.glint.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything Glint reads from {@code glint.yaml} and {@code GLINT_*} variables, validated once at
 * start-up and passed to constructors. Immutable and thread-safe.
 *
 * @param dataDir directory for the SQLite file, Fernet keys, image data and openrc files
 * @param storeUrl JDBC URL of the catalog store ({@code jdbc:sqlite:...} or {@code
 *     jdbc:postgresql://...})
 * @param listenHost address the three listeners bind to
 * @param identity identity listener and its public URL
 * @param image image service listener and its public URL
 * @param compute compute listener and its public URL
 * @param region region name written into the service catalog
 * @param tokenTtl lifetime of issued tokens
 * @param retention how long soft-deleted images stay visible in {@code changes-since} results
 * @param maxLimit largest page the compute API returns
 * @param metadataItems most extra properties an image may have after a compute metadata write
 *     (Nova's {@code metadata_items} quota, 128 by default); -1 means unlimited
 * @param deletedInChangesSince list deleted images (status DELETED) in {@code changes-since}
 *     results, as the seed describes; {@code false} gives Nova Zed's behaviour
 * @param readers size of the SQLite reader pool (PostgreSQL uses {@code readers + 1} connections)
 * @param busyTimeout how long a store call waits for a lock or connection before the request gets
 *     a 503
 * @param maxHeaderBytes largest request line plus header block accepted; beyond it, 413
 * @param adminPassword password given to the bootstrap admin user, if set
 * @param demoPassword password given to the bootstrap demo user, if set
 * @param imageSizeCap largest image upload accepted, in bytes (Glance's {@code image_size_cap});
 *     beyond it the upload is refused with 413 mid-stream
 */
public record GlintConfig(
    Path dataDir,
    String storeUrl,
    String listenHost,
    Listener identity,
    Listener image,
    Listener compute,
    String region,
    Duration tokenTtl,
    Duration retention,
    int maxLimit,
    int metadataItems,
    boolean deletedInChangesSince,
    int readers,
    Duration busyTimeout,
    int maxHeaderBytes,
    Optional<String> adminPassword,
    Optional<String> demoPassword,
    long imageSizeCap) {

  /** 1 TiB, Glance's default {@code image_size_cap}. */
  public static final long DEFAULT_IMAGE_SIZE_CAP = 1L << 40;

  /**
   * One HTTP listener.
   *
   * @param port TCP port; 0 picks a free one (tests)
   * @param publicUrl base URL clients reach it at, without a trailing slash; used in links and the
   *     service catalog
   */
  public record Listener(int port, String publicUrl) {}

  public boolean sqlite() {
    return storeUrl.startsWith("jdbc:sqlite:");
  }
}
