package dev.glint.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link GlintConfig} from defaults, then {@code glint.yaml}, then {@code GLINT_*}
 * environment variables, then explicit overrides (command-line flags), the later winning.
 *
 * <p>Keys are compared after lower-casing and turning {@code -} and {@code _} into {@code .}, so
 * {@code store: {url: ...}} in YAML, {@code GLINT_STORE_URL} and {@code store.url} are one key.
 */
public final class ConfigLoader {

  /** Every key Glint reads; anything else in the YAML file is a mistake worth failing on. */
  static final Set<String> KEYS =
      Set.of(
          "data.dir",
          "store.url",
          "store.readers",
          "store.busy.timeout.ms",
          "listen.host",
          "identity.port",
          "image.port",
          "compute.port",
          "identity.public.url",
          "image.public.url",
          "compute.public.url",
          // catalog endpoints other than public (keystone-manage bootstrap's --bootstrap-*-url)
          "identity.internal.url",
          "image.internal.url",
          "compute.internal.url",
          "identity.admin.url",
          "image.admin.url",
          "compute.admin.url",
          "region",
          "token.expiration",
          "retention.days",
          "api.max.limit",
          "api.max.page.bytes",
          "compute.metadata.items",
          "compat.deleted.in.changes.since",
          "list.index",
          "request.max.header.bytes",
          "admin.password",
          "demo.password",
          "image.size.cap.bytes",
          "blob.store",
          "s3.endpoint",
          "s3.region",
          "s3.bucket",
          "s3.prefix",
          "s3.access.key",
          "s3.secret.key",
          "s3.path.style",
          "listener.max.connections",
          "listener.max.requests",
          "listener.queue.wait.ms",
          "listener.header.timeout.ms",
          "listener.idle.timeout.ms",
          "listener.hot.reads",
          "blob.file.shared",
          "rate.limit.per.minute",
          "upload.max.concurrent",
          "upload.max.per.project",
          "upload.lease.seconds",
          "purge.daily",
          "purge.batch.size",
          // per-project image quotas (Glance's unified limits; docs/import.md)
          "quota.image.size.total",
          "quota.image.stage.total",
          "quota.image.count.total",
          "quota.image.count.uploading",
          "quota.projects",
          // interoperable import (Glance's enabled_import_methods, [import_filtering_opts])
          "import.enabled.methods",
          "import.filtering.allowed.schemes",
          "import.filtering.disallowed.schemes",
          "import.filtering.allowed.hosts",
          "import.filtering.disallowed.hosts",
          "import.filtering.allowed.ports",
          "import.filtering.disallowed.ports",
          "import.filtering.allow.private",
          "import.filtering.allow.loopback",
          "import.glance.download.extra.properties",
          // this node's image cache (docs/cache.md)
          "image.cache.enabled",
          "image.cache.dir",
          "image.cache.max.size",
          "image.cache.prefetcher.interval",
          // several named stores (Glance's enabled_backends, [glance_store] default_backend)
          "enabled.backends",
          "default.backend",
          // image locations (Glance's show_multiple_locations, show_image_direct_url)
          "show.multiple.locations",
          "show.image.direct.url",
          // operations (docs/operations.md)
          "log.format",
          "healthcheck.disable.by.file",
          "faults.enabled",
          // the web console and CORS (docs/console.md)
          "console.enabled",
          "cors.allowed.origins",
          // the built-in TLS listener (docs/security.md)
          "tls.cert",
          "tls.key",

          // identity: lockout (Keystone's [security_compliance]) and the failed-login throttle
          "security.compliance.lockout.failure.attempts",
          "security.compliance.lockout.duration",
          // Keystone's [security_compliance] password rules (docs/identity.md), off by default
          "security.compliance.password.regex",
          "security.compliance.password.regex.description",
          "security.compliance.minimum.password.age",
          "security.compliance.password.expires.days",
          "security.compliance.unique.last.password.count",
          "security.compliance.change.password.upon.first.use",
          "identity.auth.throttle.failures",
          "identity.auth.throttle.per.minute",
          // policy: an oslo.policy file overriding the default rules (docs/policy.md)
          "policy.file",
          // Fernet key repository (keystone-manage fernet_rotate's settings)
          "identity.keys.dir",
          "identity.keys.max.active",
          "identity.keys.poll.seconds",
          // external Keystone mode
          "identity.external.url",
          "identity.external.username",
          "identity.external.password",
          "identity.external.project",
          "identity.external.user.domain",
          "identity.external.project.domain",
          "identity.external.cache.seconds");

