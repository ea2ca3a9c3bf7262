package io.spoils.gateway.server;

import io.spoils.gateway.config.ConnectionOptions;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Watches a request body while it arrives: after the grace period
 * ({@code ConnectionOptions.uploadGraceSeconds}) each further grace period must bring at least
 * {@code minUploadBytesPerSecond} times its length in bytes, else the request is cut off with
 * {@link FailureCode#REQUEST_TIMEOUT} (408, DEADLINE_EXCEEDED), so that a client sending one byte
 * now and then cannot hold a place, a connection or memory for long. With a {@link UploadBudget.Hold}
 * to charge (gRPC, whose messages arrive whole in Vert.x's decoder), it also counts the body's bytes
 * into it every {@value #TICK_MS} ms as they arrive. Runs on the request's context.
 */
final class UploadPace {

  /** How often the body's progress is read, ms. */
  static final long TICK_MS = 100;

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final long minBytesPerSecond;
  private final long graceMs;
  private final UploadBudget.Hold charge;

  /**
   * @param request the raw request whose body is watched; null watches nothing
   * @param charge where the body's bytes are counted as they arrive; null counts them elsewhere
   */
  UploadPace(Vertx vertx, ConnectionOptions options, HttpServerRequest request,
      UploadBudget.Hold charge) {
    this.vertx = vertx;
    this.request = request;
    this.minBytesPerSecond = options.minUploadBytesPerSecond();
    this.graceMs = Math.max(1, Math.round(options.uploadGraceSeconds() * 1000));
    this.charge = charge;
  }

  /**
   * Starts watching until the body has arrived or the returned action stops it (which counts
   * what arrived since the last look).
   *
   * @param cutOff receives, once, why the body is cut off (too slow, or over the upload budget)
   * @return stops watching
   */
  Runnable start(Consumer<RuntimeException> cutOff) {
    if (request == null) {
      return () -> { };
    }
    if (request.isEnded()) {
      try {
        charge();
      } catch (RuntimeException e) {
        cutOff.accept(e);
      }
      return () -> { };
    }
    long start = System.nanoTime();
    long[] window = {start, request.bytesRead()};
    long[] timer = new long[1];
    Runnable stop = () -> vertx.cancelTimer(timer[0]);
    Runnable stopped = () -> {
      stop.run();
      if (charge != null) {
        // what arrived since the last tick, counted even past the budget: it is already held
        charge.count(request.bytesRead() - charge.bytes());
      }
    };
    timer[0] = vertx.setPeriodic(Math.min(TICK_MS, graceMs), id -> {
      try {
        charge();
        if (request.isEnded()) {
          stop.run();
          return;
        }
        long now = System.nanoTime();
        if ((now - window[0]) / 1_000_000 < graceMs) {
          return;
        }
        long bytes = request.bytesRead();
        boolean first = window[0] == start;
        long need = minBytesPerSecond * graceMs / 1000;
        if (!first && minBytesPerSecond > 0 && bytes - window[1] < need) {
          stop.run();
          cutOff.accept(new AnalysisException(FailureCode.REQUEST_TIMEOUT, "the request body "
              + "arrived at " + (bytes - window[1]) * 1000 / graceMs + " bytes/s, slower than "
              + "this server's minimum of " + minBytesPerSecond + " bytes/s"));
          return;
        }
        window[0] = now;
        window[1] = bytes;
      } catch (RuntimeException e) {
        stop.run();
        cutOff.accept(e);
      }
    });
    return stopped;
  }

  private void charge() {
    if (charge != null && request != null) {
      charge.take(request.bytesRead() - charge.bytes());
    }
  }
}
