package io.spoils.gateway.service;

import io.spoils.gateway.config.AdmissionOptions;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.pipeline.AnalysisCancelledException;
import io.spoils.gateway.pipeline.Cancellation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds the studies analysed at once: up to {@code maxInFlight} run, up to {@code maxQueued} more
 * wait in arrival order, and any further request is refused at once with
 * {@link FailureCode#BUSY} (so an overloaded server answers fast instead of piling up memory).
 * A waiting study is refused as well once it has waited its longest wait ({@code maxQueueWait}, or
 * less when its caller's deadline is nearer: {@link FailureCode#QUEUE_TIMEOUT}), and leaves the
 * queue when its caller cancels.
 *
 * <p>A study whose request is still arriving is decided from its headers with a
 * {@link Reservation}: it counts against {@code maxInFlight + maxQueued} while it arrives (so a
 * full server refuses before the body is sent), but takes no analysis slot until it has arrived,
 * so a slow upload never keeps a study that has arrived from running.
 * Thread-safe.
 */
public final class Admission {

  /** A held slot; {@link #release()} is idempotent. */
  public final class Permit {
    private boolean released;

    public void release() {
      synchronized (Admission.this) {
        if (released) {
          return;
        }
        released = true;
      }
      Admission.this.release();
    }
  }

  /**
   * A place decided from a request's headers while its body arrives: exchanged for a slot by
   * {@link #acquire}, or given back by {@link #cancel()}; each at most once.
   */
  public final class Reservation {
    private boolean done;

    /**
     * The analysis slot, once the request has arrived: at once when one is free, else queued as
     * {@link Admission#acquire(Vertx, Duration, Cancellation)} (never refused as BUSY: the place
     * was counted).
     */
    public Future<Permit> acquire(Vertx vertx, Duration maxWait, Cancellation cancellation) {
      synchronized (Admission.this) {
        if (done) {
          return Future.failedFuture(new IllegalStateException("reservation already used"));
        }
        done = true;
        arriving--;
      }
      return Admission.this.acquire(vertx, maxWait, cancellation, true);
    }

    /** Gives the place back (the request failed before it arrived); idempotent. */
    public void cancel() {
      synchronized (Admission.this) {
        if (!done) {
          done = true;
          arriving--;
        }
      }
    }
  }

  private record Waiter(Context context, Promise<Permit> promise) { }

  private final int maxInFlight;
  private final int maxQueued;
  private final Duration maxQueueWait;
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private int inFlight;
  /** Studies decided from their headers whose requests are still arriving. */
  private int arriving;

  /** As {@code options} set it. */
  public Admission(AdmissionOptions options) {
    this(options.maxInFlight(), options.maxQueued(), options.maxQueueWait());
  }

  /** With {@link ServerOptions#DEFAULT_MAX_QUEUE_WAIT_SECONDS} as the longest wait. */
  public Admission(int maxInFlight, int maxQueued) {
    this(maxInFlight, maxQueued, ServerOptions.seconds(ServerOptions.DEFAULT_MAX_QUEUE_WAIT_SECONDS));
  }

  /**
   * @param maxInFlight studies analysed at once, &gt;= 1
   * @param maxQueued studies waiting for a slot, &gt;= 0
   * @param maxQueueWait the longest a study waits for a slot, positive
   */
  public Admission(int maxInFlight, int maxQueued, Duration maxQueueWait) {
    if (maxInFlight < 1 || maxQueued < 0 || maxQueueWait.isNegative() || maxQueueWait.isZero()) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, maxQueued >= 0 and "
          + "maxQueueWait positive");
    }
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.maxQueueWait = maxQueueWait;
  }

  /** A slot within {@code maxQueueWait}; see {@link #acquire(Vertx, Duration, Cancellation)}. */
  public Future<Permit> acquire(Vertx vertx) {
    return acquire(vertx, maxQueueWait, new Cancellation());
  }

  /**
   * A slot: at once when one is free, later when queued, or a failed future: with
   * {@link AnalysisException} ({@code BUSY}) when the queue is full, ({@code QUEUE_TIMEOUT}) when
   * no slot came within the shorter of
   * {@code maxWait} and {@code maxQueueWait}; with {@link AnalysisCancelledException} when
   * {@code cancellation} fires while waiting. A queued outcome is delivered on the caller's Vert.x
   * context.
   *
   * @param maxWait the caller's own bound on the wait (e.g. its deadline's remaining time)
   */
  public Future<Permit> acquire(Vertx vertx, Duration maxWait, Cancellation cancellation) {
    return acquire(vertx, maxWait, cancellation, false);
  }

  /**
   * A place for a study whose request is still arriving, decided now: counted against the limits
   * until {@link Reservation#acquire} or {@link Reservation#cancel()}.
   *
   * @throws AnalysisException ({@code BUSY}) when studies running, waiting and arriving fill
   *     {@code maxInFlight + maxQueued}
   */
  public synchronized Reservation reserve() {
    if (saturated()) {
      throw new AnalysisException(FailureCode.BUSY, "the server is busy: " + inFlight
          + " studies are being analysed, " + waiters.size() + " are waiting and " + arriving
          + " are arriving; retry later");
    }
    arriving++;
    return new Reservation();
  }

  private Future<Permit> acquire(Vertx vertx, Duration maxWait, Cancellation cancellation,
      boolean reserved) {
    Waiter w;
    synchronized (this) {
      if (inFlight < maxInFlight) {
        inFlight++;
        return Future.succeededFuture(new Permit());
      }
      if (!reserved && waiters.size() + arriving >= maxQueued) {
        return Future.failedFuture(new AnalysisException(FailureCode.BUSY, "the server is busy: "
            + maxInFlight + " studies are being analysed and " + waiters.size()
            + " are waiting; retry later"));
      }
      w = new Waiter(vertx.getOrCreateContext(), Promise.promise());
      waiters.add(w);
    }
    Duration wait = maxWait.compareTo(maxQueueWait) < 0 ? maxWait : maxQueueWait;
    long timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> leave(w,
        new AnalysisException(FailureCode.QUEUE_TIMEOUT, "the server is busy: no analysis slot "
            + "became free within " + wait.toMillis() + " ms; retry later")));
    cancellation.onCancel(() -> leave(w,
        new AnalysisCancelledException("the client cancelled the analysis while it was queued")));
    return w.promise().future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** Takes {@code w} out of the queue and fails it; nothing when it already holds a slot. */
  private void leave(Waiter w, RuntimeException why) {
    synchronized (this) {
      if (!waiters.remove(w)) {
        return;
      }
    }
    w.context().runOnContext(v -> w.promise().tryFail(why));
  }

  /**
   * Whether a request now would be refused; lets an endpoint refuse before reading a large body.
   * Only a hint: {@link #acquire} decides.
   */
  public synchronized boolean saturated() {
    return inFlight + waiters.size() + arriving >= maxInFlight + maxQueued;
  }

  /** Studies decided from their headers whose requests are still arriving now. */
  public synchronized int arriving() {
    return arriving;
  }

  /** Studies being analysed now. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Studies waiting for a slot now. */
  public synchronized int queued() {
    return waiters.size();
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        inFlight--;
        return;
      }
    }
    // the slot passes straight to the next waiter: inFlight is unchanged
    next.context().runOnContext(v -> next.promise().complete(new Permit()));
  }
}
