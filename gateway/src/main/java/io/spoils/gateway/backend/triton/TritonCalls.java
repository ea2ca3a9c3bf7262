package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Unary KServe v2 calls to one Triton server with the Vert.x gRPC client (HTTP/2; h2c with prior
 * knowledge, or TLS as {@link TritonTls} says), every failure mapped by
 * {@link TritonErrorMapper} to a {@link BackendException}.
 *
 * <p>Each call carries its {@link Deadline} as its gRPC timeout ({@code grpc-timeout}) and is
 * bounded by a local timer over the whole call, connecting included: when it fires the call
 * fails with {@code DEADLINE_EXCEEDED} and its stream is reset, even when the peer accepted the
 * connection and never answers (the client's own timeout starts only once a stream exists, and
 * a stream waits for the HTTP/2 handshake). A connection on which nothing arrives for
 * {@link #readIdleSeconds} is closed, so that a peer that went silent is dropped and the next
 * call connects afresh.
 */
final class TritonCalls {

  private final Vertx vertx;
  private final GrpcClient client;
  private final SocketAddress address;

  TritonCalls(Vertx vertx, TritonOptions options) {
    this.vertx = vertx;
    this.address = SocketAddress.inetSocketAddress(options.port(), options.host());
    this.client = GrpcClient.client(vertx, new GrpcClientOptions()
        .setMaxMessageSize(options.maxMessageSize())
        .setScheduleDeadlineAutomatically(true), httpOptions(options));
  }

  /**
   * Seconds without a byte from Triton after which a connection is closed: twice a check period
   * and its deadline, at least 30; a healthy server answers a check more often than that.
   */
  static int readIdleSeconds(TritonHealthOptions health) {
    long seconds = 2 * (health.period().toSeconds() + health.checkTimeout().toSeconds());
    return (int) Math.min(Integer.MAX_VALUE, Math.max(30, seconds));
  }

  private static HttpClientOptions httpOptions(TritonOptions options) {
    HttpClientOptions http = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setConnectTimeout((int) options.connectTimeout().toMillis())
        .setReadIdleTimeout(readIdleSeconds(options.health()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (options.tls().isEmpty()) {
      // Triton speaks h2c with prior knowledge, not the HTTP/1.1 upgrade dance
      http.setHttp2ClearTextUpgrade(false);
    } else {
      options.tls().get().apply(http);
    }
    return http;
  }

  /**
   * One unary call with the deadline as its gRPC timeout and as a local timer over the whole call
   * (connecting, sending, the answer); failures mapped to BackendException.
   */
  <Q, R> Future<R> call(ServiceMethod<R, Q> method, Q message, String model,
      Deadline deadline) {
    String name = method.methodName();
    if (deadline.expired()) {
      return Future.failedFuture(TritonErrorMapper.fromStatus(model, name,
          GrpcStatus.DEADLINE_EXCEEDED, null, true));
    }
    long timeoutMs = deadline.timerMillis();
    Promise<R> result = Promise.promise();
    AtomicReference<GrpcClientRequest<Q, R>> sent = new AtomicReference<>();
    long timer = vertx.setTimer(timeoutMs, id -> {
      if (result.tryFail(TritonErrorMapper.fromStatus(model, name, GrpcStatus.DEADLINE_EXCEEDED,
          null, true))) {
        reset(sent.get());
      }
    });
    client.request(address, method).compose(req -> {
      sent.set(req);
      if (result.future().isComplete()) { // the deadline passed while connecting
        reset(req);
        return Future.<R>failedFuture("deadline passed");
      }
      // what is left of the deadline once the stream exists (connecting took some of it)
      req.timeout(deadline.timerMillis(), TimeUnit.MILLISECONDS);
      return req.send(message).compose(resp -> resp.last().recover(err -> {
        GrpcStatus status = resp.status();
        return Future.failedFuture(status != null && status != GrpcStatus.OK
            ? TritonErrorMapper.fromStatus(model, name, status, resp.statusMessage(),
                deadline.expired())
            : err);
      }));
    }).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(TritonErrorMapper.fromThrowable(model, name, ar.cause(),
            deadline.expired()));
      }
    });
    return result.future();
  }

  /** Resets the stream of a call given up on (nothing when it was not opened or has ended). */
  private static void reset(GrpcClientRequest<?, ?> request) {
    if (request == null) {
      return;
    }
    try {
      request.cancel();
    } catch (RuntimeException alreadyEnded) {
      // the call ended meanwhile: nothing to reset
    }
  }

  Future<Void> close() {
    return client.close();
  }
}
