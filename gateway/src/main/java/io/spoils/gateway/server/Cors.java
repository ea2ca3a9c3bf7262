package io.spoils.gateway.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for browser frontends served
 * from another origin: the HTTP API ({@code POST /v1/analyses} with NDJSON or SSE, the GETs) and
 * gRPC-Web, which share one port. Only origins in
 * {@link io.spoils.gateway.config.ServerOptions#corsAllowedOrigins()} get CORS headers; with none
 * configured nothing changes (a preflight then gets the routes' 405, which browsers treat as a
 * refusal). No credentials mode: the service uses no cookies, so
 * {@code Access-Control-Allow-Credentials} is never sent.
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and
 *   {@code Access-Control-Request-Method}) from an allowed origin for GET or POST is answered 204
 *   with the allowed methods, the requested headers and a max age of {@value #MAX_AGE_SECONDS} s;
 *   from another origin, or for another method, 403 problem JSON without CORS headers.</li>
 *   <li>Any other request from an allowed origin gets {@code Access-Control-Allow-Origin} and
 *   {@code Access-Control-Expose-Headers}: the gRPC status headers a gRPC-Web client reads
 *   ({@code grpc-status}, {@code grpc-message}, {@code grpc-status-details-bin}) and
 *   {@code Retry-After}.</li>
 * </ul>
 */
public final class Cors implements RequestFilter {

  /** How long a browser may cache a preflight answer, seconds. */
  static final int MAX_AGE_SECONDS = 600;
  /** Response headers a cross-origin script may read besides the CORS-safelisted ones. */
  static final String EXPOSED = "grpc-status, grpc-message, grpc-status-details-bin, Retry-After";
  static final String METHODS = "GET, POST";
  /** A comma-separated list of header names (RFC 9110 tokens), as a preflight asks for them. */
  private static final Pattern HEADER_LIST =
      Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*,\\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*");

  private final List<String> origins;
  private final boolean any;

  /** @param origins lower-case exact origins, or the single entry {@code *}; empty: CORS off */
  public Cors(List<String> origins) {
    this.origins = List.copyOf(origins);
    this.any = this.origins.contains("*");
  }

  /** Whether any origin is allowed. */
  public boolean enabled() {
    return !origins.isEmpty();
  }

  /**
   * Answers {@code req} when it is a CORS preflight and CORS is on; otherwise adds the CORS
   * headers its response needs (none for a same-origin or non-browser request, or an origin not
   * allowed) and leaves it to the routes.
   *
   * @return whether the request was answered here
   */
  @Override
  public boolean handle(HttpServerRequest req) {
    String origin = req.getHeader("Origin");
    if (!enabled() || origin == null) {
      return false;
    }
    HttpServerResponse response = req.response();
    response.headers().add("Vary", "Origin");
    boolean allowed = allowed(origin);
    String requested = req.getHeader("Access-Control-Request-Method");
    if (req.method() != HttpMethod.OPTIONS || requested == null) {
      if (allowed) {
        allowOrigin(response, origin).putHeader("Access-Control-Expose-Headers", EXPOSED);
      }
      return false;
    }
    preflight(req, response, allowed, requested);
    return true;
  }

  private void preflight(HttpServerRequest req, HttpServerResponse response, boolean allowed,
      String requested) {
    String headers = req.getHeader("Access-Control-Request-Headers");
    boolean headersOk = headers == null || headers.isBlank()
        || HEADER_LIST.matcher(headers.trim()).matches();
    if (!allowed || !(requested.equals("GET") || requested.equals("POST")) || !headersOk) {
      String why = !allowed ? "this origin is not allowed to call the service"
          : !headersOk ? "Access-Control-Request-Headers is not a list of header names"
          : "only GET and POST are allowed cross-origin";
      HttpEndpoints.problem(response, 403, "Forbidden", why);
      return;
    }
    allowOrigin(response, req.getHeader("Origin"))
        .putHeader("Access-Control-Allow-Methods", METHODS)
        .putHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
    if (headers != null && !headers.isBlank()) {
      // gRPC-Web sends x-grpc-web, x-user-agent, grpc-timeout and the caller's own metadata:
      // echoing the (validated) names lets any of them through without a fixed list to maintain
      response.putHeader("Access-Control-Allow-Headers", headers.trim());
    }
    response.setStatusCode(204).end();
  }

  private HttpServerResponse allowOrigin(HttpServerResponse response, String origin) {
    return response.putHeader("Access-Control-Allow-Origin", any ? "*" : origin);
  }

  private boolean allowed(String origin) {
    return any || origins.contains(origin.trim().toLowerCase(Locale.ROOT));
  }
}
