package dev.glint.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;

/**
 * Whether a store's {@code flyway_schema_history} already records exactly the migrations this
 * build carries (same versions, scripts and checksums, every one successful). Then Flyway's
 * {@code migrate} would apply nothing, and a start skips it: Flyway's set-up, classpath scan and
 * validation were about a seventh of a start (docs/benchmarks.md). Anything else (a new store, a
 * migration to apply, a changed or failed one, a baseline, a layout this class does not know)
 * answers {@code false}, and Flyway runs and decides as it always did.
 */
final class SchemaHistory {
  /** Flyway's versioned SQL migrations: {@code V<version>__<description>.sql}. */
  private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

  private SchemaHistory() {}

  /** A migration as Flyway records it. */
  record Migration(String version, String script, int checksum) {}

  /** True when the store holds exactly {@code shipped(locations)}, all applied successfully. */
  static boolean upToDate(DataSource ds, List<String> locations) {
    try (Connection c = ds.getConnection()) {
      return upToDate(c, locations);
    } catch (SQLException e) {
      return false; // the store is down: Flyway reports it
    }
  }

  static boolean upToDate(Connection c, List<String> locations) {
    Map<String, Migration> shipped = shipped(locations);
    if (shipped == null || shipped.isEmpty()) {
      return false;
    }
    Map<String, Migration> applied = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, script, checksum, success, type FROM flyway_schema_history")) {
      while (rs.next()) {
        String type = rs.getString("type");
        if ("SCHEMA".equals(type)) {
          continue; // Flyway's note that it created the schema; no migration.
        }
        int checksum = rs.getInt("checksum");
        boolean noChecksum = rs.wasNull();
        if (!"SQL".equals(type) || !rs.getBoolean("success") || noChecksum) {
          return false;
        }
        Migration m = new Migration(rs.getString("version"), rs.getString("script"), checksum);
        if (applied.put(m.script(), m) != null) {
          return false;
        }
      }
    } catch (SQLException e) {
      return false; // no history table yet: a new store
    }
    return applied.equals(shipped);
  }

  /**
   * The versioned migrations under the classpath locations ({@code classpath:a/b}), by script
   * name, with Flyway's checksum; null when they cannot be listed here (Flyway then decides).
   */
  static Map<String, Migration> shipped(List<String> locations) {
    Map<String, Migration> out = new HashMap<>();
    ClassLoader loader = SchemaHistory.class.getClassLoader();
    try {
      for (String location : locations) {
        if (!location.startsWith("classpath:")) {
          return null;
        }
        String dir = location.substring("classpath:".length());
        Enumeration<URL> urls = loader.getResources(dir);
        while (urls.hasMoreElements()) {
          if (!addAll(urls.nextElement(), dir, out)) {
            return null;
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
    return out;
  }

  private static boolean addAll(URL url, String dir, Map<String, Migration> out)
      throws IOException, URISyntaxException {
    switch (url.getProtocol()) {
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          for (Path f : (Iterable<Path>) files::iterator) {
            try (InputStream in = Files.newInputStream(f)) {
              if (!add(f.getFileName().toString(), in, out)) {
                return false;
              }
            }
          }
        }
        return true;
      }
      case "jar" -> {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          String prefix = dir + "/";
          for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry e = entries.nextElement();
            String name = e.getName();
            if (e.isDirectory() || !name.startsWith(prefix) || name.indexOf('/', prefix.length()) >= 0) {
              continue;
            }
            try (InputStream in = jar.getInputStream(e)) {
              if (!add(name.substring(prefix.length()), in, out)) {
                return false;
              }
            }
          }
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** Adds one file; false for a file Flyway would treat in a way this class does not model. */
  private static boolean add(String name, InputStream in, Map<String, Migration> out)
      throws IOException {
    if (!name.endsWith(".sql")) {
      return true; // Flyway ignores other files in a location
    }
    Matcher m = VERSIONED.matcher(name);
    if (!m.matches()) {
      return false; // a repeatable or differently named migration
    }
    String version = m.group(1).replace('_', '.');
    return out.put(name, new Migration(version, name, checksum(in))) == null;
  }

  /**
   * Flyway's checksum of a migration (its {@code ChecksumCalculator}): CRC32 over the UTF-8 bytes
   * of each line without its line break and without a leading byte-order mark. Should Flyway change
   * it, no store matches and every start runs Flyway, as before; SchemaHistoryTest notices.
   */
  static int checksum(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
      crc.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return (int) crc.getValue();
  }
}
