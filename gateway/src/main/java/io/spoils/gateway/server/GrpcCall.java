package io.spoils.gateway.server;

import io.spoils.gateway.api.ProtoEncoder;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.Failure;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.pipeline.Cancellation;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.service.Job;
import io.spoils.proto.v1.AnalysisEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * One gRPC call that streams analysis events ({@code Analyze}, {@code AnalyzeUpload}): ties the
 * call's life to the analysis and answers it exactly once.
 *
 * <ul>
 *   <li>Deadline: the caller's {@code grpc-timeout}, counted from the call's arrival, bounds the
 *   analysis and every backend call (with the server's own timeout, whichever is earlier).</li>
 *   <li>Cancellation: a stream reset (the client cancelled, or its deadline passed on its side) or
 *   a lost connection cancels the analysis; nothing more is written to the call.</li>
 *   <li>Every failure is counted once ({@link AnalysisService#failed}), cancellations included.</li>
 * </ul>
 * Not thread-safe: use it on the call's context only.
 */
final class GrpcCall {

  private final AnalysisService service;
  private final GrpcServerResponse<?, AnalysisEvent> response;
  private final Cancellation cancellation = new Cancellation();
  private final AnalysisControl control;
  private final long received = System.nanoTime();
  /** Who called, read when the analysis ends (its message may replace the request id). */
  private final java.util.function.Supplier<io.spoils.gateway.service.Caller> caller;
  /** The call has been answered or is gone: nothing more may be written. */
  private boolean closed;
  /** The call has been answered (its failure, if any, counted). */
  private boolean answered;
  /** The call's HTTP request (its body's progress); null when not known. */
  private final HttpServerRequest http = GrpcStreamEnd.handling();
  private final Uploads uploads;
  /** The call's share of the upload budget: its request's bytes until its analysis ends. */
  private final UploadBudget.Hold hold;

  GrpcCall(AnalysisService service, Uploads uploads, GrpcServerRequest<?, AnalysisEvent> call) {
    this.service = service;
    this.uploads = uploads;
    this.hold = uploads.budget().hold();
    this.response = call.response();
    io.vertx.core.MultiMap headers = call.headers();
    String method = "/" + call.fullMethodName();
    this.caller = () -> CallerHeaders.caller(headers, method);
    long timeoutMillis = call.timeout();
    this.control = new AnalysisControl(timeoutMillis > 0
        ? Optional.of(Deadline.after(Duration.ofMillis(timeoutMillis))) : Optional.empty(),
        cancellation);
    call.errorHandler(error -> gone());
    call.exceptionHandler(failure -> gone());
    call.invalidMessageHandler(this::invalidMessage);
  }

  /** The caller's deadline and cancellation, for the analysis. */
  AnalysisControl control() {
    return control;
  }

  /**
   * A watch over the request's arrival: its pace, and its bytes counted into the upload budget as
   * they arrive (the decoder holds a message whole before the call sees it).
   */
  UploadPace pace() {
    return uploads.pace(Vertx.currentContext().owner(), http, hold);
  }

  /** Whether the call has been answered or is gone (read no further input then). */
  boolean closed() {
    return closed;
  }

  /** Admits and runs {@code job}, streaming its events, then ends the call with its status. */
  void run(Job job) {
    run(Future.succeededFuture(job));
  }

  /**
   * Admits (now) and runs {@code job} once it has arrived, streaming its events, then ends the
   * call with its status. A refusal or failure before the request has been read in full is reset
   * with NO_ERROR after its trailers ({@link GrpcStreamEnd}), so that the client stops sending it
   * and keeps the status.
   */
  void run(Future<Job> job) {
    QueuedWriter<AnalysisEvent> writer = new QueuedWriter<>(response);
    service.analyze(job, control, received, caller, ProtoEncoder.FORMAT, event -> {
      if (!closed) {
        writer.write(event);
      }
    }).onComplete(ar -> {
      hold.release();
      if (ar.succeeded()) {
        writer.finish(stream -> end(null));
      } else if (!answered) {
        Failure m = service.failed(ar.cause());
        writer.finish(stream -> end(m));
      }
    });
  }

  /** Counts {@code failure} and ends the call with its status (when still open). */
  void fail(Throwable failure) {
    end(service.failed(failure));
  }

  private void end(Failure failure) {
    if (closed) {
      return;
    }
    closed = true;
    answered = true;
    hold.release();
    if (failure == null) {
      response.end();
    } else {
      // encoded here: Vert.x would percent-encode every character that is not alphanumeric
      response.trailers().set(GrpcStatusMessage.TRAILER,
          GrpcStatusMessage.encode(failure.detail()));
      response.status(failure.grpc()).end();
    }
  }

  private void invalidMessage(InvalidMessageException e) {
    // answered first: the cancellation then ends the waiting analysis without a second answer
    fail(e instanceof MessageSizeOverflowException
        ? new AnalysisException(FailureCode.TOO_LARGE, "a message is larger than this server's "
            + "limit; send the files with AnalyzeUpload in chunks of at most 1 MiB")
        : MalformedMessages.invalid());
    cancellation.cancel();
  }

  private void gone() {
    closed = true;
    hold.release();
    cancellation.cancel();
  }
}
