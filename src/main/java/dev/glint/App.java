package dev.glint;

import dev.glint.catalog.BlobStore;
import dev.glint.catalog.CatalogService;
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
    MetadefService metadefs)
    implements AutoCloseable {

  /**
   * Opens the store (migrating it) and the blob store (files in {@code dataDir/images}, or the
   * configured S3 bucket, which must exist), loads the Fernet keys and builds the services. It
   * does not create users or projects: call {@code identity().bootstrap()} for that (not in
   * external Keystone mode, where {@code validator()} asks that Keystone about each token).
   * Glint's own metadata definitions are loaded on a store's first open.
   */
  public static App open(GlintConfig config) {
    Clock clock = Clock.systemUTC();
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
            .orElseGet(() -> new FileBlobStore(config.dataDir().resolve("images")));
    Database db = Database.open(config);
    CatalogService catalog =
        new CatalogService(
            new JdbcImageRepository(db),
            blobs,
            clock,
            config.retention(),
            config.deletedInChangesSince(),
            config.imageSizeCap(),
            new FileBlobStore(config.dataDir().resolve("staging")));
    if (config.sqlite()) {
      // One process owns a SQLite catalog: any upload still 'saving' died with the last run.
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
            new JdbcCatalogRepository(db),
            new JdbcCredentialRepository(db),
            new JdbcPolicyBlobRepository(db),
            new JdbcTrustRepository(db),
            new JdbcLimitRepository(db),
            new JdbcPasswordHistoryRepository(db),
            new JdbcConsumerRepository(db));
    // External Keystone mode: the image and compute listeners validate tokens with that Keystone.
    TokenValidator validator =
        config.identitySettings().external()
            .<TokenValidator>map(keystone -> new ExternalTokens(keystone, clock))
            .orElse(tokens);
    MetadefService metadefs = new MetadefService(db, clock);
    metadefs.loadShipped();
    return new App(
        config, clock, db, blobs, catalog, tokens, identity, policy, validator, metadefs);
  }

  @Override
  public void close() {
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
}
