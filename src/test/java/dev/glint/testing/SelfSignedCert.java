package dev.glint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's own {@code keytool}
 * and written as the PEM pair an operator would configure ({@code cert.pem}, {@code key.pem}).
 */
public record SelfSignedCert(Path cert, Path key) {

  /** Generates a new key pair ({@code EC} or {@code RSA}) and certificate in {@code dir}. */
  public static SelfSignedCert create(Path dir, String keyAlgorithm) {
    try {
      Path store = dir.resolve("tls-" + keyAlgorithm + ".p12");
      Files.deleteIfExists(store);
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process p =
          new ProcessBuilder(
                  keytool, "-genkeypair", "-alias", "glint", "-keyalg", keyAlgorithm,
                  "-keysize", keyAlgorithm.equals("RSA") ? "2048" : "256",
                  "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                  "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                  "-storepass", "changeit", "-keypass", "changeit")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, "changeit".toCharArray());
      }
      Path cert = dir.resolve("cert-" + keyAlgorithm + ".pem");
      Path key = dir.resolve("key-" + keyAlgorithm + ".pem");
      Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("glint").getEncoded()));
      Files.writeString(
          key, pem("PRIVATE KEY", ks.getKey("glint", "changeit".toCharArray()).getEncoded()));
      Files.delete(store);
      return new SelfSignedCert(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** A TLS client context that trusts exactly the certificates in {@code certFile}. */
  public static SSLContext trusting(Path certFile) {
    try (InputStream in = Files.newInputStream(certFile)) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