  private final Map<String, String> values = new HashMap<>();

  public static ConfigLoader defaults() {
    return new ConfigLoader();
  }

  /** Reads a YAML file if it exists; a missing file is not an error. */
  public ConfigLoader yaml(Path file) {
    if (!Files.isRegularFile(file)) {
      return this;
    }
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      if (root != null && root.isObject()) {
        flatten("", root, file);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return this;
  }

  public ConfigLoader env(Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          if (name.startsWith("GLINT_") && !name.equals("GLINT_CONFIG")) {
            String key = normalize(name.substring("GLINT_".length()));
            if (KEYS.contains(key)) {
              values.put(key, value);
            }
          }
        });
    return this;
  }

  public ConfigLoader set(String key, String value) {
    String k = normalize(key);
    if (!KEYS.contains(k)) {
      throw new IllegalArgumentException("unknown configuration key '" + key + "'");
    }
    if (value != null) {
      values.put(k, value);
    }
    return this;
  }

  public GlintConfig build() {
    Path dataDir = Path.of(get("data.dir", "glint-data")).toAbsolutePath().normalize();
    String host = get("listen.host", "127.0.0.1");
    String linkHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    Optional<GlintConfig.Tls> tls = tls();
    String scheme = tls.isPresent() ? "https" : "http";
    GlintConfig.Listener identity = listener("identity", 5000, scheme, linkHost);
    GlintConfig.Listener image = listener("image", 9292, scheme, linkHost);
    GlintConfig.Listener compute = listener("compute", 8774, scheme, linkHost);
    String storeUrl = get("store.url", "jdbc:sqlite:" + dataDir.resolve("glint.db"));
    if (!storeUrl.startsWith("jdbc:sqlite:") && !storeUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store.url must start with jdbc:sqlite: or jdbc:postgresql:, got '" + storeUrl + "'");
    }
    GlintConfig config =
        new GlintConfig(
        dataDir,
        storeUrl,
        host,
        identity,
        image,
        compute,
        get("region", "RegionOne"),
        Duration.ofSeconds(positive("token.expiration", 3600)),
        Duration.ofDays(positive("retention.days", 30)),
        (int) positive("api.max.limit", 1000),
        positive("api.max.page.bytes", GlintConfig.DEFAULT_PAGE_BYTES),
        metadataItems(),
        bool("compat.deleted.in.changes.since", true),
        bool("list.index", true),
        (int) positive("store.readers", 4),
        Duration.ofMillis(positive("store.busy.timeout.ms", 5000)),
        (int) positive("request.max.header.bytes", 8192),
        Optional.ofNullable(values.get("admin.password")).filter(s -> !s.isEmpty()),
        Optional.ofNullable(values.get("demo.password")).filter(s -> !s.isEmpty()),
        positive("image.size.cap.bytes", GlintConfig.DEFAULT_IMAGE_SIZE_CAP),
        s3(),
        new GlintConfig.Limits(
            (int) positive("listener.max.connections", GlintConfig.Limits.DEFAULT.maxConnections()),
            (int) positive("listener.max.requests", GlintConfig.Limits.DEFAULT.maxRequests()),
            Duration.ofMillis(
                positive("listener.queue.wait.ms", GlintConfig.Limits.DEFAULT.queueWait().toMillis())),
            Duration.ofMillis(
                positive(
                    "listener.header.timeout.ms",
                    GlintConfig.Limits.DEFAULT.headerTimeout().toMillis())),
            Duration.ofMillis(
                positive(
                    "listener.idle.timeout.ms", GlintConfig.Limits.DEFAULT.idleTimeout().toMillis())),
            bool("listener.hot.reads", true)),
        bool("blob.file.shared", false),
        (int) number("rate.limit.per.minute", 0),
        ops(),
        web(),
        (int) positive("upload.max.concurrent", 64),
        (int) positive("upload.max.per.project", 8),
        new GlintConfig.Maintenance(
            Duration.ofSeconds(positive("upload.lease.seconds", 60)),
            bool("purge.daily", false),
            (int) positive("purge.batch.size", 100)),
        identitySettings(dataDir),
        quotas(),
        imports(),
        tls,
        new GlintConfig.Cache(
            bool("image.cache.enabled", false),
            Path.of(get("image.cache.dir", dataDir.resolve("image-cache").toString()))
                .toAbsolutePath()
                .normalize(),
            positive("image.cache.max.size", 10L << 30),
            Duration.ofSeconds(nonNegative("image.cache.prefetcher.interval", 0))));
    if (!config.sqlite() && config.s3().isEmpty() && !config.blobFileShared()) {
      // Several nodes share a PostgreSQL catalog; each would keep image data in its own data
      // dir and answer for images whose data it does not have (issue 10).
      throw new IllegalArgumentException(
          "with a PostgreSQL store, image data must be reachable from every node: set"
              + " blob.store=s3, or blob.file.shared=true if " + dataDir.resolve("images")
              + " is on a file system all nodes share (one node alone may set it too)");
    }
    return config;
  }

  /** Import methods and the web-download filter: comma-separated lists, Glance's defaults. */
  private ImportSettings imports() {
    // enabled.backends: "fast:file, slow:file:/srv/slow, cloud:s3", as Glance's "id:type" list.
    List<ImportSettings.Backend> backends = new java.util.ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String entry : csv("enabled.backends", "")) {
      String[] parts = entry.split(":", 3);
      String id = parts[0].strip();
      String type = parts.length > 1 ? parts[1].strip() : "";
      if (id.isEmpty() || !id.matches("[A-Za-z0-9_.-]+") || id.startsWith("os_glance_")) {
        throw new IllegalArgumentException("enabled.backends: bad store id in '" + entry + "'");
      }
      if (!type.equals("file") && !type.equals("s3")) {
        throw new IllegalArgumentException(
            "enabled.backends: '" + entry + "' needs a type, file or s3 (id:file[:dir], id:s3)");
      }
      if (type.equals("s3") && s3().isEmpty()) {
        throw new IllegalArgumentException(
            "enabled.backends: store '" + id + "' is s3 but no s3.bucket is configured");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException("enabled.backends: store '" + id + "' is listed twice");
      }
      backends.add(
          new ImportSettings.Backend(id, type, parts.length > 2 ? parts[2].strip() : null));
    }
    if (backends.stream().filter(b -> b.type().equals("s3")).count() > 1) {
      throw new IllegalArgumentException("enabled.backends: at most one s3 store");
    }
    String defaultBackend = get("default.backend", backends.isEmpty() ? "" : backends.get(0).id());
    if (!backends.isEmpty() && !ids.contains(defaultBackend)) {
      throw new IllegalArgumentException(
          "default.backend '" + defaultBackend + "' is not one of enabled.backends " + ids);
    }
    List<String> methods = csv("import.enabled.methods", "glance-direct");
    for (String m : methods) {
      if (!ImportSettings.KNOWN.contains(m)) {
        throw new IllegalArgumentException(
            "import.enabled.methods: unknown method '" + m + "'; known: " + ImportSettings.KNOWN);
      }
    }
    return new ImportSettings(
        methods,
        csv("import.filtering.allowed.schemes", "http,https"),
        csv("import.filtering.disallowed.schemes", ""),
        csv("import.filtering.allowed.hosts", ""),
        csv("import.filtering.disallowed.hosts", ""),
        ports("import.filtering.allowed.ports", "80,443"),
        ports("import.filtering.disallowed.ports", ""),
        bool("import.filtering.allow.private", false),
        bool("import.filtering.allow.loopback", false),
        backends.stream().toList(),
        backends.isEmpty() ? null : defaultBackend,
        bool("show.multiple.locations", false),
        bool("show.image.direct.url", false),
        csv(
            "import.glance.download.extra.properties",
            String.join(",", ImportSettings.GLANCE_DOWNLOAD_PROPERTIES)));
  }

  private List<String> csv(String key, String fallback) {
    List<String> out = new java.util.ArrayList<>();
    for (String s : get(key, fallback).split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private List<Integer> ports(String key, String fallback) {
    List<Integer> out = new java.util.ArrayList<>();
    for (String s : csv(key, fallback)) {
      int port;
      try {
        port = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + ": '" + s + "' is not a port number", e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(key + ": " + port + " is not in 1..65535");
      }
      out.add(port);
    }
    return out;
  }

  /** The default quota limits ({@code quota.image.count.total}, ...) and per-project ones. */
  private QuotaSettings quotas() {
    Map<String, Long> defaults = new java.util.LinkedHashMap<>();
    for (String name : QuotaSettings.NAMES) {
      String key = "quota." + normalize(name);
      String v = values.get(key);
      if (v != null && !v.isBlank()) {
        defaults.put(name, QuotaSettings.parseLimit(key, v));
      }
    }
    return new QuotaSettings(
        defaults, QuotaSettings.parseProjects(get("quota.projects", "")));
  }

  /** The console switch and the extra CORS origins: a comma-separated list of origins. */
  private GlintConfig.Web web() {
    java.util.List<String> origins = new java.util.ArrayList<>();
    for (String raw : get("cors.allowed.origins", "").split(",")) {
      String origin = raw.trim();
      while (origin.endsWith("/")) {
        origin = origin.substring(0, origin.length() - 1);
      }
      if (origin.isEmpty()) {
        continue;
      }
      if (origin.equals("*")) {
        throw new IllegalArgumentException(
            "cors.allowed.origins does not take '*': list the origins (https://host[:port]) whose"
                + " pages may call Glint with a user's token");
      }
      if (!origin.matches("https?://[^/?#\\s]+")) {
        throw new IllegalArgumentException(
            "cors.allowed.origins takes origins such as https://console.example.com:8443 (scheme,"
                + " host, optional port; no path), got '" + raw.trim() + "'");
      }
      origins.add(origin.toLowerCase(Locale.ROOT));
    }
    return new GlintConfig.Web(bool("console.enabled", true), origins);
  }

  /** Log format, the draining file and fault injection (docs/operations.md). */
  private GlintConfig.Ops ops() {
    String format = get("log.format", "text").trim().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("log.format must be text or json, got '" + format + "'");
    }
    return new GlintConfig.Ops(
        format.equals("json"),
        nonBlank("healthcheck.disable.by.file").map(Path::of),
        bool("faults.enabled", false));
  }

  private IdentitySettings identitySettings(Path dataDir) {
    IdentitySettings d = IdentitySettings.defaults(dataDir);
    long maxActive = number("identity.keys.max.active", d.maxActiveKeys());
    if (maxActive < 2 || maxActive > 1000) {
      throw new IllegalArgumentException(
          "identity.keys.max.active must be 2..1000 (a staged and a primary key at least), got "
              + maxActive);
    }
    long poll = positive("identity.keys.poll.seconds", d.keysPoll().toSeconds());
    if (poll > 60) {
      throw new IllegalArgumentException(
          "identity.keys.poll.seconds must be 1..60 so nodes see a rotation within a minute, got "
              + poll);
    }
    return new IdentitySettings(
        (int) atLeastZero("security.compliance.lockout.failure.attempts", d.lockoutFailureAttempts()),
        Duration.ofSeconds(
            positive("security.compliance.lockout.duration", d.lockoutDuration().toSeconds())),
        (int) atLeastZero("identity.auth.throttle.failures", d.throttleFailures()),
        (int) positive("identity.auth.throttle.per.minute", d.throttlePerMinute()),
        nonBlank("policy.file").map(Path::of),
        nonBlank("identity.keys.dir")
            .map(p -> Path.of(p).toAbsolutePath().normalize())
            .orElse(d.keysDir()),
        (int) maxActive,
        Duration.ofSeconds(poll),
        external(),
        passwordRules());
  }

  private IdentitySettings.PasswordRules passwordRules() {
    Optional<String> regex = nonBlank("security.compliance.password.regex");
    regex.ifPresent(
        r -> {
          try {
            java.util.regex.Pattern.compile(r);
          } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(
                "security.compliance.password.regex is not a valid regular expression: "
                    + e.getDescription());
          }
        });
    return new IdentitySettings.PasswordRules(
        regex,
        nonBlank("security.compliance.password.regex.description"),
        (int) atLeastZero("security.compliance.minimum.password.age", 0),
        (int) atLeastZero("security.compliance.password.expires.days", 0),
        (int) atLeastZero("security.compliance.unique.last.password.count", 0),
        bool("security.compliance.change.password.upon.first.use", false));
  }

  /** External Keystone mode when {@code identity.external.url} is set; its credentials then. */
  private Optional<IdentitySettings.External> external() {
    Optional<String> url = nonBlank("identity.external.url");
    if (url.isEmpty()) {
      values.keySet().stream()
          .filter(k -> k.startsWith("identity.external."))
          .sorted()
          .findFirst()
          .ifPresent(
              k -> {
                throw new IllegalArgumentException(
                    k + " is set but identity.external.url is not; set it to the Keystone to"
                        + " trust, or remove the identity.external.* settings");
              });
      return Optional.empty();
    }
    String base = url.get();
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new IllegalArgumentException(
          "identity.external.url must be an http(s) URL such as http://keystone:5000, got '"
              + base + "'");
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (base.endsWith("/v3")) {
      base = base.substring(0, base.length() - 3);
    }
    for (String k :
        List.of("identity.external.username", "identity.external.password",
            "identity.external.project")) {
      if (nonBlank(k).isEmpty()) {
        throw new IllegalArgumentException(
            "identity.external.url needs " + k + ": the service credentials Glint validates"
                + " tokens with");
      }
    }
    return Optional.of(
        new IdentitySettings.External(
            base,
            nonBlank("identity.external.username").orElseThrow(),
            values.get("identity.external.password"),
            nonBlank("identity.external.project").orElseThrow(),
            nonBlank("identity.external.user.domain").orElse("Default"),
            nonBlank("identity.external.project.domain").orElse("Default"),
            Duration.ofSeconds(positive("identity.external.cache.seconds", 300))));
  }

  private long atLeastZero(String key, long fallback) {
    long n = number(key, fallback);
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be 0 (off) or more, got " + n);
    }
    return n;
  }

  /** The S3 store's settings when {@code blob.store} is {@code s3}, else empty (and no s3.* set). */
  private Optional<GlintConfig.S3> s3() {
    String kind = get("blob.store", "file").trim().toLowerCase(Locale.ROOT);
    if (kind.equals("file")) {
      values.keySet().stream()
          .filter(k -> k.startsWith("s3."))
          .sorted()
          .findFirst()
          .ifPresent(
              k -> {
                throw new IllegalArgumentException(
                    k + " is set but blob.store is file; set blob.store=s3 to keep image data in"
                        + " S3, or remove the s3.* settings");
              });
      return Optional.empty();
    }
    if (!kind.equals("s3")) {
      throw new IllegalArgumentException("blob.store must be file or s3, got '" + kind + "'");
    }
    String bucket = get("s3.bucket", "").trim();
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException(
          "blob.store=s3 needs s3.bucket: the name of an existing bucket for image data");
    }
    Optional<String> endpoint = nonBlank("s3.endpoint");
    endpoint.ifPresent(
        url -> {
          if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(
                "s3.endpoint must be an http(s) URL such as http://127.0.0.1:9000, got '" + url
                    + "'");
          }
        });
    Optional<String> accessKey = nonBlank("s3.access.key");
    Optional<String> secretKey = nonBlank("s3.secret.key");
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new IllegalArgumentException(
          "s3.access.key and s3.secret.key go together: set both, or neither to use the AWS SDK's"
              + " default credential chain");
    }
    String prefix = get("s3.prefix", "images").trim();
    while (prefix.startsWith("/")) {
      prefix = prefix.substring(1);
    }
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return Optional.of(
        new GlintConfig.S3(
            endpoint,
            nonBlank("s3.region").orElse("us-east-1"),
            bucket,
            prefix,
            accessKey,
            secretKey,
            bool("s3.path.style", true)));
  }

  private Optional<String> nonBlank(String key) {
    return Optional.ofNullable(values.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The TLS key and certificate: both or neither; the files must be there to read. */
  private Optional<GlintConfig.Tls> tls() {
    Optional<String> cert = nonBlank("tls.cert");
    Optional<String> key = nonBlank("tls.key");
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(
          "tls.cert and tls.key go together: set both (PEM certificate chain and its private"
              + " key) to serve HTTPS, or neither to serve plain HTTP");
    }
    GlintConfig.Tls tls =
        new GlintConfig.Tls(
            Path.of(cert.get()).toAbsolutePath().normalize(),
            Path.of(key.get()).toAbsolutePath().normalize());
    for (Path file : List.of(tls.cert(), tls.key())) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(
            (file.equals(tls.cert()) ? "tls.cert " : "tls.key ") + file + " cannot be read");
      }
    }
    return Optional.of(tls);
  }

  private GlintConfig.Listener listener(
      String name, int defaultPort, String scheme, String linkHost) {
    int port = (int) number(name + ".port", defaultPort);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ".port must be 0..65535, got " + port);
    }
    String url = get(name + ".public.url", scheme + "://" + linkHost + ":" + port);
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new IllegalArgumentException(
          name + ".public.url must be an http(s) URL, got '" + url + "'");
    }
    return new GlintConfig.Listener(
        port, url, catalogUrl(name + ".internal.url"), catalogUrl(name + ".admin.url"));
  }

  /** An optional http(s) base URL for a catalog endpoint, without a trailing slash. */
  private Optional<String> catalogUrl(String key) {
    return nonBlank(key)
        .map(
            url -> {
              String u = url;
              while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
              }
              if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException(
                    key + " must be an http(s) URL, got '" + url + "'");
              }
              return u;
            });
  }

  private String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  private long number(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'", e);
    }
  }

  private long nonNegative(String key, long fallback) {
    long n = number(key, fallback);
    if (n < 0) {
      throw new IllegalArgumentException(key + " must be 0 or more, got " + n);
    }
    return n;
  }

  private long positive(String key, long fallback) {
    long n = number(key, fallback);
    if (n <= 0) {
      throw new IllegalArgumentException(key + " must be greater than 0, got " + n);
    }
    return n;
  }

  /** Nova's {@code metadata_items} quota: a count, or -1 for unlimited. */
  private int metadataItems() {
    long n = number("compute.metadata.items", 128);
    if (n < -1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "compute.metadata.items must be -1 (unlimited) or 0.." + Integer.MAX_VALUE + ", got " + n);
    }
    return (int) n;
  }

  private boolean bool(String key, boolean fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
    };
  }

  private void flatten(String prefix, JsonNode node, Path file) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = normalize(prefix + e.getKey());
      if (e.getValue().isObject()) {
        flatten(key + ".", e.getValue(), file);
      } else if (KEYS.contains(key)) {
        values.put(key, e.getValue().asText());
      } else {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' in " + file + "; known keys: " + KEYS);
      }
    }
  }

  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }
}
