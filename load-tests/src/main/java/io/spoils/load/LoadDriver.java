package io.spoils.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;

/**
 * Drives the load: the closed model ({@code concurrency} workers, each sending its next study when
 * its previous one ended) or the open model (arrivals at a constant rate; a request's latency counts
 * from its scheduled arrival, so waiting behind a slow server is measured and not hidden, i.e. no
 * coordinated omission). Studies go round robin. Requests that start during the warm-up are sent
 * but not recorded. Everything runs on one Vert.x context.
 */
final class LoadDriver {

  /** How long {@link #stop()} waits for the requests in flight before reporting without them. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** Arrival check period of the open model, ms. */
  private static final long TICK_MS = 1;

  /**
   * What a run did.
   *
   * @param recorder the measured outcomes
   * @param sent measured requests started
   * @param inFlightAtEnd requests still running when the report was made (after an interrupt)
   * @param interrupted whether {@link #stop()} ended the run early
   * @param startedAt wall-clock time the measurement began
   */
  record Result(Recorder recorder, long sent, long inFlightAtEnd, boolean interrupted,
      Instant startedAt) { }

  private final Vertx vertx;
  private final Context context;
  private final LoadOptions options;
  private final StudyClient client;
  private final Promise<Result> done = Promise.promise();
  private long measureStart;
  private long measureEnd;
  private Recorder recorder;
  private Instant startedAt;
  private long sent;
  private long inFlight;
  private int nextStudy;
  private long arrivals;
  private long periodNanos;
  private long ticker = -1;
  private volatile boolean stopping;

  LoadDriver(Vertx vertx, Context context, LoadOptions options, StudyClient client) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.client = client;
  }

  /** Starts the run on the driver's context; completes once every request has ended. */
  Future<Result> run() {
    context.runOnContext(v -> begin());
    return done.future();
  }

  /** Stops sending (any thread); the run completes once the requests in flight end or after a grace. */
  void stop() {
    stopping = true;
    context.runOnContext(v -> {
      finishIfIdle();
      vertx.setTimer(STOP_GRACE.toMillis(), id -> complete());
    });
  }

  private void begin() {
    long t0 = System.nanoTime();
    measureStart = t0 + options.warmup().toNanos();
    measureEnd = options.duration().isZero() ? Long.MAX_VALUE
        : measureStart + options.duration().toNanos();
    recorder = new Recorder(measureStart);
    startedAt = Instant.now().plus(options.warmup());
    if (options.open()) {
      periodNanos = Math.max(1, Math.round(1e9 / options.rate().getAsDouble()));
      ticker = vertx.setPeriodic(TICK_MS, id -> pump());
      pump();
    } else {
      for (int i = 0; i < options.concurrency(); i++) {
        next();
      }
    }
  }

  /** Whether a request that starts at {@code start} is still part of the run. */
  private boolean canIssue(long start) {
    return !stopping && start - measureEnd < 0
        && sent < options.requests().orElse(Long.MAX_VALUE);
  }

  /** Closed model: the worker's next request, now. */
  private void next() {
    long now = System.nanoTime();
    if (canIssue(now)) {
      issue(now);
    } else {
      finishIfIdle();
    }
  }

  /** Open model: starts every arrival that is due, as far as the in-flight cap allows. */
  private void pump() {
    long now = System.nanoTime();
    while (true) {
      long intended = measureStart - options.warmup().toNanos() + arrivals * periodNanos;
      if (!canIssue(intended)) {
        vertx.cancelTimer(ticker);
        finishIfIdle();
        return;
      }
      if (intended - now > 0 || inFlight >= options.concurrency()) {
        return;
      }
      arrivals++;
      issue(intended);
    }
  }

  private void issue(long start) {
    boolean measured = start - measureStart >= 0;
    if (measured) {
      sent++;
    }
    inFlight++;
    int study = nextStudy;
    nextStudy = (nextStudy + 1) % options.studies().size();
    client.analyze(study, start).onComplete(ar -> {
      inFlight--;
      if (measured && !done.future().isComplete()) {
        recorder.record(ar.succeeded() ? ar.result()
            : Outcome.failed("CLIENT_ERROR", System.nanoTime() - start, -1));
      }
      if (options.open()) {
        pump();
      } else {
        next();
      }
    });
  }

  private void finishIfIdle() {
    if (inFlight == 0) {
      complete();
    }
  }

  private void complete() {
    if (recorder != null) {
      done.tryComplete(new Result(recorder, sent, inFlight, stopping, startedAt));
    }
  }
}
