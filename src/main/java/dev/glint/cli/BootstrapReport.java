package dev.glint.cli;

import dev.glint.config.GlintConfig;
import dev.glint.identity.BootstrapResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Locale;

/** Prints, once, where Glint listens and how to call it after a bootstrap. */
final class BootstrapReport {
  private BootstrapReport() {}

  static void print(BootstrapResult result, GlintConfig config, PrintStream out) {
    out.println("Glint endpoints (region " + config.region() + "):");
    out.println("  identity  " + config.identity().publicUrl() + "/v3");
    out.println("  compute   " + config.compute().publicUrl() + "/v2.1");
    out.println("  image     " + config.image().publicUrl());
    for (BootstrapResult.Account a : new BootstrapResult.Account[] {result.admin(), result.demo()}) {
      String what =
          a.created() ? "created" : a.passwordUpdated() ? "password updated" : "exists";
      out.println("User " + a.userName() + " (" + what + "), project " + a.projectName() + " " + a.projectId());
      a.generatedPassword()
          .ifPresent(
              p -> out.println("  password: " + p + "   (generated; shown this once, kept in the openrc)"));
      String state =
          a.openrcWritten()
              ? " (written)"
              : Files.exists(a.openrc())
                  ? ""
                  : " (missing, and the password is unknown here: set GLINT_"
                      + a.userName().toUpperCase(Locale.ROOT)
                      + "_PASSWORD to reset it)";
      out.println("  openrc:   " + a.openrc() + state);
    }
    out.println("Get a token and list the demo project's images:");
    out.println("  . " + result.demo().openrc());
    out.println(
        "  TOKEN=$(curl -si \"$OS_AUTH_URL/auth/tokens\" -H 'Content-Type: application/json' -d "
            + "\"{\\\"auth\\\": {\\\"identity\\\": {\\\"methods\\\": [\\\"password\\\"], "
            + "\\\"password\\\": {\\\"user\\\": {\\\"name\\\": \\\"$OS_USERNAME\\\", "
            + "\\\"domain\\\": {\\\"name\\\": \\\"Default\\\"}, \\\"password\\\": \\\"$OS_PASSWORD\\\"}}}, "
            + "\\\"scope\\\": {\\\"project\\\": {\\\"name\\\": \\\"$OS_PROJECT_NAME\\\", "
            + "\\\"domain\\\": {\\\"name\\\": \\\"Default\\\"}}}}}\" "
            + "| awk 'tolower($1) == \"x-subject-token:\" {print $2}' | tr -d '\\r')");
    out.println(
        "  curl -s -H \"X-Auth-Token: $TOKEN\" "
            + config.compute().publicUrl()
            + "/v2/"
            + result.demo().projectId()
            + "/images");
  }
}
