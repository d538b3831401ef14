package dev.glint.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/** Gives each request a {@code req-<uuid4>} id, puts it in the log context and on the response. */
public final class RequestIds {
  static final String ATTRIBUTE = "glint.request-id";

  private RequestIds() {}

  /** Assigns the id; {@code computeHeader} also sends it as {@code x-compute-request-id}. */
  public static void assign(Context ctx, boolean computeHeader) {
    String id = next();
    ctx.attribute(ATTRIBUTE, id);
    MDC.put("request_id", id);
    // Nova's version list (GET /) runs outside the request-id middleware: logged, not sent.
    if (computeHeader && ctx.path().equals("/")) {
      return;
    }
    ctx.header("x-openstack-request-id", id);
    if (computeHeader) {
      ctx.header("x-compute-request-id", id);
    }
  }

  /** A new request id, {@code req-<uuid4>}. */
  public static String next() {
    return "req-" + randomUuid();
  }

  /**
   * A version-4 UUID from {@link ThreadLocalRandom}: request ids only need to be unique, and
   * {@link UUID#randomUUID()} draws from the shared SecureRandom, a lock and a read of the kernel's
   * random source on every request.
   */
  static UUID randomUuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lo = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(hi, lo);
  }

  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "-" : id;
  }
}
