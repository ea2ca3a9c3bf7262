package io.spoils.gateway.server;

import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.security.BrowserGuard;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Map;

/**
 * The Host allow-list filter ({@link BrowserGuard#hostAllowed}): with {@code allowedHosts} set, a
 * request whose Host (HTTP/1.1) or {@code :authority} (HTTP/2) names another host is refused
 * with 421 problem JSON (gRPC: PERMISSION_DENIED), so that a DNS-rebound page cannot reach the
 * API. {@code /health/*} is exempt: orchestrators probe by address and the answer holds no data.
 */
final class HostCheck implements RequestFilter {

  private final BrowserGuard guard;

  HostCheck(BrowserGuard guard) {
    this.guard = guard;
  }

  @Override
  public boolean handle(HttpServerRequest req) {
    if (guard.anyHost() || req.path().equals("/health/live")
        || req.path().equals("/health/ready")) {
      return false;
    }
    HostAndPort authority = req.authority();
    String host = authority == null ? null : authority.host();
    if (guard.hostAllowed(host)) {
      return false;
    }
    Refusal.refuse(req, FailureCode.MISDIRECTED, "this server does not answer to the host "
        + (host == null ? "(none)" : printable(host)) + "; see allowedHosts", Map.of());
    return true;
  }

  static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }
}
