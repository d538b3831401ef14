package dev.glint.http;

import io.javalin.http.Context;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list page's body, written as it is rendered (issue 10, "bounded resources"). A view plans the
 * page first, from the sizes of its images' fragments: it keeps images while the page stays
 * within {@link #budget()} (always at least one, so paging advances) and ends the page early
 * there, with a {@code next} link as if {@code limit} had been smaller. It then calls {@link
 * #start} with the exact size and writes the pieces.
 *
 * <p>A page of up to {@link #STREAM_ABOVE} bytes is gathered in one exact-size array and sent as
 * {@link Responses#send} sends any body (Content-Length, compressed when asked), so normal pages
 * keep their bytes and headers. A larger page goes out chunked (no Content-Length) through a
 * {@link #BUFFER}-byte buffer, compressed on the fly when asked: rendering it holds the buffer, not
 * the page.
 */
public final class PageBody {
  private static final Logger LOG = LoggerFactory.getLogger(PageBody.class);
  /** Above this a page is streamed: a 1 000-image summary page (about 400 KiB) still is not. */
  static final int STREAM_ABOVE = 1 << 20;

  static final int BUFFER = 64 * 1024;

  private final Context ctx;
  private final String contentType;
  private final long budget;
  private byte[] array;
  private int at;
  private OutputStream stream;
  /** The client went away mid-page: the rest is not rendered to anyone, and it is no error. */
  private boolean gone;
  /** A {@link #gathered} page: one above {@link #STREAM_ABOVE} is not rendered at all. */
  private boolean streamsLarge;

  private PageBody(Context ctx, String contentType, long budget) {
    this.ctx = ctx;
    this.contentType = contentType;
    this.budget = budget;
  }

  /** A 200 page for this request, of at most {@code budget} bytes (but one image). */
  public static PageBody of(Context ctx, String contentType, long budget) {
    return new PageBody(ctx, contentType, budget);
  }

  /**
   * A page rendered into an array ({@link #bytes()}) within {@code budget}, as a listener's hot
   * lane sends it; {@link #bytes()} is null when the page is one {@link #of} would stream.
   */
  public static PageBody gathered(long budget) {
    PageBody body = new PageBody(null, null, budget);
    body.streamsLarge = true;
    return body;
  }

  /** A page rendered into an array ({@link #bytes()}), with no budget: for tests and benchmarks. */
  public static PageBody inMemory() {
    return new PageBody(null, null, Long.MAX_VALUE);
  }

  public long budget() {
    return budget;
  }

  /**
   * Whether a piece of {@code next} bytes still fits on a page that has {@code used} bytes and
   * {@code count} images: the first image always does.
   */
  public boolean fits(long used, long next, int count) {
    return count == 0 || used + next <= budget;
  }

  /** Begins the body; {@code size} is exactly the number of bytes the view will write. */
  public void start(long size) {
    if (streamsLarge && size > STREAM_ABOVE) {
      gone = true; // writes and finish() do nothing; bytes() stays null
      return;
    }
    if (ctx == null || size <= STREAM_ABOVE) {
      array = new byte[Math.toIntExact(size)];
      return;
    }
    ctx.status(200);
    Responses.setContentType(ctx, contentType);
    String coding = Responses.coding(ctx.header("Accept-Encoding"));
    try {
      OutputStream out = ctx.res().getOutputStream();
      if (coding != null) {
        ctx.header("Content-Encoding", coding);
        ctx.res().addHeader("Vary", "Accept-Encoding");
        out = coding.equals("gzip") ? new GZIPOutputStream(out, BUFFER) : new DeflaterOutputStream(out);
      }
      stream = new BufferedOutputStream(out, BUFFER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void write(byte[] piece) {
    write(piece, 0, piece.length);
  }

  public void write(byte[] piece, int from, int length) {
    if (array != null) {
      System.arraycopy(piece, from, array, at, length);
      at += length;
      return;
    }
    if (gone) {
      return;
    }
    try {
      stream.write(piece, from, length);
    } catch (IOException e) {
      gone(e);
    }
  }

  public void write(byte b) {
    if (array != null) {
      array[at++] = b;
      return;
    }
    if (gone) {
      return;
    }
    try {
      stream.write(b);
    } catch (IOException e) {
      gone(e);
    }
  }

  /** Ends the page: sends a gathered one, or flushes (and finishes the compression of) a stream. */
  public void finish() {
    if (array != null) {
      if (at != array.length) {
        array = java.util.Arrays.copyOf(array, at); // a view planned more than it wrote
      }
      if (ctx != null) {
        Responses.send(ctx, 200, contentType, array);
      }
      return;
    }
    if (gone) {
      return;
    }
    try {
      stream.close(); // finishes gzip's trailer; the servlet stream ends the chunked body
    } catch (IOException e) {
      gone(e);
    }
  }

  private void gone(IOException e) {
    gone = true;
    LOG.debug("list page cut off by the client: {}", e.toString());
  }

  /** The page of an {@link #inMemory()} body. */
  public byte[] bytes() {
    return array;
  }
}
