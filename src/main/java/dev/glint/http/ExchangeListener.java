package dev.glint.http;

import io.javalin.http.Context;

/**
 * Sees every finished exchange of a listener (after all handlers, before the body is written).
 * Optional: the OpenAPI conformance tests record responses with one; production passes none.
 */
@FunctionalInterface
public interface ExchangeListener {
  /** {@code listener} is identity, image or compute. */
  void exchange(String listener, Context ctx);
}
