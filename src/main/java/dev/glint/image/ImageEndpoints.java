package dev.glint.image;

import dev.glint.App;
import io.javalin.config.RoutesConfig;

/** The image service listener's routes (Glance v2). */
public final class ImageEndpoints {
  private final App app;

  public ImageEndpoints(App app) {
    this.app = app;
  }

  public void routes(RoutesConfig routes) {
    // filled in by the image service work
  }
}
