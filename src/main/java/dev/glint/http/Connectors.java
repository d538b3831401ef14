package dev.glint.http;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A listener's connector, for Javalin's {@code config.jetty.addConnector}: plain HTTP/1.1, or
 * HTTPS only (HTTP/1.1 over TLS 1.2/1.3) from a PEM key and certificate chain, where a plain-HTTP
 * request fails the handshake and nothing listens for plain HTTP.
 *
 * <p>Either has one selector per core. Jetty's default is one per two cores, and a request the
 * hot lane ({@link HotLane}) answers runs on its selector's thread: with one selector, the lane's
 * answers on a 2-core machine took one core while the other idled (docs/benchmarks.md).
 */
public final class Connectors {
  private Connectors() {}

  private static int selectors() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Plain HTTP/1.1. */
  public static BiFunction<Server, HttpConfiguration, Connector> plain(String host, int port) {
    return (server, http) -> {
      ServerConnector connector =
          new ServerConnector(server, -1, selectors(), new HttpConnectionFactory(http));
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    };
  }

  /**
   * HTTPS only. Reads the PEM files now, so a bad key or certificate stops start-up with a message
   * naming the file.
   */
  public static BiFunction<Server, HttpConfiguration, Connector> tls(
      String host, int port, Path cert, Path key) {
    KeyStore keys = PemKeyStore.load(cert, key);
    return (server, http) -> {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(keys);
      tls.setKeyManagerPassword(PemKeyStore.ENTRY_PASSWORD);
      tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      // Clients reaching the listener by IP address send no SNI; a name in the certificate
      // that differs from the Host header is the client's trust decision, not the server's.
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      ServerConnector connector =
          new ServerConnector(
              server,
              -1,
              selectors(),
              new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    };
  }
}
