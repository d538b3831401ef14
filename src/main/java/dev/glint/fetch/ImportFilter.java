package dev.glint.fetch;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Glance's {@code [import_filtering_opts]}: which URIs a {@code web-download} may fetch, by
 * scheme, host and port, each with an allow list and a deny list (when both are set, only the
 * allow list counts, as in Glance). The host is then resolved and one address picked to connect
 * to (pinned, so DNS cannot rebind between the check and the fetch): loopback, link-local,
 * wildcard and multicast addresses are never picked, nor private ones unless {@code
 * allowPrivate}, except for a host named in {@code allowedHosts}. Immutable, thread-safe.
 *
 * @param allowedSchemes schemes allowed ({@code http}, {@code https} by default); empty: any
 * @param disallowedSchemes schemes refused (only when {@code allowedSchemes} is empty)
 * @param allowedHosts hosts (names or IP addresses) allowed; empty: any. A host listed here may
 *     resolve to any address, loopback included (how tests fetch from a local server)
 * @param disallowedHosts hosts refused, by name or address (only when {@code allowedHosts} is
 *     empty)
 * @param allowedPorts ports allowed in the URI (80 and 443 by default); empty: any. A URI without
 *     a port is not checked against the lists, as in Glance
 * @param disallowedPorts ports refused (only when {@code allowedPorts} is empty)
 * @param allowPrivate whether private addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10)
 *     may be fetched from; Glance Zed allows them, Glint does not by default
 * @param allowLoopback whether loopback addresses may be fetched from, whatever the host (a test
 *     rig serving images on the same machine; tempest's {@code http_image}); off by default
 */
public record ImportFilter(
    List<String> allowedSchemes,
    List<String> disallowedSchemes,
    List<String> allowedHosts,
    List<String> disallowedHosts,
    List<Integer> allowedPorts,
    List<Integer> disallowedPorts,
    boolean allowPrivate,
    boolean allowLoopback) {

  /** A filter that never fetches from loopback addresses (unless the host is allowed by name). */
  public ImportFilter(
      List<String> allowedSchemes,
      List<String> disallowedSchemes,
      List<String> allowedHosts,
      List<String> disallowedHosts,
      List<Integer> allowedPorts,
      List<Integer> disallowedPorts,
      boolean allowPrivate) {
    this(allowedSchemes, disallowedSchemes, allowedHosts, disallowedHosts, allowedPorts,
        disallowedPorts, allowPrivate, false);
  }

  /** Glance's defaults: http and https, ports 80 and 443, any public host. */
  public static final ImportFilter DEFAULT =
      new ImportFilter(
          List.of("http", "https"), List.of(), List.of(), List.of(), List.of(80, 443), List.of(),
          false);

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  public ImportFilter {
    allowedSchemes = allowedSchemes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    disallowedSchemes = disallowedSchemes.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    allowedHosts = allowedHosts.stream().map(ImportFilter::normalizeConfigured).toList();
    disallowedHosts = disallowedHosts.stream().map(ImportFilter::normalizeConfigured).toList();
    allowedPorts = List.copyOf(allowedPorts);
    disallowedPorts = List.copyOf(disallowedPorts);
  }

  /** A URI the filter refuses; the message says why (for logs, not for clients). */
  public static final class Refused extends IOException {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * Checks {@code uri} and returns the address to connect to, as Glance's {@code
   * get_validated_address}.
   *
   * @throws Refused when the URI must not be fetched
   */
  public InetAddress check(String uri) throws Refused {
    String host = checkLists(uri);
    List<String> denyHosts = allowedHosts.isEmpty() ? disallowedHosts : List.of();
    return pin(host, allowedHosts.contains(host), denyHosts);
  }

  /**
   * What can be checked without a DNS lookup, for the API call: the scheme, host and port lists,
   * and the address rules when the host is an IP address. A host name is resolved (and may still
   * be refused) at fetch time, as Glance's import task fails on an unknown host.
   */
  public void checkWithoutLookup(String uri) throws Refused {
    String host = checkLists(uri);
    if (host.matches("[0-9.]+") || host.contains(":")) {
      List<String> denyHosts = allowedHosts.isEmpty() ? disallowedHosts : List.of();
      pin(host, allowedHosts.contains(host), denyHosts);
    }
  }

  /** The list checks; returns the normalized host. */
  private String checkLists(String uri) throws Refused {
    if (uri == null || uri.isEmpty()) {
      throw new Refused("empty external URI");
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (java.net.URISyntaxException e) {
      throw new Refused("not a URI: " + uri);
    }
    String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
    List<String> denySchemes = allowedSchemes.isEmpty() ? disallowedSchemes : List.of();
    if (scheme == null
        || (!allowedSchemes.isEmpty() && !allowedSchemes.contains(scheme))
        || denySchemes.contains(scheme)
        || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new Refused("scheme not allowed for external URI: " + uri);
    }
    String host = normalizeHost(parsed.getHost());
    List<String> denyHosts = allowedHosts.isEmpty() ? disallowedHosts : List.of();
    if (host == null
        || (!allowedHosts.isEmpty() && !allowedHosts.contains(host))
        || denyHosts.contains(host)) {
      throw new Refused("host not allowed for external URI: " + uri);
    }
    int port = parsed.getPort();
    List<Integer> denyPorts = allowedPorts.isEmpty() ? disallowedPorts : List.of();
    if (port > 0
        && ((!allowedPorts.isEmpty() && !allowedPorts.contains(port))
            || denyPorts.contains(port))) {
      throw new Refused("port not allowed for external URI: " + uri);
    }
    return host;
  }

  /** The first resolved address of {@code host} that may be connected to. */
  private InetAddress pin(String host, boolean listed, List<String> denyHosts) throws Refused {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Refused("failed to resolve external host " + host);
    }
    for (InetAddress a : addresses) {
      if (listed) {
        return a;
      }
      if ((a.isLoopbackAddress() && !allowLoopback) || a.isLinkLocalAddress() || a.isAnyLocalAddress()
          || a.isMulticastAddress() || (!allowPrivate && isPrivate(a))
          || denyHosts.contains(a.getHostAddress())) {
        continue;
      }
      return a;
    }
    throw new Refused("no allowed addresses for external host: " + host);
  }

  static boolean isPrivate(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      return (b[0] & 0xfe) == 0xfc;
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return a.isSiteLocalAddress() || (first == 100 && second >= 64 && second < 128);
  }

  /**
   * Glance's {@code normalize_hostname}: an IP literal in its canonical form; a number or a dotted
   * number that is not a plain IPv4 address (decimal, shorthand {@code 127.1}) refused (null); a
   * name lower-cased.
   */
  static String normalizeHost(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      return literal(host.substring(1, host.length() - 1));
    }
    if (IPV4.matcher(host).matches()) {
      return literal(host);
    }
    if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      return null;
    }
    if (host.contains(":")) {
      return literal(host);
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static String literal(String ip) {
    if (!ip.contains(":") && !IPV4.matcher(ip).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String normalizeConfigured(String host) {
    String n = normalizeHost(host.strip());
    if (n == null) {
      throw new IllegalArgumentException("not a host name or IP address: '" + host + "'");
    }
    return n;
  }

  /** Splits a comma-separated list, dropping blanks. */
  public static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
