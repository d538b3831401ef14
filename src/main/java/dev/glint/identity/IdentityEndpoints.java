package dev.glint.identity;

import dev.glint.App;
import io.javalin.config.RoutesConfig;

/** The identity listener's routes (Keystone v3). */
public final class IdentityEndpoints {
  private final App app;

  public IdentityEndpoints(App app) {
    this.app = app;
  }

  public void routes(RoutesConfig routes) {
    // filled in by the identity work
  }
}
