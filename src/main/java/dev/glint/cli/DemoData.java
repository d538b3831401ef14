package dev.glint.cli;

import dev.glint.catalog.Image;
import dev.glint.catalog.ImageStatus;
import dev.glint.catalog.Visibility;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A few dozen realistic images across the admin and demo projects, so that every filter of the
 * compute list shows something: public and private, several statuses, snapshots and backups of
 * servers, and a few recently deleted. Deterministic for a given seed, except for times, which
 * are placed relative to {@code now}.
 */
public final class DemoData {
  private static final String[][] PUBLIC = {
    {"cirros-0.6.2-x86_64-disk", "cirros", "0.6.2", "qcow2", "21430272"},
    {"ubuntu-24.04-server-cloudimg-amd64", "ubuntu", "24.04", "qcow2", "597852160"},
    {"ubuntu-22.04-server-cloudimg-amd64", "ubuntu", "22.04", "qcow2", "661585920"},
    {"debian-12-genericcloud-amd64", "debian", "12", "qcow2", "343080448"},
    {"debian-13-genericcloud-amd64", "debian", "13", "qcow2", "352190464"},
    {"fedora-cloud-base-41", "fedora", "41", "qcow2", "520093696"},
    {"rocky-9-genericcloud", "rocky", "9.5", "qcow2", "609222656"},
    {"almalinux-9-genericcloud", "almalinux", "9.5", "qcow2", "566231040"},
    {"centos-stream-9", "centos", "9", "qcow2", "1122762752"},
    {"opensuse-leap-15.6", "opensuse", "15.6", "qcow2", "682622976"},
    {"freebsd-14.1-zfs", "freebsd", "14.1", "raw", "5368709120"},
    {"windows-server-2022-eval", "windows", "2022", "vhdx", "11811160064"},
    {"arch-linux-cloudimg", "arch", "rolling", "qcow2", "515899392"},
    {"alpine-3.20-virt", "alpine", "3.20", "qcow2", "131072000"},
  };

  private DemoData() {}

