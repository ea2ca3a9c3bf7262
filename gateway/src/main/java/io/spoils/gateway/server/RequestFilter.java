package io.spoils.gateway.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * One step of the request filter chain ({@link RequestFilters}) that every request passes before
 * it reaches gRPC or HTTP: cross-cutting concerns such as CORS ({@link Cors}) and, next,
 * authentication. A filter runs on the event loop and must not block. It either answers the
 * request itself (a CORS preflight; an authentication failure: HTTP 401 problem JSON, or gRPC
 * UNAUTHENTICATED for {@code application/grpc*} content types) and returns {@code true}, which
 * stops the chain, or adds what it must to the response (headers) and returns {@code false}.
 */
@FunctionalInterface
public interface RequestFilter {

  /**
   * @return whether the request was answered here (the chain stops)
   */
  boolean handle(HttpServerRequest req);
}
