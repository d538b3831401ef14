package dev.glint.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A read-only channel over one S3 object, of the size and ETag its HeadObject gave. Reads go
 * through one ranged GET ({@code Range: bytes=<position>-}) opened lazily at the first read after
 * a {@link #position(long)} elsewhere, so a download costs one request and a seek one more. Each GET
 * carries {@code If-Match: <etag>}: if the object is replaced while it is read, the read fails
 * rather than mixing two images. Not thread-safe (as a channel used by one download).
 */
final class S3ObjectChannel implements SeekableByteChannel {
  private final S3Client s3;
  private final String bucket;
  private final String name;
  private final long size;
  private final String eTag;
  private long position;
  private ResponseInputStream<GetObjectResponse> in;
  private long inPosition;
  private boolean open = true;

  S3ObjectChannel(S3Client s3, String bucket, String name, long size, String eTag) {
    this.s3 = s3;
    this.bucket = bucket;
    this.name = name;
    this.size = size;
    this.eTag = eTag;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= size) {
      return -1;
    }
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (in == null || inPosition != position) {
      closeStream();
      in = get(position);
      inPosition = position;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    int n;
    if (dst.hasArray()) {
      n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
    } else {
      byte[] tmp = new byte[Math.min(want, 64 * 1024)];
      n = in.read(tmp, 0, tmp.length);
      if (n > 0) {
        dst.put(tmp, 0, n);
      }
    }
    if (n < 0) {
      throw new IOException(
          "S3 object " + name + " ended after " + position + " of its " + size + " bytes");
    }
    position += n;
    inPosition += n;
    return n;
  }

  private ResponseInputStream<GetObjectResponse> get(long from) throws IOException {
    try {
      return s3.getObject(
          b -> b.bucket(bucket).key(name).range("bytes=" + from + "-").ifMatch(eTag));
    } catch (SdkException e) {
      throw S3BlobStore.failure(e);
    }
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    if (open) {
      open = false;
      closeStream();
    }
  }

  /**
   * Drops the current GET. Unread bytes are not drained (a range request may leave gigabytes): the
   * connection is aborted instead of returned to the pool.
   */
  private void closeStream() {
    if (in == null) {
      return;
    }
    try {
      if (inPosition < size) {
        in.abort();
      }
      in.close();
    } catch (IOException | RuntimeException e) {
      // Nothing to recover: the request is over either way.
    }
    in = null;
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
