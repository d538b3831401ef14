package dev.glint.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, files and secrets: a data dir Glint creates is 0700, and the SQLite catalog (bcrypt
 * hashes), image data and Fernet keys in it are 0600, whatever the process umask.
 */
class FilePermissionsTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDataDirIsPrivateAndSoIsEverySecretInIt() throws Exception {
    Path data = tmp.resolve("new-data-dir");
    try (TestServer server = TestServer.start(Map.of("data.dir", data.toString()))) {
      String token = server.tokenFor("perm", "member");
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"p\", \"disk_format\": \"raw\", \"container_format\": \"bare\"}"))
                  .build());
      String id = TestServer.json(created.body()).get("id").asText();
      HttpResponse<String> upload =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images/" + id + "/file"))
                  .header("X-Auth-Token", token)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofString("secret image bytes"))
                  .build());
      assertThat(upload.statusCode()).isEqualTo(204);

      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(data.resolve("images"))).isEqualTo("rwx------");
      assertThat(mode(data.resolve("fernet-keys"))).isEqualTo("rwx------");
      try (Stream<Path> keys = Files.list(data.resolve("fernet-keys"))) {
        List<Path> all = keys.toList();
        assertThat(all).isNotEmpty();
        for (Path k : all) {
          assertThat(mode(k)).as(k.toString()).isEqualTo("rw-------");
        }
      }
      try (Stream<Path> images = Files.list(data.resolve("images"))) {
        List<Path> all = images.filter(Files::isRegularFile).toList();
        assertThat(all).isNotEmpty();
        for (Path f : all) {
          assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
        }
      }
      if (!TestStores.postgres()) {
        for (String name : List.of("glint.db", "glint.db-wal", "glint.db-shm")) {
          Path f = data.resolve(name);
          if (Files.exists(f)) {
            assertThat(mode(f)).as(name).isEqualTo("rw-------");
          }
        }
        assertThat(data.resolve("glint.db")).exists();
      }
    }
  }

  @Test
  void anExistingWorldReadableDataDirIsNarrowed() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("old"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (!TestStores.postgres()) {
      Files.createFile(data.resolve("glint.db"));
      Files.setPosixFilePermissions(data.resolve("glint.db"), PosixFilePermissions.fromString("rw-r--r--"));
    }
    try (TestServer server = TestServer.start(Map.of("data.dir", data.toString()))) {
      assertThat(mode(data)).isEqualTo("rwx------");
      if (!TestStores.postgres()) {
        assertThat(mode(data.resolve("glint.db"))).isEqualTo("rw-------");
      }
    }
  }
}
