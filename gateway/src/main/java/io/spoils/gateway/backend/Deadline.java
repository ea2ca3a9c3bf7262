package io.spoils.gateway.backend;

import java.time.Duration;

/**
 * An absolute point in time on the JVM's monotonic clock ({@link System#nanoTime()}) by which a
 * request must be answered; immune to wall-clock changes. Only meaningful inside one JVM.
 *
 * @param nanoTime the {@code System.nanoTime()} value at which the deadline passes
 */
public record Deadline(long nanoTime) {

  /** The deadline {@code timeout} from now; {@code timeout} must not be negative. */
  public static Deadline after(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  /** Time left, zero once expired. */
  public Duration remaining() {
    long left = nanoTime - System.nanoTime();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /**
   * Whole milliseconds left, rounded up and at least 1: a timer set to it fires no earlier than
   * the deadline, so whoever it wakes finds {@link #expired()} true. (Rounding down let a gRPC
   * client's own timeout fire a fraction of a millisecond early and its cancellation read as a
   * dropped call instead of a passed deadline.)
   */
  public long timerMillis() {
    long left = nanoTime - System.nanoTime();
    return left <= 0 ? 1 : (left + 999_999) / 1_000_000;
  }

  /** Whether the deadline has passed (compared as a difference, so nanoTime overflow is harmless). */
  public boolean expired() {
    return nanoTime - System.nanoTime() <= 0;
  }
}
