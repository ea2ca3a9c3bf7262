package io.spoils.gateway.server;

import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that studies being received, and received but not yet analysed, may hold, all
 * requests together ({@code ConnectionOptions.uploadBudgetBytes}): each request counts its bytes
 * into a {@link Hold} as they arrive, and gives them back when its analysis ends or it fails. A
 * request whose next bytes would pass the budget is refused ({@link FailureCode#BUSY}: 429,
 * RESOURCE_EXHAUSTED), so concurrent large uploads are refused rather than run the heap out.
 * Thread-safe.
 */
final class UploadBudget {

  /** One request's share; {@link #release()} is idempotent. Thread-safe. */
  final class Hold {
    private long bytes;
    private boolean released;

    /**
     * Counts {@code n} more bytes.
     *
     * @throws AnalysisException ({@code BUSY}) when they would pass the budget; the hold is then
     *     released
     */
    synchronized void take(long n) {
      if (released || n <= 0) {
        return;
      }
      if (!UploadBudget.this.take(n)) {
        release();
        throw new AnalysisException(FailureCode.BUSY, "the server is receiving too many studies "
            + "at once (its upload memory of " + capacity + " bytes is in use); retry later");
      }
      bytes += n;
    }

    /**
     * Counts {@code n} more bytes that are already held, past the budget if need be (they arrived
     * between two looks); nothing once released.
     */
    synchronized void count(long n) {
      if (released || n <= 0) {
        return;
      }
      highWater.accumulateAndGet(held.addAndGet(n), Math::max);
      bytes += n;
    }

    /** Whether the hold has been given back. */
    synchronized boolean released() {
      return released;
    }

    /** The bytes counted so far. */
    synchronized long bytes() {
      return bytes;
    }

    /** Gives every byte back; later {@link #take} calls count nothing. */
    synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      held.addAndGet(-bytes);
      bytes = 0;
    }
  }

  private final long capacity;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong highWater = new AtomicLong();

  /** @param capacity bytes, &gt;= 1 */
  UploadBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the upload budget must be >= 1 byte");
    }
    this.capacity = capacity;
  }

  /** A new, empty share for one request. */
  Hold hold() {
    return new Hold();
  }

  private boolean take(long n) {
    while (true) {
      long now = held.get();
      long next = now + n;
      if (next > capacity) {
        return false;
      }
      if (held.compareAndSet(now, next)) {
        highWater.accumulateAndGet(next, Math::max);
        return true;
      }
    }
  }

  /** The budget, bytes. */
  long capacity() {
    return capacity;
  }

  /** Bytes held now. */
  long held() {
    return held.get();
  }

  /** The most bytes ever held at once. */
  long highWater() {
    return highWater.get();
  }
}
