package dev.glint.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * Logback's {@link JsonEncoder} with every text of the event passed through {@link Secrets#mask}
 * first (message, formatted message, arguments, MDC values, key-value pairs, exception messages
 * down the cause chain), as {@link MaskedMessageConverter} and {@link MaskedThrowableConverter}
 * do for the text layout. Masking the event rather than the encoded line matters: in the JSON
 * text a password field's quotes are escaped, where the masking patterns look for plain ones.
 */
public final class MaskingJsonEncoder extends JsonEncoder {
  @Override
  public byte[] encode(ILoggingEvent event) {
    return super.encode(new MaskedEvent(event));
  }

  /** The event, its texts masked. */
  private record MaskedEvent(ILoggingEvent e) implements ILoggingEvent {
    @Override
    public String getThreadName() {
      return e.getThreadName();
    }

    @Override
    public Level getLevel() {
      return e.getLevel();
    }

    @Override
    public String getMessage() {
      return Secrets.mask(e.getMessage());
    }

    @Override
    public Object[] getArgumentArray() {
      Object[] args = e.getArgumentArray();
      if (args == null) {
        return null;
      }
      Object[] out = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        out[i] = args[i] == null ? null : Secrets.mask(String.valueOf(args[i]));
      }
      return out;
    }

    @Override
    public String getFormattedMessage() {
      return Secrets.mask(e.getFormattedMessage());
    }

    @Override
    public String getLoggerName() {
      return e.getLoggerName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
      return e.getLoggerContextVO();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
      return MaskedThrowable.of(e.getThrowableProxy());
    }

    @Override
    public StackTraceElement[] getCallerData() {
      return e.getCallerData();
    }

    @Override
    public boolean hasCallerData() {
      return e.hasCallerData();
    }

    @Override
    public List<Marker> getMarkerList() {
      return e.getMarkerList();
    }

    @Override
    public Map<String, String> getMDCPropertyMap() {
      return masked(e.getMDCPropertyMap());
    }

    @Override
    @SuppressWarnings("deprecation")
    public Map<String, String> getMdc() {
      return masked(e.getMdc());
    }

    @Override
    public long getTimeStamp() {
      return e.getTimeStamp();
    }

    @Override
    public int getNanoseconds() {
      return e.getNanoseconds();
    }

    @Override
    public long getSequenceNumber() {
      return e.getSequenceNumber();
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
      List<KeyValuePair> pairs = e.getKeyValuePairs();
      return pairs == null
          ? null
          : pairs.stream()
              .map(p -> new KeyValuePair(p.key,
                  p.value == null ? null : Secrets.mask(String.valueOf(p.value))))
              .toList();
    }

    @Override
    public void prepareForDeferredProcessing() {
      e.prepareForDeferredProcessing();
    }

    private static Map<String, String> masked(Map<String, String> map) {
      if (map == null || map.isEmpty()) {
        return map;
      }
      Map<String, String> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, Secrets.mask(v)));
      return out;
    }
  }

  /** An exception as logged, its message and its causes' and suppressed ones' masked. */
  private record MaskedThrowable(IThrowableProxy t) implements IThrowableProxy {
    static IThrowableProxy of(IThrowableProxy t) {
      return t == null ? null : new MaskedThrowable(t);
    }

    @Override
    public String getOverridingMessage() {
      return Secrets.mask(t.getOverridingMessage());
    }

    @Override
    public String getMessage() {
      return Secrets.mask(t.getMessage());
    }

    @Override
    public String getClassName() {
      return t.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return t.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return t.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return of(t.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = t.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        out[i] = of(suppressed[i]);
      }
      return out;
    }

    @Override
    public boolean isCyclic() {
      return t.isCyclic();
    }
  }
}
