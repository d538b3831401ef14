package dev.glint.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code <user>-openrc.sh}: the environment the {@code openstack} CLI and SDKs read. */
final class OpenRc {
  private OpenRc() {}

  static String render(
      String authUrl, String user, String password, String project, String region) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("OS_AUTH_URL", authUrl);
    vars.put("OS_USERNAME", user);
    vars.put("OS_PASSWORD", password);
    vars.put("OS_PROJECT_NAME", project);
    vars.put("OS_USER_DOMAIN_NAME", "Default");
    vars.put("OS_PROJECT_DOMAIN_NAME", "Default");
    vars.put("OS_IDENTITY_API_VERSION", "3");
    vars.put("OS_REGION_NAME", region);
    vars.put("OS_INTERFACE", "public");
    StringBuilder out = new StringBuilder();
    out.append("# Glint credentials for user ").append(user).append(" on project ").append(project);
    out.append(". Use: . ").append(user).append("-openrc.sh\n");
    vars.forEach((k, v) -> out.append("export ").append(k).append('=').append(quote(v)).append('\n'));
    return out.toString();
  }

  /** The file's content, or null when it does not exist or cannot be read. */
  static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The OS_PASSWORD a file written by {@link #render} holds, or null. */
  static String password(String content) {
    if (content == null) {
      return null;
    }
    String prefix = "export OS_PASSWORD='";
    for (String line : content.split("\n")) {
      if (line.startsWith(prefix) && line.endsWith("'")) {
        return line.substring(prefix.length(), line.length() - 1).replace("'\\''", "'");
      }
    }
    return null;
  }

  /** POSIX shell single quotes; an embedded quote becomes {@code '\''}. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** Writes the file readable by its owner only, replacing any previous one atomically. */
  static void write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(
            tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
