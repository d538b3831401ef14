package dev.glint.store;

import dev.glint.catalog.BlobStore;
import dev.glint.config.GlintConfig;
import dev.glint.error.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link BlobStore} in an S3-compatible object store (AWS S3, Ceph RGW, MinIO, Swift's S3 API), so
 * Glint nodes on different machines share image data: one object per image id, named {@code
 * <prefix>/<image id>}.
 *
 * <p>{@link #put} streams the data in parts through one reused buffer (multipart upload; a blob
 * smaller than one part goes up in a single PutObject), computing the size, MD5, SHA-512 and head
 * as it goes. S3 makes an object visible only when its upload completes, which gives the
 * filesystem store's guarantee: readers never see half an image. On any failure the multipart
 * upload is aborted, so neither an object nor orphan parts stay behind. {@code put} returns only
 * once a HeadObject shows the object at its full size.
 *
 * <p>Thread-safe: the {@link S3Client} is, and each call keeps its own state.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);

  /** Parts of 8 MiB: big enough for throughput, small enough to hold one per upload in memory. */
  public static final int DEFAULT_PART_SIZE = 8 << 20;

  /** S3's smallest part (all but the last); also Ceph RGW's and MinIO's. */
  static final int MIN_PART_SIZE = 5 << 20;

  /** What a part buffer starts at; it doubles as data arrives, up to the part size. */
  static final int INITIAL_BUFFER = 64 << 10;

  /** A part's bytes: the (possibly grown) buffer and how much of it holds data. */
  record Filled(byte[] buf, int length) {}

  /** S3's largest part count per upload. */
  static final int MAX_PARTS = 10_000;

  /** After this many parts the part size doubles (see {@link #partSize}). */
  static final int PARTS_PER_STEP = 1_000;

  /** The part size stops doubling here: 1 GiB, well under S3's 5 GiB and a Java array's 2 GiB. */
  static final int MAX_PART_SIZE = 1 << 30;

  private static final int HEAD = 512;

  /** Keys become object names: image ids only, never a path (as in {@link FileBlobStore}). */
  private static final Pattern KEY = Pattern.compile("[0-9A-Za-z-]{1,64}");

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final int firstPartSize;

  /**
   * A store over an existing client (the caller keeps ownership of it only if it does not call
   * {@link #close}).
   *
   * @param prefix object name prefix without slashes at either end; empty for none
   * @param partSize bytes per part for the first {@value #PARTS_PER_STEP} parts, at least 5 MiB
   */
  public S3BlobStore(S3Client s3, String bucket, String prefix, int partSize) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("part size must be at least 5 MiB, got " + partSize);
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    this.firstPartSize = partSize;
  }

  /**
   * Connects to the configured store and checks that the bucket is there, failing fast (with the
   * endpoint and bucket named) when it is not or cannot be reached.
   */
  public static S3BlobStore open(GlintConfig.S3 config) {
    S3Client client = client(config);
    try {
      client.headBucket(b -> b.bucket(config.bucket()));
    } catch (SdkException e) {
      client.close();
      throw new IllegalStateException(
          "cannot use S3 bucket '"
              + config.bucket()
              + "' at "
              + config.endpoint().orElse("AWS (" + config.region() + ")")
              + ": "
              + describe(e)
              + " (check s3.endpoint, s3.bucket and the credentials; Glint does not create the"
              + " bucket)",
          e);
    }
    return new S3BlobStore(client, config.bucket(), config.prefix(), DEFAULT_PART_SIZE);
  }

  /** An S3 client for {@code config}, on the JDK's HttpURLConnection (docs/decisions/0002). */
  public static S3Client client(GlintConfig.S3 config) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            // The SDK's default CRC32 trailers (aws-chunked) are not understood by every
            // S3-compatible store; integrity in transit comes from TLS or, over plain http, from
            // SigV4's payload hash.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    config.endpoint().ifPresent(url -> builder.endpointOverride(URI.create(url)));
    if (config.accessKey().isPresent()) {
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  config.accessKey().get(), config.secretKey().orElseThrow())));
    }
    return builder.build();
  }

  @Override
  public String id() {
    return "s3";
  }

  /** Without credentials (glance_store puts them in the URL; Glint never shows them). */
  @Override
  public String url(String key) {
    return "s3://" + bucket + "/" + objectName(key);
  }

  @Override
  public Stored put(String key, InputStream data, long maxBytes) throws IOException {
    String name = objectName(key);
    Reader reader = new Reader(data, maxBytes);
    // Buffers grow as data arrives (issue 10): a client that opens an upload and sends nothing
    // holds 64 KiB, not a whole part.
    Filled head = reader.fill(new byte[Math.min(firstPartSize, INITIAL_BUFFER)], firstPartSize);
    byte[] first = head.buf();
    int n = head.length();
    if (reader.eof) {
      // Smaller than one part: a single request, visible only once complete.
      call(
          () ->
              s3.putObject(b -> b.bucket(bucket).key(name).contentLength((long) n), body(first, n)));
      Stored stored = reader.stored();
      verify(name, stored.size());
      return stored;
    }
    String uploadId =
        call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(name)).uploadId());
    try {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buf = first;
      int length = n;
      while (true) {
        if (length > 0) {
          if (parts.size() == MAX_PARTS) {
            throw new IOException("more than " + MAX_PARTS + " parts: too large for one S3 object");
          }
          parts.add(uploadPart(name, uploadId, parts.size() + 1, buf, length));
        }
        if (reader.eof) {
          break;
        }
        int next = partSize(parts.size() + 1, firstPartSize);
        Filled filled = reader.fill(buf, next);
        buf = filled.buf();
        length = filled.length();
      }
      call(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket(bucket)
                          .key(name)
                          .uploadId(uploadId)
                          .multipartUpload(u -> u.parts(parts))));
      Stored stored = reader.stored();
      verify(name, stored.size());
      return stored;
    } catch (IOException | RuntimeException | Error e) {
      abort(name, uploadId, e);
      throw e;
    }
  }

  @Override
  public Optional<SeekableByteChannel> get(String key) throws IOException {
    String name = objectName(key);
    return head(name).map(h -> new S3ObjectChannel(s3, bucket, name, h.contentLength(), h.eTag()));
  }

  @Override
  public boolean delete(String key) throws IOException {
    String name = objectName(key);
    // DeleteObject answers 204 whether or not the object existed, so ask first.
    if (head(name).isEmpty()) {
      return false;
    }
    call(() -> s3.deleteObject(b -> b.bucket(bucket).key(name)));
    return true;
  }

  @Override
  public java.util.stream.Stream<String> keys() throws IOException {
    // Pages of 1 000 are fetched as the stream is read; multipart uploads in progress are not
    // objects yet, so they are never listed.
    return call(
        () ->
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                .contents()
                .stream()
                .map(o -> o.key().substring(prefix.length()))
                .filter(k -> KEY.matcher(k).matches()));
  }

  @Override
  public void close() {
    s3.close();
  }

  /**
   * Bytes in part {@code partNumber} (from 1): {@code first} for the first 1000 parts, then doubling
   * every 1000 parts up to 1 GiB. The whole length is not known in advance (uploads may be
   * chunked), so a fixed size would cap images at 10 000 parts (78 GiB at 8 MiB); this schedule
   * reaches about 4 TiB, while images up to 1000 parts (about 8 GB) never need more than 8 MiB.
   */
  static int partSize(int partNumber, int first) {
    int step = Math.min((partNumber - 1) / PARTS_PER_STEP, 30);
    long size = (long) first << step;
    return (int) Math.min(size, Math.max(first, MAX_PART_SIZE));
  }

  private CompletedPart uploadPart(String name, String uploadId, int number, byte[] buf, int n)
      throws IOException {
    String eTag =
        call(
            () ->
                s3.uploadPart(
                        b ->
                            b.bucket(bucket)
                                .key(name)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength((long) n),
                        body(buf, n))
                    .eTag());
    return CompletedPart.builder().partNumber(number).eTag(eTag).build();
  }

  /** The buffer as a request body, without the copy {@code RequestBody.fromBytes} makes. */
  private static RequestBody body(byte[] buf, int n) {
    // The SDK may open it more than once (payload signing, retries); each stream starts afresh.
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buf, 0, n), n, "application/octet-stream");
  }

  /**
   * Checks that the store really holds the object it acknowledged. A CompleteMultipartUpload can
   * answer 200 before the work is done and fail later in the body; s3proxy, out of memory while
   * assembling the parts, ended such a response with no error at all, and the SDK took it for
   * success.
   */
  private void verify(String name, long size) throws IOException {
    Optional<HeadObjectResponse> head = head(name);
    if (head.isEmpty() || head.get().contentLength() != size) {
      throw new IOException(
          "the S3 store acknowledged "
              + name
              + " ("
              + size
              + " bytes) but holds "
              + head.map(h -> h.contentLength() + " bytes").orElse("no such object"));
    }
  }

  private void abort(String name, String uploadId, Throwable cause) {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(name).uploadId(uploadId));
    } catch (SdkException e) {
      cause.addSuppressed(e);
      LOG.warn(
          "could not abort multipart upload {} of {}; its parts stay until the bucket's lifecycle"
              + " rule removes them: {}",
          uploadId,
          name,
          describe(e));
    }
  }

  private Optional<HeadObjectResponse> head(String name) throws IOException {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(name)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw failure(e);
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  private String objectName(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return prefix + key;
  }

  private interface S3Call<T> {
    T run();
  }

  /** Runs one S3 request, its SDK exceptions turned into what {@link BlobStore} callers expect. */
  private static <T> T call(S3Call<T> request) throws IOException {
    try {
      return request.run();
    } catch (SdkException e) {
      throw failure(e);
    }
  }

  /**
   * What a failed S3 request becomes: an unreachable or failing (5xx) store throws {@link
   * StoreUnavailableException} (503 with Retry-After, as for the SQL store); anything else (403,
   * 412, ...) is returned as an {@link IOException} for the caller to throw.
   */
  static IOException failure(SdkException e) {
    if (e instanceof SdkClientException || (e instanceof S3Exception s && s.statusCode() >= 500)) {
      throw new StoreUnavailableException("S3 store unavailable: " + describe(e), e);
    }
    return new IOException("S3 request failed: " + describe(e), e);
  }

  static String describe(SdkException e) {
    // HEAD answers carry no error body, so there may be a status and no error code.
    if (e instanceof S3Exception s
        && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorCode() != null) {
      return s.statusCode() + " " + s.awsErrorDetails().errorCode() + ": " + s.getMessage();
    }
    return e.getMessage();
  }

  /** Reads the upload, hashing and counting as it goes, and enforcing the cap mid-stream. */
  private static final class Reader {
    private final InputStream in;
    private final long maxBytes;
    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha512 = digest("SHA-512");
    private byte[] head = new byte[0];
    private long size;
    boolean eof;

    Reader(InputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    /** Fills {@code buf} from the start; returns how much it got (less only at the end). */
    /**
     * Reads up to {@code limit} bytes (less only at the end of the stream) into {@code buf},
     * growing it (doubling) only as data arrives.
     */
    Filled fill(byte[] buf, int limit) throws IOException {
      int off = 0;
      while (off < limit) {
        if (off == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(2L * buf.length, INITIAL_BUFFER)));
        }
        int n = in.read(buf, off, buf.length - off);
        if (n < 0) {
          eof = true;
          break;
        }
        size += n;
        if (size > maxBytes) {
          throw new TooLargeException(maxBytes);
        }
        if (head.length < HEAD) {
          int keep = (int) Math.min(HEAD, size);
          byte[] h = Arrays.copyOf(head, keep);
          System.arraycopy(buf, off, h, head.length, keep - head.length);
          head = h;
        }
        md5.update(buf, off, n);
        sha512.update(buf, off, n);
        off += n;
      }
      return new Filled(buf, off);
    }

    Stored stored() {
      HexFormat hex = HexFormat.of();
      return new Stored(size, hex.formatHex(md5.digest()), hex.formatHex(sha512.digest()), head);
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
    }
  }
}
