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
 * A listener that speaks HTTPS only (HTTP/1.1 over TLS 1.2/1.3), from a PEM key and certificate
 * chain. A plain-HTTP request to it fails the handshake; nothing listens for plain HTTP.
 */
public final class TlsConnector {
  private TlsConnector() {}

  /**
   * The connector for Javalin's {@code config.jetty.addConnector}: reads the PEM files now, so a
   * bad key or certificate stops start-up with a message naming the file.
   */
  public static BiFunction<Server, HttpConfiguration, Connector> of(
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
              new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
      connector.setHost(host);
      connector.setPort(port);
      return connector;
    };
  }
}
