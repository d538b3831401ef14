package dev.glint.cli;

import dev.glint.App;
import dev.glint.config.GlintConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code glint bootstrap}: create the default domain, roles, projects and users, then exit. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description =
        "Create the default domain, the admin/member/reader roles, projects admin and demo, users"
            + " admin and demo and their openrc files (only what is missing). Passwords come from"
            + " GLINT_ADMIN_PASSWORD / GLINT_DEMO_PASSWORD or glint.yaml, else are generated.")
public final class BootstrapCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    GlintConfig config = options.load();
    try (App app = App.open(config)) {
      BootstrapReport.print(app.identity().bootstrap(), config, System.out);
    }
    return 0;
  }
}
