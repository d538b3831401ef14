package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.glint.http.Json;
import dev.glint.testing.TestServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * service: create with a file, list, show, set a property, save, delete; and the interoperable
 * import: {@code image create --import} (glance-direct: stage, then import) and a
 * {@code web-download} from a loopback HTTP server this test starts and explicitly allows. It
 * authenticates with a token and a fixed endpoint ({@code admin_token}, once called
 * {@code token_endpoint}), so it needs no identity service. Skipped when the CLI is not installed.
 */
class OpenstackCliTest {
  static final String PROJECT = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
  static final byte[] WEB_IMAGE = new byte[300_000];
  static TestServer server;
  static String token;
  static HttpServer web;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(onPath("openstack"), "the openstack CLI is not installed");
    new Random(7).nextBytes(WEB_IMAGE);
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext(
        "/disk.raw",
        ex -> {
          ex.sendResponseHeaders(200, WEB_IMAGE.length);
          try (var body = ex.getResponseBody()) {
            body.write(WEB_IMAGE);
          }
        });
    web.start();
    server =
        TestServer.start(
            Map.of(
                "import.enabled.methods", "glance-direct,web-download",
                "import.filtering.allowed.hosts", "127.0.0.1",
                "import.filtering.allowed.ports", Integer.toString(web.getAddress().getPort())));
    token = server.tokenFor(PROJECT, "member");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (web != null) {
      web.stop(0);
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
    return run(command);
  }

  /** A command with the CLI's environment: the token, the image endpoint, API version 2. */
  static Run run(List<String> command) throws Exception {
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
        throw new AssertionError(String.join(" ", command) + " timed out");
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

  @Test
  void importThroughTheOpenstackCli(@TempDir Path dir) throws Exception {
    byte[] data = new byte[150_000];
    new Random(5).nextBytes(data);
    Path file = dir.resolve("staged.raw");
    Files.write(file, data);

    // glance-direct: the CLI creates the image, stages the file and asks for the import.
    JsonNode created =
        ok(openstack(
            "image", "create", "--import", "--file", file.toString(), "--disk-format", "raw",
            "--container-format", "bare", "cli-import", "-f", "json"));
    String id = created.get("id").asText();
    JsonNode imported = activeOrFail(id);
    assertThat(imported.get("checksum").asText()).isEqualTo(md5(data));
    Path saved = dir.resolve("saved.raw");
    ok(openstack("image", "save", "--file", saved.toString(), id));
    assertThat(Files.readAllBytes(saved)).isEqualTo(data);

    // web-download: this CLI (6.0) has no --import-method, so the import call goes through
    // openstacksdk, the library under it, with the same environment; the CLI checks the result.
    // (The image is made over the API: the CLI's create without --file reads its data from stdin.)
    String queued = new ImageClient(server, token).create(ImageDataTest.RAW).get("id").asText();
    String uri = "http://127.0.0.1:" + web.getAddress().getPort() + "/disk.raw";
    Run sdk =
        run(List.of(
            "/usr/bin/python3", "-c",
            "import sys, openstack\n"
                + "images = openstack.connect().image\n"
                + "images.import_image(images.get_image(sys.argv[1]), method='web-download',"
                + " uri=sys.argv[2])\n",
            queued, uri));
    assertThat(sdk.exit()).as(sdk.err() + sdk.out()).isZero();
    JsonNode fetched = activeOrFail(queued);
    assertThat(fetched.get("checksum").asText()).isEqualTo(md5(WEB_IMAGE));
    assertThat(fetched.get("size").asLong()).isEqualTo(WEB_IMAGE.length);
    Path downloaded = dir.resolve("web.raw");
    ok(openstack("image", "save", "--file", downloaded.toString(), queued));
    assertThat(Files.readAllBytes(downloaded)).isEqualTo(WEB_IMAGE);
  }

  /** The image as the CLI shows it once its import has ended; fails if it did not become active. */
  static JsonNode activeOrFail(String id) throws Exception {
    JsonNode shown = null;
    for (int n = 0; n < 120; n++) {
      shown = ok(openstack("image", "show", id, "-f", "json"));
      String status = shown.get("status").asText();
      if (!status.equals("importing") && !status.equals("uploading") && !status.equals("queued")) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(shown.get("status").asText()).as(shown.toString()).isEqualTo("active");
    return shown;
  }

  static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
