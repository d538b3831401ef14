package dev.glint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PEM shapes operators have: OpenSSL's own key formats (PKCS#8, traditional RSA, SEC1 EC),
 * each proved by signing with the loaded key and verifying with the certificate's public key.
 */
class PemKeyStoreTest {
  @TempDir Path dir;

  private void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
  }

  private static boolean hasOpenssl() {
    try {
      return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  private void assertPair(String certFile, String keyFile) throws Exception {
    KeyStore store = PemKeyStore.load(dir.resolve(certFile), dir.resolve(keyFile));
    PrivateKey key =
        (PrivateKey) store.getKey("glint", PemKeyStore.ENTRY_PASSWORD.toCharArray());
    Certificate cert = store.getCertificate("glint");
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature sign = Signature.getInstance(algorithm);
    sign.initSign(key);
    sign.update("glint".getBytes());
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance(algorithm);
    verify.initVerify(cert.getPublicKey());
    verify.update("glint".getBytes());
    assertThat(verify.verify(signature)).isTrue();
  }

  @Test
  void readsPkcs8AndTraditionalRsaKeys() throws Exception {
    assumeTrue(hasOpenssl(), "openssl not installed");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "k8.pem", "-out",
        "c.pem", "-subj", "/CN=localhost", "-days", "1");
    openssl("rsa", "-in", "k8.pem", "-traditional", "-out", "k1.pem");
    assertThat(Files.readString(dir.resolve("k8.pem"))).contains("BEGIN PRIVATE KEY");
    assertThat(Files.readString(dir.resolve("k1.pem"))).contains("BEGIN RSA PRIVATE KEY");
    assertPair("c.pem", "k8.pem");
    assertPair("c.pem", "k1.pem");
  }

  @Test
  void readsSec1EcKeysWithTheirParameters() throws Exception {
    assumeTrue(hasOpenssl(), "openssl not installed");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.pem");
    openssl("req", "-x509", "-key", "ec.pem", "-out", "c.pem", "-subj", "/CN=localhost",
        "-days", "1");
    assertThat(Files.readString(dir.resolve("ec.pem")))
        .contains("BEGIN EC PARAMETERS")
        .contains("BEGIN EC PRIVATE KEY");
    assertPair("c.pem", "ec.pem");
  }

  @Test
  void refusesEncryptedKeysAndFilesWithoutPem() throws Exception {
    assumeTrue(hasOpenssl(), "openssl not installed");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-passout", "pass:secret", "-keyout",
        "enc.pem", "-out", "c.pem", "-subj", "/CN=localhost", "-days", "1");
    assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("c.pem"), dir.resolve("enc.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted");
    Files.writeString(dir.resolve("empty.pem"), "not a pem file\n");
    assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("empty.pem"), dir.resolve("enc.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> PemKeyStore.load(dir.resolve("c.pem"), dir.resolve("empty.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PEM private key");
  }
}
