package dev.glint.identity;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link IdentityService#bootstrap()} found or did, for the CLI to report.
 *
 * @param created true when this run created the bootstrap users (a first start)
 * @param admin the admin user's credentials
 * @param demo the demo user's credentials
 */
public record BootstrapResult(boolean created, Account admin, Account demo) {

  /**
   * One bootstrap user.
   *
   * @param created true when this run created the user
   * @param generatedPassword the password this run generated, to be shown once; empty when it
   *     came from configuration or the user already existed
   * @param passwordUpdated true when the stored password was changed to the configured one
   * @param openrc the user's openrc file in the data directory
   * @param openrcWritten true when this run (re)wrote it
   */
  public record Account(
      String userId,
      String userName,
      String projectId,
      String projectName,
      boolean created,
      Optional<String> generatedPassword,
      boolean passwordUpdated,
      Path openrc,
      boolean openrcWritten) {}
}
