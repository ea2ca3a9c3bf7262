package io.spoils.gateway.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds the studies analysed at once: up to {@code maxInFlight} run, up to {@code maxQueued} more
 * wait in arrival order, and any further request is refused at once with
 * {@link AdmissionException} (so an overloaded server answers fast instead of piling up memory).
 * Thread-safe.
 */
public final class Admission {

  /** Refusal of a study because the server is at its limits. */
  public static final class AdmissionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdmissionException(String reason) {
      super(reason, null, false, false);
    }
  }

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

  private record Waiter(Context context, Promise<Permit> promise) { }

  private final int maxInFlight;
  private final int maxQueued;
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private int inFlight;

  public Admission(int maxInFlight, int maxQueued) {
    if (maxInFlight < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("maxInFlight must be >= 1 and maxQueued >= 0");
    }
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /**
   * A slot: at once when one is free, later when queued, or a failed future with
   * {@link AdmissionException} when the queue is full. A queued permit is delivered on the caller's
   * Vert.x context.
   */
  public synchronized Future<Permit> acquire(Vertx vertx) {
    if (inFlight < maxInFlight) {
      inFlight++;
      return Future.succeededFuture(new Permit());
    }
    if (waiters.size() >= maxQueued) {
      return Future.failedFuture(new AdmissionException("the server is busy: " + maxInFlight
          + " studies are being analysed and " + waiters.size() + " are waiting; retry later"));
    }
    Waiter w = new Waiter(vertx.getOrCreateContext(), Promise.promise());
    waiters.add(w);
    return w.promise().future();
  }

  /**
   * Whether a request now would be refused; lets an endpoint refuse before reading a large body.
   * Only a hint: {@link #acquire} decides.
   */
  public synchronized boolean saturated() {
    return inFlight >= maxInFlight && waiters.size() >= maxQueued;
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
