package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code openstack} CLI (python-openstackclient over openstacksdk) against Glint's image
 * service: create with a file, list, show, set a property, save, delete. It authenticates with a
 * token and a fixed endpoint ({@code admin_token}, once called {@code token_endpoint}), so it needs
 * no identity service. Skipped when the CLI is not installed.
 */
class OpenstackCliTest {
  static final String PROJECT = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
  static TestServer server;
  static String token;

  @BeforeAll
  static void start() {
    assumeTrue(onPath("openstack"), "the openstack CLI is not installed");
    server = TestServer.start();
    token = server.tokenFor(PROJECT, "member");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static boolean onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, binary))) {
        return true;
      }
    }
    return false;
  }

  record Run(int exit, String out, String err) {}

  static Run openstack(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openstack"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OS_"));
    env.put("OS_AUTH_TYPE", "admin_token");
    // With an unversioned endpoint openstacksdk skips to {endpoint}/images; give it the v2 root.
    env.put("OS_ENDPOINT", server.imageUrl() + "/v2");
    env.put("OS_TOKEN", token);
    env.put("OS_IMAGE_API_VERSION", "2");
    Path out = Files.createTempFile("openstack-out", ".txt");
    Path err = Files.createTempFile("openstack-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openstack " + String.join(" ", args) + " timed out");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static JsonNode ok(Run run) throws Exception {
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    return run.out().isBlank() ? null : Json.MAPPER.readTree(run.out());
  }

  @Test
  void imageLifecycleThroughTheOpenstackCli(@TempDir Path dir) throws Exception {
    byte[] data = new byte[200_000];
    new Random(3).nextBytes(data);
    Path file = dir.resolve("disk.raw");
    Files.write(file, data);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));

    JsonNode created =
        ok(openstack(
            "image", "create", "--file", file.toString(), "--disk-format", "raw",
            "--container-format", "bare", "--private", "cli-image", "-f", "json"));
    String id = created.get("id").asText();
    assertThat(created.get("name").asText()).isEqualTo("cli-image");

    JsonNode list = ok(openstack("image", "list", "-f", "json"));
    List<String> names = new ArrayList<>();
    list.forEach(i -> names.add(i.get("Name").asText()));
    assertThat(names).contains("cli-image");

    JsonNode shown = ok(openstack("image", "show", "cli-image", "-f", "json"));
    assertThat(shown.get("id").asText()).isEqualTo(id);
    assertThat(shown.get("status").asText()).isEqualTo("active");
    assertThat(shown.get("checksum").asText()).isEqualTo(md5);
    assertThat(shown.get("size").asLong()).isEqualTo(data.length);

    ok(openstack("image", "set", "--property", "os_distro=cirros", "cli-image"));
    JsonNode image = ImageClient.json(new ImageClient(server, token).get("/v2/images/" + id));
    assertThat(image.get("os_distro").asText()).isEqualTo("cirros");

    Path saved = dir.resolve("saved.raw");
    ok(openstack("image", "save", "--file", saved.toString(), "cli-image"));
    assertThat(Files.readAllBytes(saved)).isEqualTo(data);

    ok(openstack("image", "delete", "cli-image"));
    Run gone = openstack("image", "show", id);
    assertThat(gone.exit()).isNotZero();
    assertThat(new ImageClient(server, token).get("/v2/images/" + id).statusCode()).isEqualTo(404);
  }
}
