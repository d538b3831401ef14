package dev.glint.logging;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** logback's {@code %xEx} with {@link Secrets#mask} applied: exception messages can hold tokens. */
public final class MaskedThrowableConverter extends ExtendedThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return Secrets.mask(super.throwableProxyToString(proxy));
  }
}
