package dev.glint.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which rule guards an image-service or compute request, read from {@link PolicyDefaults}'
 * operations. Paths are compared from their {@code /images} segment on, so every API root
 * ({@code /v2}, {@code /v2.1}, {@code /v2.15}, with or without a project id) maps alike.
 * Immutable.
 */
public final class RouteRules {
  private record Route(String method, Pattern path, String rule) {}

  private final List<Route> routes;

  private RouteRules(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static RouteRules of(PolicyDefaults.Api api) {
    List<Route> routes = new ArrayList<>();
    for (PolicyDefaults.Default d : PolicyDefaults.RULES) {
      if (d.api() != api) {
        continue;
      }
      for (String op : d.operations()) {
        int space = op.indexOf(' ');
        String template = fromImages(op.substring(space + 1));
        String regex =
            Pattern.quote(template).replaceAll("\\{[a-z_]+\\}", "\\\\E[^/]+\\\\Q");
        routes.add(new Route(op.substring(0, space), Pattern.compile(regex), d.name()));
      }
    }
    // Literal segments (/images/detail) before templates (/images/{image_id}).
    routes.sort((a, b) -> Boolean.compare(a.path().pattern().contains("[^/]+"),
        b.path().pattern().contains("[^/]+")));
    return new RouteRules(routes);
  }

  /** The rule for a request, or empty when the path is not an images call (version documents). */
  public Optional<String> ruleFor(String method, String path) {
    String tail = fromImages(path);
    if (tail == null) {
      return Optional.empty();
    }
    for (Route r : routes) {
      if (r.method().equals(method) && r.path().matcher(tail).matches()) {
        return Optional.of(r.rule());
      }
    }
    return Optional.empty();
  }

  private static String fromImages(String path) {
    int at = path.indexOf("/images");
    while (at >= 0) {
      int end = at + "/images".length();
      if (end == path.length() || path.charAt(end) == '/') {
        return path.substring(at);
      }
      at = path.indexOf("/images", end);
    }
    return null;
  }
}
