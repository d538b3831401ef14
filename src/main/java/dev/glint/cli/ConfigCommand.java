package dev.glint.cli;

import dev.glint.config.GlintConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code glint config check}: validate the configuration and print what Glint would run with. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Inspect the configuration.",
    subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate glint.yaml, GLINT_* variables and flags together and print the effective"
              + " configuration (defaults included), secrets masked. Exit status 2 when invalid.")
  public static final class Check implements Callable<Integer> {
    @Mixin ConfigOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      GlintConfig config = options.load();
      PrintWriter out = spec.commandLine().getOut();
      out.println("# effective configuration (secrets masked)");
      effective(config).forEach((k, v) -> out.println(k + ": " + v));
      out.flush();
      return 0;
    }
  }

  /** Every setting by its key, as Glint will use it. Secrets show as {@code ***} when set. */
  static Map<String, String> effective(GlintConfig c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("data.dir", c.dataDir().toString());
    m.put("store.url", Failures.maskUrl(c.storeUrl()));
    m.put("store.readers", Integer.toString(c.readers()));
    m.put("store.busy.timeout.ms", Long.toString(c.busyTimeout().toMillis()));
    m.put("listen.host", c.listenHost());
    m.put("identity.port", Integer.toString(c.identity().port()));
    m.put("image.port", Integer.toString(c.image().port()));
    m.put("compute.port", Integer.toString(c.compute().port()));
    m.put("identity.public.url", c.identity().publicUrl());
    m.put("image.public.url", c.image().publicUrl());
    m.put("compute.public.url", c.compute().publicUrl());
    m.put("region", c.region());
    m.put("token.expiration", Long.toString(c.tokenTtl().toSeconds()));
    m.put("retention.days", Long.toString(c.retention().toDays()));
    m.put("api.max.limit", Integer.toString(c.maxLimit()));
    m.put("api.max.page.bytes", Long.toString(c.pageBytes()));
    m.put("compute.metadata.items", Integer.toString(c.metadataItems()));
    m.put("compat.deleted.in.changes.since", Boolean.toString(c.deletedInChangesSince()));
    m.put("request.max.header.bytes", Integer.toString(c.maxHeaderBytes()));
    m.put("admin.password", c.adminPassword().map(p -> "***").orElse("(generated at bootstrap)"));
    m.put("demo.password", c.demoPassword().map(p -> "***").orElse("(generated at bootstrap)"));
    m.put("image.size.cap.bytes", Long.toString(c.imageSizeCap()));
    m.put("blob.store", c.s3().isPresent() ? "s3" : "file");
    c.s3().ifPresent(s3 -> {
      m.put("s3.endpoint", s3.endpoint().orElse("(AWS)"));
      m.put("s3.region", s3.region());
      m.put("s3.bucket", s3.bucket());
      m.put("s3.prefix", s3.prefix());
      m.put("s3.access.key", s3.accessKey().orElse("(default credential chain)"));
      m.put("s3.secret.key", s3.secretKey().map(k -> "***").orElse("(default credential chain)"));
      m.put("s3.path.style", Boolean.toString(s3.pathStyle()));
    });
    m.put("log.format", c.ops().jsonLogs() ? "json" : "text");
    m.put("healthcheck.disable.by.file",
        c.ops().disableByFile().map(Object::toString).orElse("(not set)"));
    m.put("faults.enabled", Boolean.toString(c.ops().faultsEnabled()));
    return m;
  }
}
