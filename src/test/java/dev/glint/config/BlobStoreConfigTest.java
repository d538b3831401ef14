package dev.glint.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code blob.store} and the {@code s3.*} keys: defaults, environment names, validation. */
class BlobStoreConfigTest {

  static GlintConfig build(Map<String, String> values) {
    ConfigLoader loader = ConfigLoader.defaults();
    values.forEach(loader::set);
    return loader.build();
  }

  @Test
  void theFilesystemStoreIsTheDefault() {
    assertThat(build(Map.of()).s3()).isEmpty();
    assertThat(build(Map.of("blob.store", "file")).s3()).isEmpty();
  }

  @Test
  void s3WithOnlyABucketTakesTheDefaults() {
    GlintConfig.S3 s3 = build(Map.of("blob.store", "s3", "s3.bucket", "images")).s3().orElseThrow();
    assertThat(s3)
        .isEqualTo(
            new GlintConfig.S3(
                Optional.empty(),
                "us-east-1",
                "images",
                "images",
                Optional.empty(),
                Optional.empty(),
                true));
  }

  @Test
  void environmentVariablesSetEveryKey() {
    GlintConfig.S3 s3 =
        ConfigLoader.defaults()
            .env(
                Map.of(
                    "GLINT_BLOB_STORE", "s3",
                    "GLINT_S3_ENDPOINT", "http://127.0.0.1:9000",
                    "GLINT_S3_REGION", "eu-west-1",
                    "GLINT_S3_BUCKET", "glance",
                    "GLINT_S3_PREFIX", "/region-one/images/",
                    "GLINT_S3_ACCESS_KEY", "AKIA1",
                    "GLINT_S3_SECRET_KEY", "shh",
                    "GLINT_S3_PATH_STYLE", "false"))
            .build()
            .s3()
            .orElseThrow();
    assertThat(s3)
        .isEqualTo(
            new GlintConfig.S3(
                Optional.of("http://127.0.0.1:9000"),
                "eu-west-1",
                "glance",
                "region-one/images",
                Optional.of("AKIA1"),
                Optional.of("shh"),
                false));
    assertThat(s3.toString()).contains("AKIA1").doesNotContain("shh");
  }

  /** The example in docs/s3.md. */
  @Test
  void theDocumentedYamlLoads(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("glint.yaml");
    String doc = Files.readString(Path.of("docs/s3.md"));
    int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
    Files.writeString(yaml, doc.substring(start, doc.indexOf("```", start)));
    GlintConfig.S3 s3 = ConfigLoader.defaults().yaml(yaml).build().s3().orElseThrow();
    assertThat(s3)
        .isEqualTo(
            new GlintConfig.S3(
                Optional.of("http://127.0.0.1:9000"),
                "us-east-1",
                "glint-images",
                "images",
                Optional.of("glint"),
                Optional.of("change-me"),
                true));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "blob.store=swift | blob.store must be file or s3, got 'swift'",
        "blob.store=s3 | blob.store=s3 needs s3.bucket",
        "blob.store=s3,s3.bucket=b,s3.endpoint=127.0.0.1:9000 | s3.endpoint must be an http(s) URL",
        "blob.store=s3,s3.bucket=b,s3.access.key=a | s3.access.key and s3.secret.key go together",
        "blob.store=s3,s3.bucket=b,s3.path.style=maybe | s3.path.style must be true or false",
        "s3.bucket=b | s3.bucket is set but blob.store is file",
      })
  void mistakesFailAtStartNamingTheKey(String settings, String message) {
    ConfigLoader loader = ConfigLoader.defaults();
    for (String setting : settings.split(",")) {
      String[] kv = setting.split("=", 2);
      loader.set(kv[0].strip(), kv[1].strip());
    }
    assertThatThrownBy(loader::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
