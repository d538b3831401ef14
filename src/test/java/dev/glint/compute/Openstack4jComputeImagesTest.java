package dev.glint.compute;

import static dev.glint.testing.TestImages.ADMIN;
import static dev.glint.testing.TestImages.DEMO;
import static dev.glint.testing.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.exceptions.ClientResponseException;
import org.openstack4j.core.transport.ObjectMapperSingleton;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.identity.v3.domain.KeystoneToken;

/**
 * openstack4j 3.12 (okhttp connector) against Glint's compute images API: list, list detail, get,
 * delete and metadata. openstack4j accepts an already issued token with its service catalog
 * ({@code OSFactory.clientFromToken}), so this needs no Keystone: the token is a real Fernet token
 * of Glint's, the catalog names Glint's compute endpoint, as Keystone's would.
 */
class Openstack4jComputeImagesTest {
  static TestServer server;
  static Image cirros;
  static Image snapshot;
  static Image demoOwn;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    cirros = image().name("cirros").createdPlus(1).minDisk(1).minRam(64).build();
    snapshot =
        image().owner(DEMO).visibility(Visibility.PRIVATE).name("snap-web").createdPlus(2)
            .properties(Map.of("image_type", "snapshot",
                "instance_uuid", "b8004092-f9e2-4b92-9b38-eefa6bced784", "os_distro", "ubuntu"))
            .build();
    demoOwn = image().owner(DEMO).visibility(Visibility.PRIVATE).name("to-delete")
        .status(ImageStatus.QUEUED).size(null).createdPlus(3).build();
    server.app().catalog().addAll(List.of(cirros, snapshot, demoOwn,
        image().owner(ADMIN).visibility(Visibility.PRIVATE).name("admin-private").build()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What Keystone's POST /v3/auth/tokens would return for this caller, as openstack4j reads it. */
  static OSClient.OSClientV3 client(String project, String role) throws IOException {
    return clientAt("/v2.1", project, role);
  }

  /** @param root the compute endpoint's API root in the catalog, "/v2.1" or the legacy "/v2" */
  static OSClient.OSClientV3 clientAt(String root, String project, String... roles) throws IOException {
    String compute = server.computeUrl() + root + "/" + project;
    String json =
        """
        {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
          "issued_at": "2026-01-01T00:00:00.000000Z",
          "user": {"id": "u-%1$s", "name": "user-%1$s", "domain": {"id": "default", "name": "Default"}},
          "project": {"id": "%1$s", "name": "p-%1$s", "domain": {"id": "default", "name": "Default"}},
          "roles": [{"id": "r1", "name": "member"}],
          "catalog": [{"type": "compute", "name": "nova", "id": "c1", "endpoints": [
            {"id": "e1", "interface": "public", "region": "RegionOne", "region_id": "RegionOne",
             "url": "%2$s"}]}]}}
        """
            .formatted(project, compute);
    KeystoneToken token =
        ObjectMapperSingleton.getContext(KeystoneToken.class)
            .readerFor(KeystoneToken.class)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.UNWRAP_ROOT_VALUE)
            .readValue(json);
    token.setId(server.tokenFor(project, roles));
    // openstack4j caches resolved endpoints per identity endpoint, user and project; keep the
    // two catalogs (/v2.1 and /v2) apart. The identity endpoint is only used to re-authenticate.
    token.setEndpoint(server.identityUrl() + "/v3" + (root.equals("/v2") ? "/" : ""));
    return OSFactory.clientFromToken(token);
  }

  @Test
  void listsImagesWithTheirLinks() throws IOException {
    List<? extends org.openstack4j.model.compute.Image> images = client(DEMO, "member").compute().images().list(false);
    assertThat(images).extracting(org.openstack4j.model.compute.Image::getName)
        .containsSubsequence("snap-web", "cirros")
        .doesNotContain("admin-private");
    assertThat(images.get(images.size() - 1).getId()).isEqualTo(cirros.id());
    var links = images.get(images.size() - 1).getLinks();
    assertThat(links).extracting(l -> l.getRel()).containsExactly("self", "bookmark", "alternate");
    assertThat(links.get(0).getHref())
        .isEqualTo(server.computeUrl() + "/v2.1/" + DEMO + "/images/" + cirros.id());
  }

  @Test
  void listsDetailsWithNovasFields() throws IOException {
    List<? extends org.openstack4j.model.compute.Image> images = client(DEMO, "member").compute().images().list(true);
    var snap = images.stream().filter(i -> i.getName().equals("snap-web")).findFirst().orElseThrow();
    assertThat(snap.getStatus()).isEqualTo(org.openstack4j.model.compute.Image.Status.ACTIVE);
    assertThat(snap.getProgress()).isEqualTo(100);
    assertThat(snap.getMetaData()).containsEntry("image_type", "snapshot").containsEntry("os_distro", "ubuntu");
    var cirrosDetail = images.stream().filter(i -> i.getId().equals(cirros.id())).findFirst().orElseThrow();
    assertThat(cirrosDetail.getSize()).isEqualTo(cirros.size());
    assertThat(cirrosDetail.getUpdated()).isEqualTo(java.util.Date.from(cirros.updatedAt()));
  }

  @Test
  void getsOneImage() throws IOException {
    var img = client(DEMO, "member").compute().images().get(cirros.id());
    assertThat(img.getId()).isEqualTo(cirros.id());
    assertThat(img.getMinDisk()).isEqualTo(1);
    assertThat(img.getMinRam()).isEqualTo(64);
    assertThat(img.getCreated()).isEqualTo(java.util.Date.from(cirros.createdAt()));
    assertThat(client(DEMO, "member").compute().images().get("00000000-0000-4000-8000-000000000000"))
        .isNull();
  }

  @Test
  void readsWritesAndDeletesMetadataThroughTheLegacyRoot() throws IOException {
    var images = clientAt("/v2", DEMO, "member").compute().images();
    assertThat(images.getMetaData(snapshot.id())).containsEntry("os_distro", "ubuntu").hasSize(3);
    Map<String, String> after = images.setMetaData(snapshot.id(), Map.of("hw_disk_bus", "scsi"));
    assertThat(after).containsEntry("hw_disk_bus", "scsi").containsEntry("os_distro", "ubuntu");
    ActionResponse deleted = images.deleteMetaData(snapshot.id(), "hw_disk_bus");
    assertThat(deleted.isSuccess()).as(deleted.getFault()).isTrue();
    assertThat(images.getMetaData(snapshot.id())).doesNotContainKey("hw_disk_bus");
    // Another project's public image: readable, not writable.
    assertThat(images.getMetaData(cirros.id())).isEmpty();
    assertThatThrownBy(() -> images.setMetaData(cirros.id(), Map.of("a", "b")))
        .isInstanceOf(ClientResponseException.class)
        .hasMessageContaining("Not authorized for image " + cirros.id() + ".");
  }

  /**
   * openstack4j's MetaDataWrapper serialises both its field and its getter, sending {@code
   * {"metadata": {...}, "metaData": {...}}}. Nova's strict v2.1 validation refuses the extra key
   * (only the legacy /v2 root drops it), and so does Glint, with Nova's text.
   */
  @Test
  void setMetadataOnV21IsRefusedAsNovaRefusesIt() throws IOException {
    var images = client(DEMO, "member").compute().images();
    assertThatThrownBy(() -> images.setMetaData(snapshot.id(), Map.of("a", "b")))
        .isInstanceOf(ClientResponseException.class)
        .hasMessageContaining("Additional properties are not allowed ('metaData' was unexpected)");
    assertThat(images.getMetaData(snapshot.id())).doesNotContainKey("a");
  }

  @Test
  void deletesOwnImageAndIsRefusedOthers() throws IOException {
    var images = client(DEMO, "member").compute().images();
    ActionResponse refused = images.delete(cirros.id());
    assertThat(refused.isSuccess()).isFalse();
    assertThat(refused.getCode()).isEqualTo(403);
    assertThat(refused.getFault()).contains("You are not allowed to delete the image.");
    ActionResponse ok = images.delete(demoOwn.id());
    assertThat(ok.isSuccess()).as(ok.getFault()).isTrue();
    assertThat(images.get(demoOwn.id())).isNull();
    assertThat(client(ADMIN, "admin").compute().images().get(cirros.id())).isNotNull();
  }
}
