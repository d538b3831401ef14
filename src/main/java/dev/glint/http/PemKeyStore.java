package dev.glint.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM private key and certificate chain (what certbot, cert-manager and {@code openssl} write)
 * turned into the in-memory {@link KeyStore} Jetty's {@code SslContextFactory} takes, with the
 * JDK alone: Jetty has no PEM reader and the JDK's own ({@code PEMDecoder}) is a preview API.
 *
 * <p>Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519/Ed448), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}); the last two are
 * wrapped into PKCS#8. An encrypted key is refused with a message saying how to decrypt it.
 */
public final class PemKeyStore {
  /** The password of the key entry in the in-memory store; it never leaves this process. */
  public static final String ENTRY_PASSWORD = "glint-tls";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemKeyStore() {}

  /** Reads both files; the chain is the leaf certificate first, then its issuers. */
  public static KeyStore load(Path certFile, Path keyFile) {
    List<Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "glint", key, ENTRY_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "tls.key does not go with the certificate in tls.cert: " + e.getMessage(), e);
    }
  }

  static List<Certificate> certificates(Path file) {
    List<Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(file)) {
        if (block.type().equals("CERTIFICATE")) {
          chain.add(factory.generateCertificate(new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls.cert " + file + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "tls.cert " + file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return chain;
  }

  static PrivateKey privateKey(Path file) {
    for (Block block : blocks(file)) {
      byte[] pkcs8 =
          switch (block.type()) {
            case "PRIVATE KEY" -> block.der();
            case "RSA PRIVATE KEY" -> rsaToPkcs8(block.der());
            case "EC PRIVATE KEY" -> ecToPkcs8(block.der());
            case "ENCRYPTED PRIVATE KEY" ->
                throw new IllegalArgumentException(
                    "tls.key " + file + " is encrypted; Glint reads unencrypted keys (protect the"
                        + " file instead, mode 0600): openssl pkey -in key.pem -out plain.pem");
            default -> null;
          };
      if (pkcs8 == null) {
        continue; // EC PARAMETERS and the like
      }
      for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
          // not this algorithm; try the next
        }
      }
      throw new IllegalArgumentException(
          "tls.key " + file + " holds a private key of an algorithm Glint cannot read"
              + " (RSA, EC and EdDSA keys are read)");
    }
    throw new IllegalArgumentException(
        "tls.key " + file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2);
      if (body.contains(":")) {
        // Proc-Type / DEK-Info headers: a legacy OpenSSL-encrypted key.
        throw new IllegalArgumentException(
            file + " holds an encrypted PEM block; Glint reads unencrypted keys (protect the file"
                + " instead, mode 0600): openssl pkey -in key.pem -out plain.pem");
      }
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " holds a PEM block that is not base64", e);
      }
    }
    return blocks;
  }

  // PKCS#8 PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }

  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
    0x01, 0x05, 0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  static byte[] rsaToPkcs8(byte[] pkcs1) {
    return sequence(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /**
   * SEC1 ECPrivateKey ::= SEQUENCE { INTEGER 1, OCTET STRING d, [0] OID curve OPTIONAL, [1] BIT
   * STRING OPTIONAL }: the curve moves into PKCS#8's AlgorithmIdentifier.
   */
  static byte[] ecToPkcs8(byte[] sec1) {
    Der outer = new Der(sec1, 0);
    int end = outer.contentStart() + outer.length();
    for (int at = outer.contentStart(); at < end; ) {
      Der field = new Der(sec1, at);
      if ((sec1[at] & 0xff) == 0xa0) {
        byte[] curve = java.util.Arrays.copyOfRange(sec1, field.contentStart(), field.end());
        return sequence(
            new byte[] {0x02, 0x01, 0x00},
            sequence(EC_PUBLIC_KEY_OID, curve),
            tlv(0x04, sec1));
      }
      at = field.end();
    }
    throw new IllegalArgumentException(
        "the EC private key does not name its curve; convert it with: openssl pkcs8 -topk8"
            + " -nocrypt -in key.pem -out key8.pem");
  }

  /** One DER tag-length-value at {@code at}: where its content starts and how long it is. */
  private record Der(byte[] bytes, int at, int contentStart, int length) {
    Der(byte[] bytes, int at) {
      this(bytes, at, start(bytes, at), length(bytes, at));
    }

    int end() {
      return contentStart + length;
    }

    private static int start(byte[] b, int at) {
      int first = b[at + 1] & 0xff;
      return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int length(byte[] b, int at) {
      int first = b[at + 1] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int n = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        n = (n << 8) | (b[at + 2 + i] & 0xff);
      }
      return n;
    }
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
