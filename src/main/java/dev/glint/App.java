package dev.glint;

import dev.glint.catalog.BlobStore;
import dev.glint.catalog.CatalogMaintenance;
import dev.glint.catalog.CatalogService;
import dev.glint.catalog.Stores;
import dev.glint.config.GlintConfig;
import dev.glint.identity.Authorization;
import dev.glint.http.TokenValidator;
import dev.glint.identity.ExternalTokens;
import dev.glint.identity.FernetKeys;
import dev.glint.identity.IdentityService;
import dev.glint.identity.RevocationList;
import dev.glint.identity.TokenService;
import dev.glint.policy.Enforcer;
import dev.glint.policy.Policy;
import dev.glint.metadef.MetadefService;
import dev.glint.store.Database;
import dev.glint.fetch.ImportFilter;
import dev.glint.fetch.WebSource;
import dev.glint.store.FileBlobStore;
import dev.glint.store.JdbcApplicationCredentialRepository;
import dev.glint.store.JdbcCatalogRepository;
import dev.glint.store.JdbcCredentialRepository;
import dev.glint.store.JdbcPolicyBlobRepository;
import dev.glint.store.JdbcTrustRepository;
import dev.glint.store.JdbcLimitRepository;
import dev.glint.store.JdbcPasswordHistoryRepository;
import dev.glint.store.JdbcConsumerRepository;
import dev.glint.store.JdbcIdentityRepository;
import dev.glint.store.JdbcImageRepository;
import dev.glint.store.S3BlobStore;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;

