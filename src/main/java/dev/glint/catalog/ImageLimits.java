package dev.glint.catalog;

import dev.glint.error.ApiException;
import dev.glint.error.CatalogException;
import java.util.Collection;
import java.util.Map;

/**
 * How much one image may carry besides its data, on both APIs: a property key up to 255
 * characters (Glance's column), a value up to 65 535 bytes (Glance's schema and TEXT column), and
 * all its properties and tags together up to {@link #MAX_TOTAL_BYTES}. Without the total, one
 * member could make a 25-image page weigh hundreds of MB (issue 10).
 */
public final class ImageLimits {
  public static final int MAX_KEY_CHARS = 255;
  public static final int MAX_VALUE_BYTES = 65_535;
  /** Keys, values and tags of one image, in UTF-8 bytes (64 KiB). */
  public static final int MAX_TOTAL_BYTES = 65_536;

  private ImageLimits() {}

  /**
   * Refuses an over-long key or value (400) and an over-heavy image (OVER_QUOTA: 413 on the image
   * service, 403 on the compute API, as each words a quota).
   */
  public static void check(Map<String, String> properties, Collection<String> tags) {
    long total = 0;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String key = e.getKey();
      if (key.length() > MAX_KEY_CHARS) {
        throw ApiException.badRequest("Custom property should not be greater than 255 characters.");
      }
      int value = utf8Length(e.getValue());
      if (value > MAX_VALUE_BYTES) {
        throw ApiException.badRequest(
            "Property " + shown(key) + " is too long: at most " + MAX_VALUE_BYTES + " bytes.");
      }
      total += utf8Length(key) + value;
    }
    for (String tag : tags) {
      total += utf8Length(tag);
    }
    if (total > MAX_TOTAL_BYTES) {
      throw new CatalogException(
          CatalogException.Reason.OVER_QUOTA,
          null,
          "The limit has been exceeded on the total size of image properties and tags. Attempted: "
              + total + " bytes, Maximum: " + MAX_TOTAL_BYTES + " bytes");
    }
  }

  private static String shown(String key) {
    return key.length() <= 64 ? key : key.substring(0, 64) + "…";
  }

  static int utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
