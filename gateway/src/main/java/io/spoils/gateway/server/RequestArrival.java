package io.spoils.gateway.server;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisCancelledException;
import io.spoils.gateway.pipeline.AnalysisControl;
import io.spoils.gateway.pipeline.Cancellation;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A request that is still arriving after its study was admitted from the headers: it holds a
 * place counted against the admission limits (not an analysis slot) and memory of the upload
 * budget meanwhile, so its arrival is bounded in time and pace ({@link UploadPace}) and ends when
 * the client goes away.
 */
final class RequestArrival {

  private RequestArrival() {}

  /**
   * How long a request may take to arrive, ms: the sooner of the caller's deadline and the server's
   * timeout, so an admission slot is not held longer than either.
   */
  static long waitMillis(AnalysisService service, AnalysisControl control) {
    long serverMs = service.options().timeout().toMillis();
    return Math.max(1, Math.min(serverMs,
        control.deadline().map(d -> d.remaining().toMillis()).orElse(serverMs)));
  }

  /**
   * {@code arriving}, failed with {@link FailureCode#REQUEST_TIMEOUT} when it has not
   * completed within {@code waitMs} or its body arrives too slowly ({@code pace}), with
   * {@link FailureCode#BUSY} when its bytes would pass the upload budget, or with
   * {@link AnalysisCancelledException} when {@code cancellation} fires first.
   *
   * @param what the part of the request that arrives, for the message (e.g. "message", "body")
   */
  static <T> Future<T> bounded(Vertx vertx, Future<T> arriving, long waitMs,
      Cancellation cancellation, String what, UploadPace pace) {
    Promise<T> out = Promise.promise();
    Runnable stopPace = pace.start(out::tryFail);
    out.future().onComplete(done -> stopPace.run());
    long timer = vertx.setTimer(waitMs, id -> out.tryFail(new AnalysisException(
        FailureCode.REQUEST_TIMEOUT,
        "the request " + what + " did not arrive within " + waitMs + " ms")));
    cancellation.onCancel(() -> out.tryFail(
        new AnalysisCancelledException("the client went away before its request arrived")));
    arriving.onComplete(ar -> {
      if (ar.succeeded()) {
        out.tryComplete(ar.result());
      } else {
        out.tryFail(ar.cause());
      }
    });
    out.future().onComplete(done -> vertx.cancelTimer(timer));
    return out.future();
  }
}
