package io.spoils.gateway.security;

import java.util.List;
import java.util.Locale;

/**
 * Browser-facing checks, pure and thread-safe: the Host allow-list (against DNS rebinding, where
 * a page's own name is made to resolve to this server so that it calls it as its own origin) and
 * the cross-origin rule (a request carrying an {@code Origin} that is neither this server's own
 * origin nor one CORS lets in is refused, even a "simple" multipart form POST that a browser
 * sends without a preflight).
 */
public final class BrowserGuard {

  private final List<String> hosts;
  private final List<String> corsOrigins;

  /**
   * @param hosts lower-case host names or {@code *.domain}; empty: any Host
   * @param corsOrigins lower-case origins CORS allows, or {@code *}
   */
  public BrowserGuard(List<String> hosts, List<String> corsOrigins) {
    this.hosts = List.copyOf(hosts);
    this.corsOrigins = List.copyOf(corsOrigins);
  }

  /** Whether any Host is answered. */
  public boolean anyHost() {
    return hosts.isEmpty();
  }

  /** Whether {@code host} (without port; null when the request named none) is answered. */
  public boolean hostAllowed(String host) {
    if (hosts.isEmpty()) {
      return true;
    }
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = unbracket(host.toLowerCase(Locale.ROOT));
    for (String allowed : hosts) {
      if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1))
          : unbracket(allowed).equals(h)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a request with {@code origin} may proceed: no origin, this server's own, one CORS
   * allows, or (behind a proxy that rewrites Host) one whose host is in the Host allow-list.
   *
   * @param origin the {@code Origin} header; null (not a browser's cross-origin-capable request)
   *     always may
   * @param ownOrigin this server's origin as the request addressed it ({@code scheme://authority})
   */
  public boolean originAllowed(String origin, String ownOrigin) {
    if (origin == null) {
      return true;
    }
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.equals(ownOrigin.toLowerCase(Locale.ROOT)) || corsOrigins.contains("*")
        || corsOrigins.contains(o) || !hosts.isEmpty() && hostAllowed(host(o));
  }

  /** The host of an origin ({@code scheme://host[:port]}), or null. */
  private static String host(String origin) {
    try {
      return new java.net.URI(origin).getHost();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
  }
}