  /**
   * @param adminProject the admin project's id
   * @param demoProject the demo project's id
   */
  public static List<Image> images(String adminProject, String demoProject, Instant now, long seed) {
    Random random = new Random(seed);
    List<Image> out = new ArrayList<>();
    Instant start = now.minus(60, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    int step = 0;
    for (String[] p : PUBLIC) {
      Map<String, String> props = new LinkedHashMap<>();
      props.put("os_distro", p[1]);
      props.put("os_version", p[2]);
      props.put("architecture", "x86_64");
      props.put("hw_disk_bus", "virtio");
      if (p[1].equals("windows")) {
        props.put("os_type", "windows");
        props.put("auto_disk_config", "False");
      } else {
        props.put("auto_disk_config", "True");
      }
      Instant created = start.plus(step++ * 31L, ChronoUnit.HOURS);
      out.add(
          image(adminProject, p[0], ImageStatus.ACTIVE, Visibility.PUBLIC, p[3],
              Long.parseLong(p[4]), created, props, Set.of("official"), random));
    }
    String[] projects = {adminProject, demoProject};
    String[] roles = {"web", "db", "cache", "build", "ci-runner", "bastion"};
    for (int i = 0; i < 12; i++) {
      String owner = projects[i % 2];
      String server = uuid(random).toString();
      String role = roles[i % roles.length];
      boolean backup = i % 3 == 2;
      Map<String, String> props = new LinkedHashMap<>();
      props.put("image_type", backup ? "backup" : "snapshot");
      props.put("instance_uuid", server);
      props.put("base_image_ref", out.get(i % PUBLIC.length).id());
      props.put("os_distro", PUBLIC[i % PUBLIC.length][1]);
      props.put("user_id", HexFormat.of().formatHex(bytes(random, 16)));
      if (backup) {
        props.put("backup_type", i % 2 == 0 ? "daily" : "weekly");
      }
      String name = (backup ? "backup-" : "snap-") + role + "-" + String.format("%02d", i + 1);
      Instant created = start.plus(20 + i * 2L, ChronoUnit.DAYS);
      ImageStatus status =
          switch (i) {
            // Even i belong to the admin project, odd i to demo: each gets every status.
            case 3, 6 -> ImageStatus.SAVING;
            case 4, 9 -> ImageStatus.QUEUED;
            case 7, 10 -> ImageStatus.KILLED;
            default -> ImageStatus.ACTIVE;
          };
      out.add(
          image(owner, name, status, Visibility.PRIVATE, "qcow2",
              status == ImageStatus.ACTIVE ? 1_073_741_824L + i * 7_340_032L : null, created,
              props, Set.of(), random));
    }
    String[][] privates = {
      {"golden-base", "shared"}, {"golden-base", "private"}, {"app-server-v1.4.2", "private"},
      {"app-server-v1.5.0", "private"}, {"gpu-worker-cuda12", "community"},
      {"legacy-centos7", "private"}, {"hardened-ubuntu-24.04", "shared"},
      {"k8s-node-1.31", "private"},
    };
    for (int i = 0; i < privates.length; i++) {
      String owner = projects[(i + 1) % 2];
      Visibility visibility = Visibility.fromWire(privates[i][1]).orElseThrow();
      ImageStatus status = i == 2 || i == 5 ? ImageStatus.DEACTIVATED : ImageStatus.ACTIVE;
      Map<String, String> props = new LinkedHashMap<>();
      props.put("os_distro", i % 2 == 0 ? "ubuntu" : "rocky");
      props.put("owner_specified.openstack.object", "images/" + privates[i][0]);
      Instant created = start.plus(45, ChronoUnit.DAYS).plus(i * 5L, ChronoUnit.HOURS);
      out.add(
          image(owner, privates[i][0], status, visibility, "qcow2", 2_147_483_648L + i, created,
              props, Set.of("team-" + (i % 3)), random));
    }
    // Recently deleted images: reported as DELETED by changes-since within the retention window.
    for (int i = 0; i < 4; i++) {
      String owner = projects[i % 2];
      Instant created = start.plus(30 + i, ChronoUnit.DAYS);
      Instant deleted = now.minus(3 + i * 2L, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
      Image base =
          image(owner, "retired-build-" + (i + 1), ImageStatus.DELETED, Visibility.PRIVATE,
              "qcow2", 734_003_200L, created, Map.of("image_type", "snapshot",
                  "instance_uuid", uuid(random).toString()), Set.of(), random);
      out.add(
          new Image(base.id(), base.owner(), base.name(), base.status(), base.visibility(),
              false, false, base.minDisk(), base.minRam(), base.size(), base.virtualSize(),
              base.diskFormat(), base.containerFormat(), base.checksum(), base.osHashAlgo(),
              base.osHashValue(), base.createdAt(), deleted, deleted, base.properties(),
              base.tags()));
    }
    return out;
  }

  private static Image image(
      String owner,
      String name,
      ImageStatus status,
      Visibility visibility,
      String diskFormat,
      Long size,
      Instant created,
      Map<String, String> props,
      Set<String> tags,
      Random random) {
    boolean hasData = size != null && status != ImageStatus.QUEUED && status != ImageStatus.SAVING;
    byte[] seed = bytes(random, 32);
    Instant updated = created.plus(random.nextInt(3600) + 60, ChronoUnit.SECONDS);
    return new Image(
        uuid(random).toString(),
        owner,
        name,
        status,
        visibility,
        name.startsWith("cirros"),
        false,
        diskFormat.equals("vhdx") ? 40 : (name.startsWith("cirros") ? 1 : 10),
        name.startsWith("windows") ? 4096 : (name.startsWith("cirros") ? 64 : 512),
        hasData ? size : null,
        null,
        diskFormat,
        "bare",
        hasData ? hex("MD5", seed) : null,
        hasData ? "sha512" : null,
        hasData ? hex("SHA-512", seed) : null,
        created,
        updated,
        null,
        props,
        tags);
  }

  private static UUID uuid(Random random) {
    byte[] b = bytes(random, 16);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
      lo = (lo << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(hi, lo);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
