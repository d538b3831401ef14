package dev.glint.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * Where image data lives, one blob per image id. Implemented by {@code store}. Thread-safe; calls
 * for different keys never interfere, and a reader never sees a blob that is not complete.
 */
public interface BlobStore {

  /** The store's id in Glance's terms ({@code stores}, {@code /v2/info/stores}): file or s3. */
  String id();

  /**
   * Streams {@code data} into the blob {@code key}, replacing any earlier one only once all of it
   * has arrived: the bytes go to a temporary file that is fsync'd and renamed into place. The size
   * and the MD5 and SHA-512 digests are computed while streaming; nothing is buffered in memory
   * beyond one chunk. On any failure (including {@link TooLargeException}) the partial data is
   * removed and no blob is left under {@code key}.
   *
   * @param maxBytes the largest blob accepted; exceeding it is detected mid-stream
   * @throws TooLargeException when more than {@code maxBytes} arrive
   * @throws StoreFullException when the store has no space left
   * @throws IOException when reading {@code data} or writing the store fails
   */
  Stored put(String key, InputStream data, long maxBytes) throws IOException;

  /** An open, positioned-read channel over the blob, or empty if there is none. Caller closes. */
  Optional<SeekableByteChannel> get(String key) throws IOException;

  /**
   * Where the blob lives, as Glance shows it in an image's {@code locations} ({@code
   * file:///dir/key}, {@code s3://bucket/prefix/key}).
   */
  default String url(String key) {
    return id() + "://" + key;
  }

  /** Removes the blob; returns false if there was none. */
  boolean delete(String key) throws IOException;

  /**
   * The key of every complete blob (never an upload in progress), read lazily in no particular
   * order, for purge's orphan sweep. The caller closes the stream.
   */
  java.util.stream.Stream<String> keys() throws IOException;

  /**
   * What {@link #put} stored.
   *
   * @param size bytes stored
   * @param md5 lower-case hex MD5 of the data (Glance's {@code checksum})
   * @param sha512 lower-case hex SHA-512 of the data (Glance's {@code os_hash_value})
   * @param head up to the first 512 bytes, for format inspection (virtual size)
   */
  record Stored(long size, String md5, String sha512, byte[] head) {}

  /** More data arrived than the cap allows. */
  final class TooLargeException extends IOException {
    public TooLargeException(long maxBytes) {
      super("more than " + maxBytes + " bytes");
    }
  }

  /** The store ran out of space. */
  final class StoreFullException extends IOException {
    public StoreFullException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
