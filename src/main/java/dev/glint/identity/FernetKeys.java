package dev.glint.identity;

import com.macasaet.fernet.Key;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A Keystone-style Fernet key repository: files named {@code 0}, {@code 1}, … in one directory,
 * each a URL-safe base64 32-byte key. The highest number is the primary (signs new tokens); every
 * key validates. Nodes that share the directory accept each other's tokens.
 */
public final class FernetKeys {
  private final Key primary;
  private final List<Key> all;

  private FernetKeys(Key primary, List<Key> all) {
    this.primary = primary;
    this.all = List.copyOf(all);
  }

  /** Loads the repository, creating it with a staged and a primary key when it is empty. */
  public static FernetKeys loadOrCreate(Path dir) {
    try {
      dev.glint.fs.PrivateFiles.directory(dir);
      TreeMap<Integer, Key> keys = read(dir);
      if (keys.isEmpty()) {
        SecureRandom random = new SecureRandom();
        write(dir.resolve("0"), Key.generateKey(random));
        write(dir.resolve("1"), Key.generateKey(random));
        keys = read(dir);
      }
      List<Key> all = new ArrayList<>(keys.descendingMap().values());
      return new FernetKeys(keys.lastEntry().getValue(), all);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use Fernet key repository " + dir, e);
    }
  }

  private static TreeMap<Integer, Key> read(Path dir) throws IOException {
    TreeMap<Integer, Key> keys = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.matches("\\d+")) {
          keys.put(Integer.parseInt(name), new Key(Files.readString(f).trim()));
        }
      }
    }
    return keys;
  }

  private static void write(Path file, Key key) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp); // left by a crash between write and move
    // 0600 from creation: a key readable for an instant is a key anyone could have copied.
    dev.glint.fs.PrivateFiles.write(tmp, key.serialise().getBytes(StandardCharsets.US_ASCII));
    // ATOMIC_MOVE: two nodes starting at once never read a half-written key.
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  Key primary() {
    return primary;
  }

  List<Key> all() {
    return all;
  }
}
