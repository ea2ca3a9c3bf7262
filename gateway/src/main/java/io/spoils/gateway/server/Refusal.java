package io.spoils.gateway.server;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.failure.FailureCode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a request filter refuses a request before any transport has seen it, through the one
 * failure table ({@link Failure#of}): an HTTP problem JSON with the code's status, or, for
 * {@code application/grpc*} requests (gRPC and gRPC-Web), a trailers-only gRPC answer (HTTP 200,
 * {@code grpc-status}, {@code grpc-message}). A body still arriving is not read: an HTTP/1.x
 * connection is closed after the answer, and an HTTP/2 stream whose client is still sending
 * {@value GrpcStreamEnd#GRACE_MS} ms after it is reset with NO_ERROR (RFC 9113 section 8.1), as
 * {@link GrpcStreamEnd} does: with CANCEL, curl (HTTP/2 over TLS) and grpcio dropped the 401 /
 * UNAUTHENTICATED they had received and reported a cancelled stream.
 */
final class Refusal {

  private Refusal() {}

  /** Whether {@code req} goes to the gRPC transport (the dispatch rule of {@link SpoilsServer}). */
  static boolean grpc(HttpServerRequest req) {
    String type = req.getHeader("Content-Type");
    return type != null && type.startsWith("application/grpc");
  }

  /**
   * Answers {@code req} with {@code code} and {@code reason}, plus {@code headers}.
   *
   * @param reason for the caller: never a credential or patient data
   */
  static void refuse(HttpServerRequest req, FailureCode code, String reason,
      Map<String, String> headers) {
    Failure failure = Failure.of(new AnalysisException(code, reason));
    HttpServerResponse response = req.response();
    headers.forEach(response::putHeader);
    boolean unread = !req.isEnded();
    if (unread && req.version() != HttpVersion.HTTP_2) {
      response.putHeader("Connection", "close");
    }
    if (grpc(req)) {
      response.setStatusCode(200).putHeader("Content-Type", req.getHeader("Content-Type"))
          .putHeader("grpc-status", Integer.toString(failure.grpc().code))
          .putHeader("grpc-message", percentEncode(failure.detail())).end();
    } else {
      HttpEndpoints.problem(response, failure.http(), failure.title(), failure.detail());
    }
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (unread && req.version() == HttpVersion.HTTP_2 && context != null) {
      context.owner().setTimer(GrpcStreamEnd.GRACE_MS, id -> context.runOnContext(v -> {
        if (!req.isEnded()) {
          response.reset(GrpcStreamEnd.NO_ERROR);
        }
      }));
    }
  }

  /** The gRPC spec's percent-encoding of a status message (RFC 3986 unreserved kept). */
  static String percentEncode(String message) {
    StringBuilder b = new StringBuilder();
    for (byte c : message.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      if (u >= 0x20 && u <= 0x7e && u != '%') {
        b.append((char) u);
      } else {
        b.append('%').append(String.format("%02X", u));
      }
    }
    return b.toString();
  }
}
