package io.spoils.gateway.output.store;

import io.spoils.gateway.backend.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * Repeats a try with exponential backoff, bounded by attempts and a deadline: waits
 * {@code firstBackoffMs}, then twice that, and so on between tries; stops at the first success,
 * at a failure that is not {@link StoreException#retryable() retryable}, after {@code attempts}
 * tries, or when the next wait would end past the deadline. Each try gets the deadline. Timers run
 * on Vert.x; nothing blocks.
 */
public final class Retry {

  private final Vertx vertx;
  private final int attempts;
  private final long firstBackoffMs;

  /**
   * @param attempts tries at most, &gt;= 1
   * @param firstBackoffMs the first wait, milliseconds, &gt;= 0
   */
  public Retry(Vertx vertx, int attempts, long firstBackoffMs) {
    if (attempts < 1 || firstBackoffMs < 0) {
      throw new IllegalArgumentException("attempts >= 1 and backoff >= 0");
    }
    this.vertx = vertx;
    this.attempts = attempts;
    this.firstBackoffMs = firstBackoffMs;
  }

  /**
   * Runs {@code attempt} until it succeeds or the limits say stop.
   *
   * @return the first success, or the last failure; a failure that is not a
   *     {@link StoreException} ends the retries at once
   */
  public Future<Void> run(Function<Deadline, Future<Void>> attempt, Deadline deadline) {
    Promise<Void> result = Promise.promise();
    next(attempt, deadline, 1, firstBackoffMs, result);
    return result.future();
  }

  private void next(Function<Deadline, Future<Void>> attempt, Deadline deadline, int tried,
      long backoffMs, Promise<Void> result) {
    if (deadline.expired()) {
      result.fail(new StoreException("the store deadline passed", false));
      return;
    }
    Future<Void> once;
    try {
      once = attempt.apply(deadline);
    } catch (RuntimeException e) {
      once = Future.failedFuture(e);
    }
    once.onSuccess(result::complete).onFailure(e -> {
      boolean again = e instanceof StoreException s && s.retryable() && tried < attempts
          && deadline.remaining().toMillis() > backoffMs;
      if (!again) {
        result.fail(e);
        return;
      }
      vertx.setTimer(Math.max(1, backoffMs),
          id -> next(attempt, deadline, tried + 1, backoffMs * 2, result));
    });
  }
}
