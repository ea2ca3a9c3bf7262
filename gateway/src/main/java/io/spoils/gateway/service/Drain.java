package io.spoils.gateway.service;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Graceful shutdown of the analysis service. Once {@link #start} is called the service stops
 * admitting studies: readiness turns false (HTTP {@code /health/ready} 503, gRPC health
 * NOT_SERVING) and every new analysis is refused with {@link FailureCode#DRAINING} (gRPC
 * UNAVAILABLE, HTTP 503 with {@code Retry-After}), so a load balancer or
 * a client retries it on another replica. Studies already admitted or queued run to their end;
 * {@link #start} completes when the last one has finished or the drain timeout has passed,
 * whichever comes first. The server is closed after that ({@code ServeCommand}).
 *
 * <p>The drain counts studies from the moment the service accepts them until their pipeline
 * future completes; the last events of a stream are flushed by the server's own graceful
 * shutdown ({@code SpoilsServer#shutdown}). A study still running at the drain timeout is cut
 * off: it is stopped and its result fails with {@link FailureCode#DRAINING} (on its own
 * context), so that its transport ends the stream with an error event or status before the
 * server closes, never with a stream that just ends. Thread-safe.
 */
public final class Drain {

  /** Environment variable holding the drain timeout in seconds. */
  public static final String ENV = "SPOILS_DRAIN_SECONDS";
  /** Default drain timeout: 30 s, longer than a typical CPU study and below Kubernetes' 30 s+ grace. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** {@code spoils_rejections_total{reason}} of a study refused while draining. */
  public static final String REJECTION_REASON = "draining";

  /** The refusal of a new study because the server is shutting down. */
  static AnalysisException refusal() {
    return new AnalysisException(FailureCode.DRAINING,
        "the server is shutting down; retry on another replica");
  }

  /** Time left, after the drain, for the last events of the streams to be written. */
  public static final Duration FLUSH_GRACE = Duration.ofSeconds(2);

  private static final Logger LOG = Logger.getLogger(Drain.class.getName());

  /** What serves the studies (the gRPC and HTTP server), stopped once the drain is over. */
  @FunctionalInterface
  public interface Shutdown {
    /**
     * Stops accepting connections and lets open requests end for up to {@code grace}, then
     * closes the rest.
     */
    Future<Void> shutdown(Duration grace);
  }

  private final Promise<Boolean> drained = Promise.promise();
  /** The studies running, each with what cuts it off. */
  private final Map<Promise<?>, Runnable> running = new IdentityHashMap<>();
  private int active;
  private boolean draining;
  private long timer = -1;

  /**
   * Runs {@code study} unless the server is draining, counting it as active until its future
   * completes.
   *
   * @return the study's future, or a failed one with {@link FailureCode#DRAINING} when draining
   */
  public <T> Future<T> track(Supplier<Future<T>> study) {
    return track(study, () -> { });
  }

  /**
   * As {@link #track(Supplier)}; {@code stop} stops the study when it is cut off at the drain
   * timeout (its result has then already failed with {@link FailureCode#DRAINING}).
   */
  public <T> Future<T> track(Supplier<Future<T>> study, Runnable stop) {
    Promise<T> result = Promise.promise();
    Context context = Vertx.currentContext();
    Runnable cutOff = () -> {
      stop.run();
      result.tryFail(cutOff());
    };
    synchronized (this) {
      if (draining) {
        return Future.failedFuture(refusal());
      }
      active++;
      running.put(result, context == null ? cutOff : () -> context.runOnContext(v -> cutOff.run()));
    }
    Future<T> run;
    try {
      run = study.get();
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> {
      synchronized (this) {
        running.remove(result);
      }
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
      finished();
    });
    return result.future();
  }

  /** The failure of a study still running at the drain timeout. */
  static AnalysisException cutOff() {
    return new AnalysisException(FailureCode.DRAINING, "the server shut down before the analysis "
        + "finished (drain timeout); the result is incomplete: retry on another replica");
  }

  /** Cuts off every study still running (at the drain timeout). */
  private void cutOffRunning() {
    List<Runnable> cuts;
    synchronized (this) {
      cuts = new ArrayList<>(running.values());
    }
    cuts.forEach(Runnable::run);
  }

  private void finished() {
    boolean last;
    synchronized (this) {
      active--;
      last = draining && active == 0;
    }
    if (last) {
      drained.tryComplete(true);
    }
  }

  /** Whether {@link #start} has been called: no new study is admitted. */
  public synchronized boolean draining() {
    return draining;
  }

  /** Studies accepted and not yet finished (running or queued). */
  public synchronized int active() {
    return active;
  }

  /**
   * Stops admitting studies and waits for the active ones. Idempotent: a second call returns the
   * first call's future.
   *
   * @param timeout how long the active studies may still run; positive
   * @return {@code true} when every active study finished in time, {@code false} at the timeout
   *     (those studies are then cut off: their results fail with {@link FailureCode#DRAINING})
   */
  public Future<Boolean> start(Vertx vertx, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("drain timeout must be positive, got " + timeout);
    }
    boolean idle;
    synchronized (this) {
      if (draining) {
        return drained.future();
      }
      draining = true;
      idle = active == 0;
      if (!idle) {
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
          cutOffRunning();
          drained.tryComplete(false);
        });
      }
    }
    if (idle) {
      drained.tryComplete(true);
    }
    long armed = timer;
    return drained.future().andThen(ar -> {
      if (armed >= 0) {
        vertx.cancelTimer(armed);
      }
    });
  }

  /**
   * The whole graceful stop of a serving process: drains {@code service} for up to
   * {@code timeout}, then shuts {@code server} down, leaving {@link #FLUSH_GRACE} for the last
   * events to reach their clients. Does not close the backend.
   *
   * @return completes when the server is closed; never fails for a slow study
   */
  public static Future<Void> stop(Vertx vertx, AnalysisService service, Shutdown server,
      Duration timeout) {
    Drain drain = service.drain();
    LOG.info(() -> "draining: " + drain.active() + " studies active, timeout " + timeout);
    return drain.start(vertx, timeout).compose(all -> {
      if (!all) {
        LOG.warning(() -> "drain timeout: " + drain.active() + " studies are cut off");
      }
      return server.shutdown(FLUSH_GRACE);
    });
  }

  /**
   * The drain timeout of {@code env}'s {@value #ENV} (seconds, a positive number), or
   * {@link #DEFAULT_TIMEOUT} when unset.
   *
   * @throws io.spoils.feature.InvalidInputException when the value is not a positive number
   */
  public static Duration timeout(Map<String, String> env) {
    String v = env.get(ENV);
    if (v == null || v.isBlank()) {
      return DEFAULT_TIMEOUT;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (!(seconds > 0) || seconds > 86_400) {
      throw new io.spoils.feature.InvalidInputException(ENV + " must be a number of seconds, "
          + "0 < s <= 86400, got \"" + v + "\"");
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}
