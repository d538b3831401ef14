package dev.glint.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glint.testing.TestImages;
import dev.glint.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upload whose lease was taken over while it ran (its node stalled past the lease; another
 * node requeued the image) cannot make the image active when it ends: 409, and the image stays as
 * the takeover left it. Both stores.
 */
class UploadTakeoverTest {
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anUploadThatLostItsLeaseIs409AndLeavesTheImageQueued() throws Exception {
    ImageClient client = ImageClient.of(server, TestImages.DEMO, "member", "reader");
    String id = client.create("{\"disk_format\": \"raw\", \"container_format\": \"bare\"}")
        .get("id").asText();
    CountDownLatch release = new CountDownLatch(1);
    // 8 × 64 KiB (the client reads ahead), then wait for the test, then 64 KiB more and the end.
    InputStream body =
        new InputStream() {
          int sent;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (sent >= 9) {
              return -1;
            }
            if (sent == 8) {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
            }
            sent++;
            int n = Math.min(len, 64 * 1024);
            java.util.Arrays.fill(b, off, off + n, (byte) 7);
            return n;
          }
        };
    CompletableFuture<HttpResponse<String>> upload =
        server.http().sendAsync(
            client.request("/v2/images/" + id + "/file")
                .header("Content-Type", "application/octet-stream")
                .PUT(BodyPublishers.ofInputStream(() -> body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ImageClient.json(client.get("/v2/images/" + id)).path("status").asText().equals("saving")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }
    // As if this node had stalled past its lease: the lease runs out, a sweep requeues the image.
    server.app().db().writer().useHandle(
        h -> h.execute("UPDATE images SET upload_lease_until = 0 WHERE id = ?", id));
    assertThat(server.app().catalog().uploadLeases().recoverExpired()).containsExactly(id);
    release.countDown();

    HttpResponse<String> r = upload.get(60, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(ImageClient.message(r)).contains("put back to queued while its data was arriving");
    assertThat(ImageClient.json(client.get("/v2/images/" + id)).path("status").asText())
        .isEqualTo("queued");
    // And it takes a new upload.
    assertThat(client.put("/v2/images/" + id + "/file", "application/octet-stream", new byte[] {1})
            .statusCode())
        .isEqualTo(204);
  }
}