/** Everything a running Glint holds, built once from its configuration. */
public record App(
    GlintConfig config,
    Clock clock,
    Database db,
    BlobStore blobs,
    CatalogService catalog,
    TokenService tokens,
    IdentityService identity,
    Enforcer policy,
    TokenValidator validator,
    MetadefService metadefs,
    CatalogMaintenance maintenance)
    implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  /**
   * Opens the store (migrating it) and the blob store (files in {@code dataDir/images}, or the
   * configured S3 bucket, which must exist), loads the Fernet keys and builds the services. It
   * does not create users or projects: call {@code identity().bootstrap()} for that (not in
   * external Keystone mode, where {@code validator()} asks that Keystone about each token).
   * Glint's own metadata definitions are loaded on a store's first open.
   */
  public static App open(GlintConfig configured) {
    Clock clock = Clock.systemUTC();
    // External Keystone mode: the image and compute listeners validate tokens with that Keystone,
    // and links name the URLs its catalog has for Glint's services.
    ExternalTokens external =
        configured.identitySettings().external()
            .map(keystone -> new ExternalTokens(keystone, clock))
            .orElse(null);
    GlintConfig config = external == null ? configured : publicUrlsOf(external, configured);
    try {
      dev.glint.fs.PrivateFiles.directory(config.dataDir());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot prepare the data dir " + config.dataDir(), e);
    }
    if (!config.sqlite() && config.s3().isEmpty() && !config.blobFileShared()) {
      // Several nodes share a PostgreSQL catalog; each would keep image data in its own data
      // dir and answer for images whose data it does not have (issue 10).
      throw new IllegalArgumentException(
          "with a PostgreSQL store, image data must be reachable from every node: set"
              + " blob.store=s3, or blob.file.shared=true if " + config.dataDir().resolve("images")
              + " is on a file system all nodes share (one node alone may set it too)");
    }
    BlobStore blobs =
        config.s3().<BlobStore>map(S3BlobStore::open)
            .orElseGet(() -> new FileBlobStore(config.dataDir().resolve("images"), shared(config)));
    Stores stores = stores(config, blobs);
    Database db = Database.open(config);
    CatalogService catalog =
        new CatalogService(
            new JdbcImageRepository(db),
            stores,
            clock,
            config.retention(),
            config.deletedInChangesSince(),
            config.imageSizeCap(),
            new FileBlobStore(config.dataDir().resolve("staging"), shared(config)),
            config.maintenance().uploadLease(),
            new dev.glint.identity.UnifiedQuotaLimits(
                new JdbcLimitRepository(db),
                new JdbcCatalogRepository(db),
                (project, quota) -> config.quotas().limit(project, quota.wire())),
            config.imports().methods(),
            new WebSource(
                new ImportFilter(
                    config.imports().allowedSchemes(),
                    config.imports().disallowedSchemes(),
                    config.imports().allowedHosts(),
                    config.imports().disallowedHosts(),
                    config.imports().allowedPorts(),
                    config.imports().disallowedPorts(),
                    config.imports().allowPrivate(),
                    config.imports().allowLoopback()),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5)),
            config.cache().enabled() ? new FileBlobStore(config.cache().dir()) : null,
            // The queue beside the copies, as Glance's <image_cache_dir>/queue; a name no
            // image id takes, so the copies' store never lists it.
            config.cache().enabled()
                ? new FileBlobStore(config.cache().dir().resolve("queue.d"))
                : null,
            config.cache().maxBytes(),
            config.cache().prefetchInterval(),
            glanceEndpoints(external, db),
            config.imports().glanceDownloadProperties());
    if (config.sqlite()) {
      // One process owns a SQLite catalog: any upload still 'saving' died with the last run.
      // With PostgreSQL other nodes may be uploading now: their leases decide (maintenance).
      catalog.recoverInterruptedUploads();
      catalog.imports().recoverInterrupted();
    }
    JdbcIdentityRepository identityStore = new JdbcIdentityRepository(db);
    RevocationList revocations = RevocationList.start(identityStore, clock);
    TokenService tokens =
        new TokenService(
            FernetKeys.open(
                config.identitySettings().keysDir(), config.identitySettings().keysPoll()),
            clock,
            config.tokenTtl(),
            revocations);
    Enforcer policy =
        new Enforcer(
            config.identitySettings().policyFile().map(Policy::load).orElseGet(Policy::defaults));
    Authorization authorization = new Authorization(policy);
    IdentityService identity =
        new IdentityService(
            identityStore, tokens, config, revocations, clock, authorization,
            new JdbcApplicationCredentialRepository(db),
            new dev.glint.store.JdbcAccountRepository(db),
            new JdbcCatalogRepository(db),
            new JdbcCredentialRepository(db),
            new JdbcPolicyBlobRepository(db),
            new JdbcTrustRepository(db),
            new JdbcLimitRepository(db),
            new JdbcPasswordHistoryRepository(db),
            new JdbcConsumerRepository(db),
            new dev.glint.store.JdbcDomainConfigRepository(db));
    TokenValidator validator = external != null ? external : tokens;
    MetadefService metadefs = new MetadefService(db, clock);
    metadefs.loadShipped();
    CatalogMaintenance maintenance =
        CatalogMaintenance.start(
            catalog,
            clock,
            config.retention(),
            config.maintenance().purgeDaily(),
            config.maintenance().purgeBatch());
    return new App(
        config, clock, db, blobs, catalog, tokens, identity, policy, validator, metadefs,
        maintenance);
  }

  /**
   * {@code glance-download}'s endpoint lookup: the validating Keystone's catalog for the caller's
   * token in external mode, else Glint's own catalog for the token's project.
   */
  private static dev.glint.catalog.GlanceEndpoints glanceEndpoints(
      ExternalTokens external, Database db) {
    if (external != null) {
      return (token, project, region, iface) -> external.imageEndpoint(token, region, iface);
    }
    dev.glint.identity.ServiceCatalog own =
        new dev.glint.identity.ServiceCatalog(new JdbcCatalogRepository(db));
    return (token, project, region, iface) -> own.imageEndpoint(project, region, iface);
  }

  /**
   * The configuration with the public URLs that external Keystone's catalog registers for the
   * image and compute services (and for itself) in Glint's region; a service the catalog lacks
   * keeps its configured URL, as all do when that Keystone cannot be asked now.
   */
  private static GlintConfig publicUrlsOf(ExternalTokens keystone, GlintConfig config) {
    Map<String, String> urls;
    try {
      urls = keystone.publicUrls(config.region());
    } catch (RuntimeException e) {
      LOG.warn("cannot read the catalog of the Keystone at {} ({}): links use the configured"
              + " image.public.url and compute.public.url",
          config.identitySettings().external().orElseThrow().url(), e.getMessage());
      return config;
    }
    GlintConfig resolved =
        config.withPublicUrls(
            urls.getOrDefault("identity", config.identitySettings().external().orElseThrow().url()),
            urls.getOrDefault("image", config.image().publicUrl()),
            urls.getOrDefault("compute", config.compute().publicUrl()));
    LOG.info("links name image {} ({}) and compute {} ({})",
        resolved.image().publicUrl(), urls.containsKey("image") ? "Keystone's catalog" : "configured",
        resolved.compute().publicUrl(),
        urls.containsKey("compute") ? "Keystone's catalog" : "configured");
    return resolved;
  }

  @Override
  public void close() {
    maintenance.close();
    catalog.close();
    identity.close();
    db.close();
    if (blobs instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close the blob store: " + e, e);
      }
    }
  }

  /**
   * The named stores of {@code enabled.backends}, or the one store of {@code blob.store}. A file
   * store keeps its data in its own directory ({@code <data.dir>/stores/<id>} unless given); the
   * S3 store is the {@code s3.*} bucket.
   */
  /**
   * For file stores: null when this node alone writes to the data dir, else how long another
   * node's temp file must go unwritten before this one may remove it at start.
   */
  private static java.time.Duration shared(GlintConfig config) {
    return config.blobFileShared()
        ? FileBlobStore.abandonedAfter(
            config.maintenance().uploadLease(), config.limits().idleTimeout())
        : null;
  }

  private static Stores stores(GlintConfig config, BlobStore single) {
    java.util.List<dev.glint.config.ImportSettings.Backend> backends = config.imports().backends();
    if (backends.isEmpty()) {
      return Stores.single(single);
    }
    java.util.Map<String, BlobStore> named = new java.util.LinkedHashMap<>();
    for (dev.glint.config.ImportSettings.Backend b : backends) {
      BlobStore store =
          b.type().equals("s3")
              ? single
              : new FileBlobStore(
                  b.dir() != null
                      ? java.nio.file.Path.of(b.dir())
                      : config.dataDir().resolve("stores").resolve(b.id()),
                  shared(config));
      named.put(b.id(), store);
    }
    return new Stores(named, config.imports().defaultBackend());
  }
}
