package dev.glint.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param pageBytes a list page's byte budget on both image APIs: a page ends early, with a next
 *     link, before the image that would take it past this many bytes (docs/reliability.md)
 * @param metadataItems most extra properties an image may have after a compute metadata write
 *     (Nova's {@code metadata_items} quota, 128 by default); -1 means unlimited
 * @param deletedInChangesSince list deleted images (status DELETED) in {@code changes-since}
 *     results, as the seed describes; {@code false} gives Nova Zed's behaviour
 * @param listIndex answer lists from the in-memory index ({@code catalog.ImageIndex}); when off,
 *     every list is a query to the store
 * @param readers size of the SQLite reader pool (PostgreSQL uses {@code readers + 1} connections)
 * @param busyTimeout how long a store call waits for a lock or connection before the request gets
 *     a 503
 * @param maxHeaderBytes largest request line plus header block accepted; beyond it, 413
 * @param adminPassword password given to the bootstrap admin user, if set
 * @param demoPassword password given to the bootstrap demo user, if set
 * @param imageSizeCap largest image upload accepted, in bytes (Glance's {@code image_size_cap});
 *     beyond it the upload is refused with 413 mid-stream
 * @param s3 where image data lives when {@code blob.store} is {@code s3}; empty for the default
 *     filesystem store in {@code dataDir/images}
 * @param ops log format, health check draining and fault injection (docs/operations.md)
 * @param web the web console and which browser origins may call the APIs (CORS)
 * @param maintenance upload leases and the daily purge
 * @param identitySettings lockout and login throttle of the identity side
 * @param tls when present, all three listeners speak HTTPS only, with this key and certificate
 * @param quotas per-project image quotas (Glance's unified-limits names; docs/import.md)
 * @param imports the import methods enabled and the web-download URI filter (docs/import.md)
 * @param cache this node's image cache (docs/cache.md)
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
    long pageBytes,
    int metadataItems,
    boolean deletedInChangesSince,
    boolean listIndex,
    int readers,
    Duration busyTimeout,
    int maxHeaderBytes,
    Optional<String> adminPassword,
    Optional<String> demoPassword,
    long imageSizeCap,
    Optional<S3> s3,
    Limits limits,
    boolean blobFileShared,
    int rateLimitPerMinute,
    Ops ops,
    Web web,
    int uploadsPerNode,
    int uploadsPerProject,
    Maintenance maintenance,
    IdentitySettings identitySettings,
    QuotaSettings quotas,
    ImportSettings imports,
    Optional<Tls> tls,
    Cache cache) {

  /**
   * This node's image cache (Glance's {@code image_cache_dir}, {@code image_cache_max_size}).
   *
   * @param enabled serve {@code /v2/cache} and downloads from the cache (off, as in Glance)
   * @param dir where the cached copies are kept ({@code <data.dir>/image-cache})
   * @param maxBytes the most it holds; the least recently used copies are evicted beyond it
   * @param prefetchInterval how often the prefetcher caches the queued images (Glance Train to
   *     Yoga's {@code cache_prefetcher_interval}); zero, the default, caches an image as soon as it
   *     is queued, as Glance Zed does
   */
  public record Cache(boolean enabled, Path dir, long maxBytes, Duration prefetchInterval) {}

  /**
   * What each node does in the background (issue 10; docs/reliability.md).
   *
   * @param uploadLease how long an upload's lease holds without renewal: a {@code saving} image
   *     whose node stopped renewing for this long is put back to {@code queued} by any node
   * @param purgeDaily whether {@code serve} runs {@code glint purge} once a day (off by default:
   *     Glance leaves {@code glance-manage db purge} to the operator's cron)
   * @param purgeBatch images removed per purge transaction
   */
  public record Maintenance(Duration uploadLease, boolean purgeDaily, int purgeBatch) {}

  /**
   * What one listener lets clients hold (issue 10): beyond {@code maxConnections} it stops
   * accepting until one closes; beyond {@code maxRequests} in progress a request waits at most
   * {@code queueWait}, then gets a 503 with Retry-After; a connection that has not sent a whole
   * request head within {@code headerTimeout} of opening is closed (slow headers), as is one idle
   * for {@code idleTimeout}. {@code hotReads} ({@code listener.hot.reads}): the hottest list reads
   * are answered from memory ahead of the full pipeline (docs/list-index.md, "hot lane").
   */
  public record Limits(
      int maxConnections,
      int maxRequests,
      Duration queueWait,
      Duration headerTimeout,
      Duration idleTimeout,
      boolean hotReads) {
    public static final Limits DEFAULT =
        new Limits(
            4096, 256, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), true);
  }

  /**
   * The built-in TLS listener (docs/security.md): PEM files, read at start-up.
   *
   * @param cert the certificate chain, leaf first ({@code fullchain.pem})
   * @param key its unencrypted private key (PKCS#8, or PKCS#1 RSA, or SEC1 EC)
   */
  public record Tls(Path cert, Path key) {}

  /** 8 MiB: a thousand images of 8 KiB each, while one of 64 KiB properties fits 128 times. */
  public static final long DEFAULT_PAGE_BYTES = 8L << 20;

  /** 1 TiB, Glance's default {@code image_size_cap}. */
  public static final long DEFAULT_IMAGE_SIZE_CAP = 1L << 40;

  /**
   * One HTTP listener.
   *
   * @param port TCP port; 0 picks a free one (tests)
   * @param publicUrl base URL clients reach it at, without a trailing slash; used in links and the
   *     service catalog
   * @param internalUrl the catalog's internal endpoint base URL; empty: the public one
   * @param adminUrl the catalog's admin endpoint base URL; empty: the public one
   */
  public record Listener(
      int port, String publicUrl, Optional<String> internalUrl, Optional<String> adminUrl) {

    /** A listener whose catalog endpoints all use its public URL. */
    public Listener(int port, String publicUrl) {
      this(port, publicUrl, Optional.empty(), Optional.empty());
    }
  }

  /**
   * An S3-compatible blob store (AWS S3, Ceph RGW, MinIO, Swift's S3 API): one object per image,
   * named {@code <prefix>/<image id>} in {@code bucket}.
   *
   * @param endpoint base URL of the S3 API (e.g. {@code http://127.0.0.1:9000}); empty for AWS's
   *     regional endpoint
   * @param region signing region; {@code us-east-1} suits most non-AWS stores
   * @param bucket existing bucket the objects go to
   * @param prefix key prefix without slashes at either end; empty puts objects at the top level
   * @param accessKey with {@code secretKey}, a fixed key pair; empty to use the AWS SDK's default
   *     credential chain (environment, profile files, instance metadata)
   * @param secretKey the secret of {@code accessKey}
   * @param pathStyle address the bucket in the path ({@code endpoint/bucket/key}) rather than in the
   *     host name; most non-AWS stores need it
   */
  public record S3(
      Optional<String> endpoint,
      String region,
      String bucket,
      String prefix,
      Optional<String> accessKey,
      Optional<String> secretKey,
      boolean pathStyle) {

    /** Keeps the secret out of logs and exception messages. */
    @Override
    public String toString() {
      return "S3[endpoint="
          + endpoint.orElse("(AWS)")
          + ", region="
          + region
          + ", bucket="
          + bucket
          + ", prefix="
          + prefix
          + ", accessKey="
          + accessKey.orElse("(default chain)")
          + ", pathStyle="
          + pathStyle
          + "]";
    }
  }

  /**
   * Operations settings.
   *
   * @param jsonLogs {@code log.format=json}: one JSON object per log line instead of text
   * @param disableByFile {@code healthcheck.disable_by_file}: while this file exists, {@code
   *     /healthcheck} answers 503 (draining), as oslo.middleware's {@code disable_by_file} does
   * @param faultsEnabled {@code faults.enabled}: serve the admin fault-injection API {@code
   *     /glint/faults}
   */
  public record Ops(boolean jsonLogs, Optional<Path> disableByFile, boolean faultsEnabled) {}

  /**
   * The built-in web console (served at {@code /console/} on the image listener) and CORS.
   *
   * @param console serve the console; when on, its own origin (the image public URL's) may call
   *     the identity and compute listeners from a browser
   * @param corsOrigins further origins ({@code scheme://host[:port]}, no path) allowed to call all
   *     three APIs from a browser; empty by default, so CORS stays off for everyone else
   */
  public record Web(boolean console, List<String> corsOrigins) {
    public Web {
      corsOrigins = List.copyOf(corsOrigins);
    }
  }

  public boolean sqlite() {
    return storeUrl.startsWith("jdbc:sqlite:");
  }

  /**
   * This configuration with other public URLs (external Keystone mode: those registered in that
   * Keystone's catalog); ports unchanged.
   */
  public GlintConfig withPublicUrls(String identityUrl, String imageUrl, String computeUrl) {
    return new GlintConfig(
        dataDir, storeUrl, listenHost,
        new Listener(identity.port(), identityUrl),
        new Listener(image.port(), imageUrl),
        new Listener(compute.port(), computeUrl),
        region, tokenTtl, retention, maxLimit, pageBytes, metadataItems, deletedInChangesSince, listIndex,
        readers,
        busyTimeout, maxHeaderBytes, adminPassword, demoPassword, imageSizeCap, s3, limits,
        blobFileShared, rateLimitPerMinute, ops, web, uploadsPerNode, uploadsPerProject,
        maintenance, identitySettings, quotas, imports, tls, cache);
  }
}
