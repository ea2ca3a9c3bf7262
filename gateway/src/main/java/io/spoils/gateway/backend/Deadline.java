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

  /** Whether the deadline has passed (compared as a difference, so nanoTime overflow is harmless). */
  public boolean expired() {
    return nanoTime - System.nanoTime() <= 0;
  }
}
