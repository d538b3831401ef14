package dev.glint.cli;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic images in bulk for benchmarks: names, statuses, visibility, properties and deleted
 * ones in proportions a busy cloud shows. Image {@code n} of a run is the same for the same seed,
 * so batches can be generated independently; creation times rise with {@code n}.
 */
final class GeneratedImages {
  private static final String[] DISTROS = {
    "ubuntu", "debian", "fedora", "rocky", "almalinux", "centos", "opensuse", "cirros", "windows",
    "freebsd", "alpine", "arch"
  };
  private static final String[] ROLES = {
    "web", "db", "cache", "api", "worker", "ci", "build", "bastion", "gpu", "k8s-node", "proxy"
  };

  private final List<String> projects;
  private final long seed;
  private final Instant start;
  private final long spanMicros;
  private final long total;

  /**
   * @param projects owner project ids, used round-robin with some skew
   * @param end creation time of the newest image; the oldest is two years before
   */
  GeneratedImages(List<String> projects, long seed, Instant end, long total) {
    this.projects = List.copyOf(projects);
    this.seed = seed;
    this.start = end.minus(730, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    this.spanMicros = ChronoUnit.MICROS.between(start, end);
    this.total = total;
  }

  List<Image> batch(long from, int count) {
    List<Image> out = new ArrayList<>(count);
    for (long n = from; n < from + count && n < total; n++) {
      out.add(image(n));
    }
    return out;
  }

  Image image(long n) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
    String owner = projects.get((int) ((n * 7919L + r.nextInt(3)) % projects.size()));
    // Image n at n/total of the two years (in double: spanMicros * n overflows a long past
    // n ≈ 146 000, which once wrapped a million images' times into seven months, out of order).
    long at = (long) (spanMicros * ((double) n / Math.max(1, total)));
    Instant created = start.plus(at + r.nextInt(1000), ChronoUnit.MICROS);
    int v = r.nextInt(100);
    Visibility visibility =
        v < 2 ? Visibility.PUBLIC : v < 10 ? Visibility.SHARED : v < 13 ? Visibility.COMMUNITY
            : Visibility.PRIVATE;
    int s = r.nextInt(100);
    // The 1% drawn as uploads in progress are queued: a generated catalog has no node streaming
    // them, so a saving image without a lease would be requeued at the first start anyway (and
    // the catalog measured would differ from the one generated). Nova shows both as SAVING.
    ImageStatus status =
        s < 92 ? ImageStatus.ACTIVE : s < 95 ? ImageStatus.QUEUED
            : s < 96 ? ImageStatus.KILLED : s < 97 ? ImageStatus.DEACTIVATED : ImageStatus.DELETED;
    String distro = DISTROS[r.nextInt(DISTROS.length)];
    Map<String, String> props = new LinkedHashMap<>();
    props.put("os_distro", distro);
    props.put("os_version", Integer.toString(8 + r.nextInt(20)));
    props.put("architecture", r.nextInt(10) == 0 ? "aarch64" : "x86_64");
    int kind = r.nextInt(10);
    String name;
    if (kind < 2) {
      String type = kind == 0 ? "snapshot" : "backup";
      props.put("image_type", type);
      props.put("instance_uuid", uuid(r).toString());
      name = type + "-" + ROLES[r.nextInt(ROLES.length)] + "-" + n;
    } else {
      name = distro + "-" + props.get("os_version") + "-" + ROLES[r.nextInt(ROLES.length)]
          + "-v" + r.nextInt(50);
    }
    boolean hasData = status == ImageStatus.ACTIVE || status == ImageStatus.DEACTIVATED
        || status == ImageStatus.DELETED;
    Long size = hasData ? 20_000_000L + r.nextLong(20_000_000_000L) : null;
    Instant updated = created.plus(r.nextInt(86_400_000), ChronoUnit.MILLIS);
    Instant deleted = null;
    if (status == ImageStatus.DELETED) {
      deleted = updated.plus(r.nextInt(30), ChronoUnit.DAYS);
      updated = deleted;
    }
    byte[] md5 = new byte[16];
    byte[] sha = new byte[64];
    for (int i = 0; i < md5.length; i++) {
      md5[i] = (byte) r.nextInt();
    }
    for (int i = 0; i < sha.length; i++) {
      sha[i] = (byte) r.nextInt();
    }
    return new Image(
        uuid(r).toString(), owner, name, status, visibility, false, false, 10, 512, size, null,
        "qcow2", "bare", hasData ? HexFormat.of().formatHex(md5) : null,
        hasData ? "sha512" : null, hasData ? HexFormat.of().formatHex(sha) : null,
        created, updated, deleted, props, r.nextInt(20) == 0 ? Set.of("golden") : Set.of());
  }

  private static UUID uuid(SplittableRandom r) {
    long hi = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(hi, lo);
  }
}
