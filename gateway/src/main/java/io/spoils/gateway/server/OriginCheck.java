package io.spoils.gateway.server;

import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.security.BrowserGuard;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Map;
import java.util.Set;

/**
 * The cross-origin filter ({@link BrowserGuard#originAllowed}): a request whose {@code Origin}
 * is neither the server's own origin (scheme and authority as the request addressed it) nor one
 * that CORS allows ({@code corsAllowedOrigins}) is refused with 403 problem JSON (gRPC-Web:
 * PERMISSION_DENIED) before its body is read. This covers what CORS alone does not: a "simple"
 * request (a multipart form POST) that a page on any site may send without a preflight, whose
 * answer the browser hides but whose study would still be analysed. Requests without Origin
 * (curl, gRPC clients) pass, and so do GET, HEAD and OPTIONS, which change nothing and whose
 * answers a browser hides from a page of another origin unless CORS allows it (a preflight is
 * CORS's to answer).
 */
final class OriginCheck implements RequestFilter {

  /** Methods without effects: a browser hides their cross-origin answers without CORS. */
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS);

  private final BrowserGuard guard;

  OriginCheck(BrowserGuard guard) {
    this.guard = guard;
  }

  @Override
  public boolean handle(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null || SAFE.contains(req.method())) {
      return false;
    }
    HostAndPort authority = req.authority();
    String scheme = req.scheme();
    int defaultPort = "https".equals(scheme) ? 443 : 80;
    String own = scheme + "://" + (authority == null ? "" : authority.host()
        + (authority.port() > 0 && authority.port() != defaultPort ? ":" + authority.port() : ""));
    if (guard.originAllowed(origin, own)) {
      return false;
    }
    Refusal.refuse(req, FailureCode.PERMISSION_DENIED, "requests from the origin "
        + HostCheck.printable(origin) + " are not allowed; list it in corsAllowedOrigins",
        Map.of());
    return true;
  }
}
