package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glint.http.Json;
import dev.glint.testing.LogLeakCheck;
import dev.glint.testing.SecretsSeen;
import dev.glint.testing.TestServer;
import dev.glint.testing.TestStores;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI login as the real clients do it: a clouds.yaml entry with {@code auth_type:
 * v3applicationcredential}, used by openstacksdk (Debian's {@code python3-openstacksdk}) to list
 * images through the image service and the compute API, and by the {@code openstack} CLI. Skipped
 * when they are not installed, and on the PostgreSQL run (a client test; the store adds nothing).
 */
@ExtendWith(LogLeakCheck.class)
class OpenstackSdkApplicationCredentialTest {
  static final String PYTHON = "/usr/bin/python3";

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  Run run(List<String> command, Path clouds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    pb.environment().put("OS_CLIENT_CONFIG_FILE", clouds.toString());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " timed out");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static boolean installed() {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import openstack").start();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void openstacksdkAndTheCliListImagesWithAnApplicationCredential() throws Exception {
    assumeFalse(TestStores.postgres(), "a client test; the SQLite run covers it");
    assumeTrue(installed(), "openstacksdk (python3-openstacksdk) is not installed");
    try (TestServer server = TestServer.start()) {
      String demo = server.demoToken();
      String userId = server.app().tokens().validate(demo).orElseThrow().userId();
      HttpResponse<String> image =
          server.send(
              HttpRequest.newBuilder(URI.create(server.imageUrl() + "/v2/images"))
                  .header("X-Auth-Token", demo)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"name\": \"sdk-visible\", \"disk_format\": \"raw\","
                          + " \"container_format\": \"bare\"}"))
                  .build());
      assertThat(image.statusCode()).isEqualTo(201);
      HttpResponse<String> created =
          server.send(
              HttpRequest.newBuilder(
                      URI.create(server.identityUrl() + "/v3/users/" + userId
                          + "/application_credentials"))
                  .header("X-Auth-Token", demo)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(
                      "{\"application_credential\": {\"name\": \"sdk-ci\"}}"))
                  .build());
      assertThat(created.statusCode()).isEqualTo(201);
      JsonNode cred = TestServer.json(created.body()).get("application_credential");
      SecretsSeen.add(cred.get("secret").asText());

      Path clouds = dir.resolve("clouds.yaml");
      Files.writeString(
          clouds,
          """
          clouds:
            glint:
              auth_type: v3applicationcredential
              auth:
                auth_url: %s/v3
                application_credential_id: %s
                application_credential_secret: %s
              region_name: RegionOne
              interface: public
              identity_api_version: 3
          """
              .formatted(server.identityUrl(), cred.get("id").asText(),
                  cred.get("secret").asText()));
      Path script = dir.resolve("list.py");
      Files.writeString(
          script,
          """
          import json, openstack
          conn = openstack.connect(cloud="glint")
          print(json.dumps({
              "project": conn.current_project_id,
              "image": sorted(i.name for i in conn.image.images()),
              "compute": sorted(i.name for i in conn.compute.images()),
          }))
          """);

      Run sdk = run(List.of(PYTHON, script.toString()), clouds);
      assertThat(sdk.exit()).as(sdk.err()).isZero();
      JsonNode listed = Json.MAPPER.readTree(sdk.out());
      assertThat(listed.get("image").toString()).contains("sdk-visible");
      assertThat(listed.get("compute").toString()).contains("sdk-visible");
      assertThat(listed.get("project").asText())
          .isEqualTo(server.app().tokens().validate(demo).orElseThrow().projectId());

      Run cli = run(List.of("openstack", "--os-cloud", "glint", "image", "list", "-f", "json"), clouds);
      assertThat(cli.exit()).as(cli.err()).isZero();
      List<String> names = new ArrayList<>();
      Json.MAPPER.readTree(cli.out()).forEach(i -> names.add(i.get("Name").asText()));
      assertThat(names).contains("sdk-visible");
    }
  }
}
