package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * A listener has one selector per core. The hot lane answers on its selector's thread, so with
 * Jetty's default (one selector per two cores) a 2-core machine served the lane's reads on one
 * core while the other idled: 28 000 against 32 000 req/s on random-marker pages (bench/run.sh).
 */
class ConnectorsTest {
  @Test
  void aPlainListenerHasOneSelectorPerCore() throws Exception {
    Server server = new Server();
    try {
      ServerConnector connector =
          (ServerConnector) Connectors.plain("127.0.0.1", 0).apply(server, new HttpConfiguration());
      assertThat(connector.getSelectorManager().getSelectorCount())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(connector.getHost()).isEqualTo("127.0.0.1");
    } finally {
      server.stop();
    }
  }
}
