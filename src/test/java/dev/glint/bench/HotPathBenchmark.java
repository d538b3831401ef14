package dev.glint.bench;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import dev.glint.identity.Caller;
import dev.glint.identity.FernetKeys;
import dev.glint.identity.TokenClaims;
import dev.glint.identity.TokenService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Micro-benchmarks of what every compute list request does besides SQL: validate the token and
 * render the page. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {
  TokenService tokens;
  String token;
  List<Image> page;

  @Setup
  public void setUp() throws IOException {
    Path keys = Files.createTempDirectory("glint-jmh-keys");
    tokens = new TokenService(FernetKeys.loadOrCreate(keys), Clock.systemUTC(), Duration.ofHours(1));
    token =
        tokens
            .issue(TokenClaims.user(
                    "u1", "demo", "default", List.of("member", "reader"), List.of("password"))
                        .withProject("0123456789abcdef0123456789abcdef", "demo", "default"))
            .id();
    page = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 25; i++) {
      page.add(
          new Image(UUID.randomUUID().toString(), "0123456789abcdef0123456789abcdef",
              "ubuntu-24.04-server-" + i, ImageStatus.ACTIVE, Visibility.PUBLIC, false, false, 10,
              512, 1L << 30, null, "qcow2", "bare", "d41d8cd98f00b204e9800998ecf8427e", "sha512",
              "ab", now, now, null, Map.of("os_distro", "ubuntu", "instance_uuid",
                  UUID.randomUUID().toString()), Set.of()));
    }
  }

  @Benchmark
  public Optional<Caller> validateToken() {
    return tokens.validate(token);
  }

  @Benchmark
  public byte[] renderListPage() {
    return dev.glint.compute.ViewBenchmarks.index(page, false);
  }

  @Benchmark
  public byte[] renderDetailPage() {
    return dev.glint.compute.ViewBenchmarks.index(page, true);
  }
}
