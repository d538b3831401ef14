package dev.glint.identity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application credential's access rule (Keystone's {@code access_rules}): a token from such a
 * credential may call only the requests some rule allows, on the services that enforce them.
 *
 * @param service the service type ({@code image}, {@code compute}, ...)
 * @param method the HTTP method
 * @param path a path template: {@code *} or {@code {tag}} is one segment, {@code **} any rest
 */
public record AccessRule(String id, String service, String method, String path) {
  private static final Pattern TOKENS =
      Pattern.compile("(?<tag>\\{[^}]*\\})|(?<wild>\\*(?=$|[^*]))|(?<rec>\\*\\*)|(?<lit>[^{}*])");

  /** keystonemiddleware's {@code _path_matches}, the same translation to a regex. */
  public boolean allows(String service, String method, String path) {
    if (!this.service.equals(service) || !this.method.equals(method)) {
      return false;
    }
    StringBuilder regex = new StringBuilder("^");
    Matcher m = TOKENS.matcher(this.path);
    while (m.find()) {
      if (m.group("tag") != null || m.group("wild") != null) {
        regex.append("[^/]+");
      } else if (m.group("rec") != null) {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(m.group("lit")));
      }
    }
    return Pattern.compile(regex.append("$").toString()).matcher(path).find();
  }
}
