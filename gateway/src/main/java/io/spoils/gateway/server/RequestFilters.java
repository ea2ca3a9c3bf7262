package io.spoils.gateway.server;

import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.security.BrowserGuard;
import io.spoils.gateway.security.Security;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The ordered request filter chain in front of both transports: each {@link RequestFilter} in
 * turn, then the transport ({@code SpoilsServer}'s gRPC/HTTP dispatch) unless a filter answered.
 * The order is the list's: the access log first (it only watches, so it also sees the CORS
 * preflights), then CORS, so that even a refused browser request carries the CORS headers it
 * needs to read the refusal.
 *
 * <p>To add a filter: one class implementing {@link RequestFilter} and one line in
 * {@link #standard}.
 */
public final class RequestFilters implements Handler<HttpServerRequest> {

  private final List<RequestFilter> filters;
  private final Handler<HttpServerRequest> next;

  /**
   * @param filters in the order they run
   * @param next what handles a request no filter answered
   */
  public RequestFilters(List<RequestFilter> filters, Handler<HttpServerRequest> next) {
    this.filters = List.copyOf(filters);
    this.next = next;
  }

  /** The filters {@code options} configure, with security off: CORS. */
  public static List<RequestFilter> standard(ServerOptions options) {
    return standard(options, Security.none());
  }

  /**
   * The filters {@code options} and {@code security} configure, in order: the access log (it
   * only watches), CORS, the Host allow-list, the cross-origin refusal, authentication.
   */
  public static List<RequestFilter> standard(ServerOptions options, Security security) {
    BrowserGuard browsers = new BrowserGuard(security.options().hosts().allowedHosts(),
        options.cors().allowedOrigins());
    AccessLog log = new AccessLog(security.options().audit().access().jul());
    return List.of(log, new Cors(options.cors().allowedOrigins()), new HostCheck(browsers),
        new OriginCheck(browsers), new Authentication(security.authenticator(), log));
  }

  /** The filters, in order. */
  public List<RequestFilter> filters() {
    return filters;
  }

  @Override
  public void handle(HttpServerRequest req) {
    for (RequestFilter f : filters) {
      if (f.handle(req)) {
        return;
      }
    }
    next.handle(req);
  }
}
