package io.spoils.gateway.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a request that Vert.x could not parse (a malformed request line or header, a request line
 * or headers past Vert.x's size limits, broken chunked framing) with a problem JSON, as every other
 * refusal, instead of Vert.x's bare status, then closes the connection: what follows on it cannot
 * be framed.
 */
final class InvalidRequests {

  private InvalidRequests() {}

  static void answer(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    HttpServerResponse response = req.response();
    if (response.ended()) {
      return;
    }
    response.putHeader("Connection", "close");
    if (cause instanceof TooLongHttpLineException) {
      HttpEndpoints.problem(response, 414, "URI too long", "the request line is longer than this "
          + "server accepts").onComplete(v -> req.connection().close());
    } else if (cause instanceof TooLongHttpHeaderException) {
      HttpEndpoints.problem(response, 431, "Request header fields too large", "the request "
          + "headers are larger than this server accepts").onComplete(v -> req.connection().close());
    } else {
      HttpEndpoints.problem(response, 400, "Bad request", "the request is not valid HTTP/1.1 (its "
          + "request line, a header, or its chunked framing)")
          .onComplete(v -> req.connection().close());
    }
  }
}
