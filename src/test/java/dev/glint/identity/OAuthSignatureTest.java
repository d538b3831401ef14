package dev.glint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glint.identity.OAuthSignature.Param;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 5849's worked examples: the base string of section 3.4.1.1 and the signatures of 1.2. */
class OAuthSignatureTest {

  @Test
  void baseStringOfSection3411() {
    // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body c2&a3=2+q, decoded.
    List<Param> params = new ArrayList<>(OAuthSignature.header(
        "OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\","
            + " oauth_token=\"kkk9d7dh3k39sjv7\", oauth_signature_method=\"HMAC-SHA1\","
            + " oauth_timestamp=\"137131201\", oauth_nonce=\"7d8f3e4a\","
            + " oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\""));
    assertThat(params).extracting(Param::name).doesNotContain("realm");
    params.add(new Param("b5", "=%3D"));
    params.add(new Param("a3", "a"));
    params.add(new Param("c@", ""));
    params.add(new Param("a2", "r b"));
    params.add(new Param("c2", ""));
    params.add(new Param("a3", "2 q"));
    assertThat(OAuthSignature.baseString("POST", "http://example.com/request", params))
        .isEqualTo("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
            + "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48"
            + "djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1"
            + "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
  }

  @Test
  void temporaryCredentialsRequestOfSection12() {
    List<Param> params = OAuthSignature.header(
        "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\","
            + " oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"137131200\","
            + " oauth_nonce=\"wIjqoS\", oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\","
            + " oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\"");
    String base = OAuthSignature.baseString("POST", "https://photos.example.net/initiate", params);
    assertThat(OAuthSignature.sign("HMAC-SHA1", base, "kd94hf93k423kf44", ""))
        .isEqualTo("74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
    assertThat(OAuthSignature.verify("POST", List.of("https://photos.example.net/initiate"),
        params, "kd94hf93k423kf44", null)).isTrue();
    assertThat(OAuthSignature.verify("POST", List.of("https://photos.example.net/initiate"),
        params, "another secret", null)).isFalse();
  }

  @Test
  void tokenRequestOfSection12() {
    List<Param> params = OAuthSignature.header(
        "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\","
            + " oauth_token=\"hh5s93j4hdidpola\", oauth_signature_method=\"HMAC-SHA1\","
            + " oauth_timestamp=\"137131201\", oauth_nonce=\"walatlh\","
            + " oauth_verifier=\"hfdp7dh39dks9884\","
            + " oauth_signature=\"gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D\"");
    assertThat(OAuthSignature.verify("POST", List.of("https://photos.example.net/token"), params,
        "kd94hf93k423kf44", "hdhd0244k9j7ao03")).isTrue();
    // The token secret is part of the key: without it the signature does not verify.
    assertThat(OAuthSignature.verify("POST", List.of("https://photos.example.net/token"), params,
        "kd94hf93k423kf44", null)).isFalse();
  }

  @Test
  void protectedResourceRequestOfSection12WithItsQuery() {
    List<Param> params = new ArrayList<>(OAuthSignature.header(
        "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\","
            + " oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\","
            + " oauth_timestamp=\"137131202\", oauth_nonce=\"chapoH\","
            + " oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""));
    params.add(new Param("file", "vacation.jpg"));
    params.add(new Param("size", "original"));
    // Scheme and host are compared in lower case, the default port dropped (3.4.1.2).
    assertThat(OAuthSignature.verify("GET", List.of("HTTP://Photos.Example.NET:80/photos"), params,
        "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).isTrue();
    params.set(params.size() - 1, new Param("size", "thumbnail"));
    assertThat(OAuthSignature.verify("GET", List.of("http://photos.example.net/photos"), params,
        "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).isFalse();
  }

  @Test
  void encodingAndHeaders() {
    assertThat(OAuthSignature.encode("Ladies + Gentlemen")).isEqualTo("Ladies%20%2B%20Gentlemen");
    assertThat(OAuthSignature.encode("An encoded string!")).isEqualTo("An%20encoded%20string%21");
    assertThat(OAuthSignature.encode("Dogs, Cats & Mice")).isEqualTo("Dogs%2C%20Cats%20%26%20Mice");
    assertThat(OAuthSignature.encode("☃")).isEqualTo("%E2%98%83");
    assertThat(OAuthSignature.header("Bearer abc")).isNull();
    assertThat(OAuthSignature.header(null)).isNull();
    assertThatThrownBy(() -> OAuthSignature.header("OAuth oauth_nonce=\"%zz\""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OAuthSignature.supported("PLAINTEXT")).isFalse();
    // A URL built from a hostile Host header verifies nothing, and throws nothing.
    List<Param> params = OAuthSignature.header(
        "OAuth oauth_consumer_key=\"k\", oauth_signature_method=\"HMAC-SHA1\","
            + " oauth_signature=\"x\"");
    assertThat(OAuthSignature.verify("POST", List.of("http://bad host/v3", "http:///v3"), params,
        "s", null)).isFalse();
  }
}
