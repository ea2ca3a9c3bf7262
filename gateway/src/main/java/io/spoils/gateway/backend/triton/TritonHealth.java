package io.spoils.gateway.backend.triton;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Follows a Triton server's health for {@link TritonBackend}, as {@link TritonHealthOptions}
 * describes: the start-up check retried with exponential backoff until it passes or the start-up
 * limit passes, then periodic checks, and early ones after failed calls, turning readiness DOWN
 * and UP again. Thread-safe: the state changes under the instance's lock, from the timers'
 * event loop or from the thread whose call failed.
 */
final class TritonHealth {

  private static final Logger LOG = Logger.getLogger(TritonHealth.class.getName());

  /** Where the health stands. */
  enum State {
    /** The start-up check has not passed yet. */
    STARTING,
    /** The last check passed. */
    READY,
    /** Started once; the last check, or a call, failed. */
    NOT_READY,
    /** The start-up limit passed before a check did; no more checks. */
    FAILED,
    /** Closed; no more checks. */
    CLOSED
  }

  private final Vertx vertx;
  private final TritonHealthOptions options;
  private final String where;
  /** Runs one check: {@code true} for the full one (with the model metadata), by the deadline. */
  private final BiFunction<Boolean, Deadline, Future<Void>> check;
  private final Promise<Void> startup = Promise.promise();

  private volatile State state = State.STARTING;
  private volatile String reason = "the start-up check is still running";
  private int failures;
  private boolean checking;
  private boolean checkSoon;
  private long timer = -1;
  /** {@link System#nanoTime()} when {@link #timer} fires. */
  private long timerDue;
  private long limitTimer = -1;

  TritonHealth(Vertx vertx, TritonHealthOptions options, String where,
      BiFunction<Boolean, Deadline, Future<Void>> check) {
    this.vertx = vertx;
    this.options = options;
    this.where = where;
    this.check = check;
  }

  /** Starts the start-up check and the start-up limit's timer. */
  synchronized void start() {
    limitTimer = vertx.setTimer(options.startupLimit().toMillis(), id -> startupLimitPassed());
    runCheck();
  }

  /** Fails start-up for good, without checks, for a reason no retry can mend. */
  synchronized void failNow(BackendException cause) {
    state = State.FAILED;
    reason = cause.getMessage();
    startup.tryFail(cause);
  }

  /** Completes when the start-up check first passes; fails at the start-up limit. */
  Future<Void> startup() {
    return startup.future();
  }

  State state() {
    return state;
  }

  /** Why Triton is not ready (the last failed check), or what start-up is doing. */
  String reason() {
    return reason;
  }

  /**
   * Readiness now: succeeded when the last check passed; while starting, {@link #startup()}; else
   * failed with {@code UNAVAILABLE} and the reason.
   */
  Future<Void> ready() {
    return switch (state) {
      case READY -> Future.succeededFuture();
      case STARTING, FAILED -> startup.future();
      case NOT_READY -> Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "Triton at " + where + " is not ready: " + reason));
      case CLOSED -> Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "inference backend is closed"));
    };
  }

  /**
   * A call to Triton failed with {@code failure}. While Triton is ready, {@code UNAVAILABLE} turns
   * readiness DOWN at once and checks at once; {@code DEADLINE_EXCEEDED} brings the next check
   * forward to {@code retryInitial} from now. While it is not ready the backoff's checks decide.
   */
  void callFailed(BackendException failure) {
    BackendStatus status = failure.status();
    if (status != BackendStatus.UNAVAILABLE && status != BackendStatus.DEADLINE_EXCEEDED) {
      return;
    }
    synchronized (this) {
      if (state != State.READY) {
        return;
      }
      if (status == BackendStatus.UNAVAILABLE) {
        notReady(failure.getMessage());
      }
      if (checking) {
        checkSoon = true;
      } else {
        schedule(status == BackendStatus.UNAVAILABLE ? Duration.ZERO : options.retryInitial());
      }
    }
  }

  /** Stops the checks; later {@link #ready()} fails. */
  synchronized void close() {
    state = State.CLOSED;
    cancelTimers();
    startup.tryFail(new BackendException(BackendStatus.UNAVAILABLE,
        "inference backend is closed"));
  }

  private synchronized void runCheck() {
    timer = -1;
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    checking = true;
    checkSoon = false;
    boolean full = state != State.READY;
    Deadline deadline = Deadline.after(options.checkTimeout());
    Future<Void> result;
    try {
      result = check.apply(full, deadline);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      synchronized (this) {
        checking = false;
        if (ar.succeeded()) {
          passed();
        } else {
          failed(ar.cause());
        }
      }
    });
  }

  private void passed() {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    State before = state;
    failures = 0;
    state = State.READY;
    reason = "";
    if (before == State.STARTING) {
      vertx.cancelTimer(limitTimer);
      startup.tryComplete();
    } else if (before == State.NOT_READY) {
      LOG.info(() -> "Triton at " + where + " is ready again");
    }
    schedule(checkSoon ? Duration.ZERO : options.period());
  }

  private void failed(Throwable cause) {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    failures++;
    String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (state == State.STARTING) {
      reason = why;
      if (failures == 1) {
        LOG.warning(() -> "Triton at " + where + " is not ready yet; retrying for up to "
            + options.startupLimit().toSeconds() + " s: " + why);
      } else {
        LOG.info(() -> "Triton start-up check failed (try " + failures + "): " + why);
      }
    } else {
      notReady(why);
    }
    schedule(options.backoff(failures));
  }

  private void notReady(String why) {
    if (state == State.READY) {
      LOG.warning(() -> "Triton at " + where + " is not ready: " + why);
    }
    state = State.NOT_READY;
    reason = why;
  }

  private synchronized void startupLimitPassed() {
    if (state != State.STARTING) {
      return;
    }
    state = State.FAILED;
    cancelTimers();
    String why = reason;
    reason = "Triton at " + where + " did not pass the start-up check within "
        + options.startupLimit().toSeconds() + " s; last: " + why;
    startup.tryFail(new BackendException(BackendStatus.UNAVAILABLE, reason));
  }

  /** The next check after {@code delay}, unless one is running or due sooner. */
  private void schedule(Duration delay) {
    if (checking) {
      return;
    }
    long due = System.nanoTime() + delay.toNanos();
    if (timer >= 0) {
      if (timerDue - due <= 0) {
        return;
      }
      vertx.cancelTimer(timer);
    }
    timerDue = due;
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> runCheck());
  }

  private void cancelTimers() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    vertx.cancelTimer(limitTimer);
  }
}
