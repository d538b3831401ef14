package dev.glint.openapi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The lines of {@code openapi/not-yet-described.txt}: routes knowingly left undescribed. */
final class NotYetDescribed {
  private static final List<Entry> ENTRIES = load();

  record Entry(String line, Pattern pattern) {
    boolean matches(String listener, String method, String template) {
      return pattern.matcher(listener + " " + method + " " + template).matches();
    }
  }

  private NotYetDescribed() {}

  static List<Entry> entries() {
    return ENTRIES;
  }

  static boolean listed(String listener, String method, String template) {
    return ENTRIES.stream().anyMatch(e -> e.matches(listener, method, template));
  }

  private static List<Entry> load() {
    List<Entry> out = new ArrayList<>();
    try (InputStream in = NotYetDescribed.class.getResourceAsStream("/openapi/not-yet-described.txt")) {
      if (in == null) {
        return out;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          out.add(new Entry(l, glob(l)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Pattern glob(String line) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '*' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^ /]*");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
