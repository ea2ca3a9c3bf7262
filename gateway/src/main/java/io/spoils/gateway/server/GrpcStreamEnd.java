package io.spoils.gateway.server;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.Service;
import java.util.List;

/**
 * A {@link GrpcServer} that ends every HTTP/2 call the way every gRPC client reads: once a failed
 * call's response is complete (its trailers, with a grpc-status other than OK) while the client
 * is still sending its request (a refusal from the headers, an oversize or malformed message, a
 * second upload header), the stream is reset with NO_ERROR (RFC 9113 section 8.1), so that the
 * client stops sending and keeps the status it has received. The reset waits {@value #GRACE_MS} ms
 * after the trailers: a reset overtakes frames still queued for the stream and discards them, and a
 * client whose small request was already on its way ends it within that time, so its stream
 * closes without any reset (curl 7.88 reports a NO_ERROR reset of a stream it is still sending
 * as a framing error and drops the status it received). A successful call is never reset (its client may still be sending
 * its half-close when a unary answer is complete). Resetting with CANCEL instead (what Vert.x's
 * {@code GrpcServerResponse.cancel()} sends) makes grpcio, C-core and curl report CANCELLED and
 * drop the status; sending no reset at all makes the client upload the whole refused body.
 *
 * <p>Everything else is the wrapped server's. Runs on the request's event loop.
 */
final class GrpcStreamEnd implements GrpcServer {

  /** RFC 9113 section 7: NO_ERROR. */
  static final long NO_ERROR = 0;
  /** How long a refused client may take to finish sending before its stream is reset, ms. */
  static final long GRACE_MS = 200;
  private static final String GRPC_STATUS = "grpc-status";
  /** The HTTP request being handed to the gRPC server on this thread. */
  private static final ThreadLocal<HttpServerRequest> HANDLING = new ThreadLocal<>();

  private final GrpcServer grpc;

  GrpcStreamEnd(GrpcServer grpc) {
    this.grpc = grpc;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Context context = Vertx.currentContext();
    if (request.version() == HttpVersion.HTTP_2 && context != null) {
      HttpServerResponse response = request.response();
      response.endHandler(v -> {
        if (!request.isEnded() && failed(response)) {
          context.owner().setTimer(GRACE_MS, id -> context.runOnContext(flushed -> {
            if (!request.isEnded()) {
              response.reset(NO_ERROR);
            }
          }));
        }
      });
    }
    HANDLING.set(request);
    try {
      grpc.handle(request);
    } finally {
      HANDLING.remove();
    }
  }

  /**
   * The HTTP request of the gRPC call whose handler runs now on this thread (Vert.x calls a
   * method's handler as it hands the request over), to watch its body's progress; null outside.
   */
  static HttpServerRequest handling() {
    return HANDLING.get();
  }

  /** Whether the response's status (in its trailers, or its headers when trailers-only) is not OK. */
  private static boolean failed(HttpServerResponse response) {
    String status = response.trailers().get(GRPC_STATUS);
    if (status == null) {
      status = response.headers().get(GRPC_STATUS);
    }
    return status != null && !status.equals("0");
  }

  @Override
  public GrpcServer callHandler(Handler<GrpcServerRequest<io.vertx.core.buffer.Buffer,
      io.vertx.core.buffer.Buffer>> handler) {
    grpc.callHandler(handler);
    return this;
  }

  @Override
  public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method,
      Handler<GrpcServerRequest<Req, Resp>> handler) {
    grpc.callHandler(method, handler);
    return this;
  }

  @Override
  public GrpcServer addService(Service service) {
    grpc.addService(service);
    return this;
  }

  @Override
  public List<Service> services() {
    return grpc.services();
  }
}
