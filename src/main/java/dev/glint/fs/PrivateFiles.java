package dev.glint.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only Glint's own user may read: the data dir (0700), the SQLite catalog with its bcrypt
 * hashes, image data and Fernet keys (0600). Permissions are given at creation, never set after
 * (between the two, another local user could open the file). On a file system without POSIX
 * permissions the files are created as usual.
 */
public final class PrivateFiles {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and missing parents, which get the same mode) as 0700; an existing
   * directory is narrowed to 0700, for data dirs made by earlier versions.
   */
  public static Path directory(Path dir) throws IOException {
    if (!POSIX) {
      return Files.createDirectories(dir);
    }
    if (Files.isDirectory(dir)) {
      if (!Files.getPosixFilePermissions(dir).equals(DIR)) {
        Files.setPosixFilePermissions(dir, DIR);
      }
      return dir;
    }
    return Files.createDirectories(dir, dirAttribute());
  }

  /** Creates a new file (it must not exist) readable and writable by its owner only. */
  public static FileChannel create(Path file, OpenOption... more) throws IOException {
    Set<OpenOption> options = new java.util.HashSet<>(Set.of(more));
    options.add(StandardOpenOption.CREATE_NEW);
    options.add(StandardOpenOption.WRITE);
    return POSIX
        ? FileChannel.open(file, options, fileAttribute())
        : FileChannel.open(file, options);
  }

  /** Writes {@code bytes} to a new file (it must not exist), 0600 from the start. */
  public static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel out = create(file)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    }
  }

  /** Creates an empty file 0600 unless it exists; an existing one is narrowed to 0600. */
  public static void ensureFile(Path file) throws IOException {
    if (Files.exists(file)) {
      if (POSIX && !Files.getPosixFilePermissions(file).equals(FILE)) {
        Files.setPosixFilePermissions(file, FILE);
      }
      return;
    }
    try (FileChannel ignored = create(file)) {
      // empty
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // another process made it first
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> dirAttribute() {
    return PosixFilePermissions.asFileAttribute(DIR);
  }

  private static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }
}
