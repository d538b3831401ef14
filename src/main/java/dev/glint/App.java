package dev.glint;

import dev.glint.catalog.BlobStore;
import dev.glint.catalog.CatalogService;
import dev.glint.config.GlintConfig;
import dev.glint.identity.FernetKeys;
import dev.glint.identity.IdentityService;
import dev.glint.identity.RevocationList;
import dev.glint.identity.TokenService;
import dev.glint.metadef.MetadefService;
import dev.glint.store.Database;
import dev.glint.store.FileBlobStore;
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
    MetadefService metadefs)
    implements AutoCloseable {

  /**
   * Opens the store (migrating it) and the blob store (files in {@code dataDir/images}, or the
   * configured S3 bucket, which must exist), loads the Fernet keys and builds the services. It
   * does not create users or projects: call {@code identity().bootstrap()} for that. Glint's own
   * metadata definitions are loaded on a store's first open.
   */
  public static App open(GlintConfig config) {
    Clock clock = Clock.systemUTC();
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
            FernetKeys.loadOrCreate(config.dataDir().resolve("fernet-keys")),
            clock,
            config.tokenTtl(),
            revocations);
    IdentityService identity = new IdentityService(identityStore, tokens, config, revocations);
    MetadefService metadefs = new MetadefService(db, clock);
    metadefs.loadShipped();
    return new App(config, clock, db, blobs, catalog, tokens, identity, metadefs);
  }

  @Override
  public void close() {
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
