package dev.glint.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over a stream of known size (data read from an external location), which
 * may only move forward: a download's range start skips bytes, as a ranged read of an http
 * location would have to.
 */
final class StreamChannel implements SeekableByteChannel {
  private final InputStream in;
  private final long size;
  private long position;
  private boolean open = true;

  StreamChannel(InputStream in, long size) {
    this.in = in;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int want = dst.remaining();
    if (want == 0) {
      return 0;
    }
    byte[] buf = new byte[Math.min(want, 64 * 1024)];
    int n = in.read(buf);
    if (n < 0) {
      return -1;
    }
    dst.put(buf, 0, n);
    position += n;
    return n;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long to) throws IOException {
    if (to < position) {
      throw new IOException("an external location is read forward only");
    }
    while (position < to) {
      long skipped = in.skip(to - position);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new java.io.EOFException("the location's data ended before byte " + to);
        }
        skipped = 1;
      }
      position += skipped;
    }
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    in.close();
  }
}
