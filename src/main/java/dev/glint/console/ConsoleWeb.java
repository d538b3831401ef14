package dev.glint.console;

import dev.glint.config.GlintConfig;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Optional;

/**
 * The browser-facing hooks of each listener: CORS for the console's origin and the configured
 * ones, and on the image listener the console's files. Registered first, ahead of authentication.
 */
public final class ConsoleWeb {
  private final GlintConfig config;
  private final Cors cors;

  public ConsoleWeb(GlintConfig config) {
    this.config = config;
    this.cors =
        new Cors(
            Cors.allowed(
                config.web().console(),
                config.image().publicUrl(),
                config.web().corsOrigins()));
  }

  /** On the identity and compute listeners. */
  public void apiRoutes(RoutesConfig routes) {
    if (!cors.origins().isEmpty()) {
      routes.before(cors::handle);
    }
  }

  /** On the image listener: CORS, then the console itself when enabled. */
  public void imageRoutes(RoutesConfig routes) {
    apiRoutes(routes);
    if (config.web().console()) {
      routes.before(
          new ConsoleEndpoint(
                  List.of(
                      config.identity().publicUrl(),
                      config.compute().publicUrl(),
                      config.image().publicUrl()))
              ::handle);
    }
  }

  /** Where a person opens the console, for {@code serve} to print; empty when it is off. */
  public static Optional<String> url(GlintConfig config) {
    return config.web().console()
        ? Optional.of(config.image().publicUrl() + ConsoleEndpoint.PATH)
        : Optional.empty();
  }
}
