package io.spoils.gateway.backend.triton;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TritonBackend} follows Triton's health ({@link TritonHealth}).
 *
 * <p>Start-up: the full check (ServerReady, then ModelReady and ModelMetadata of every model,
 * compared with the local repository) is retried after each failure, waiting
 * {@code retryInitial}, then twice as long each time up to {@code retryMax}, until it passes;
 * readiness is DOWN meanwhile. When it has not passed within {@code startupLimit}, start-up fails
 * for good ({@link TritonBackend#startup()}) and {@code serve} exits.
 *
 * <p>Afterwards: ServerReady and ModelReady every {@code period}, and at once after a call
 * failed with UNAVAILABLE or DEADLINE_EXCEEDED. A failed check (or an UNAVAILABLE call) turns
 * readiness DOWN; the checks then run with the same backoff, in full again, until one passes and
 * readiness is UP again.
 *
 * @param startupLimit how long start-up may take before it fails, positive
 * @param retryInitial wait after the first failed check, positive
 * @param retryMax longest wait between failed checks, &gt;= {@code retryInitial}
 * @param period time between checks while Triton is ready, positive
 * @param checkTimeout deadline of one check (all its calls together), positive
 */
public record TritonHealthOptions(Duration startupLimit, Duration retryInitial, Duration retryMax,
    Duration period, Duration checkTimeout) {

  /** Default start-up limit: 300 s, as long as Triton's own start-up probe allows it to load. */
  public static final Duration DEFAULT_STARTUP_LIMIT = Duration.ofSeconds(300);
  /** Default first retry wait: 0.5 s. */
  public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(500);
  /** Default longest retry wait: 10 s. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(10);
  /** Default period of the checks while ready: 5 s. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);
  /** Default deadline of one check: 5 s. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(5);

  public TritonHealthOptions {
    positive("startupLimit", startupLimit);
    positive("retryInitial", retryInitial);
    positive("retryMax", retryMax);
    positive("period", period);
    positive("checkTimeout", checkTimeout);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException("the longest retry wait (" + retryMax
          + ") is shorter than the first (" + retryInitial + ")");
    }
  }

  /** The defaults above. */
  public static TritonHealthOptions defaults() {
    return new TritonHealthOptions(DEFAULT_STARTUP_LIMIT, DEFAULT_RETRY_INITIAL,
        DEFAULT_RETRY_MAX, DEFAULT_PERIOD, DEFAULT_CHECK_TIMEOUT);
  }

  /** These options with start-up failing after {@code value}. */
  public TritonHealthOptions withStartupLimit(Duration value) {
    return new TritonHealthOptions(value, retryInitial, retryMax, period, checkTimeout);
  }

  /** The wait after {@code failures} consecutive failed checks (1 or more). */
  Duration backoff(int failures) {
    Duration wait = retryInitial;
    for (int i = 1; i < failures && wait.compareTo(retryMax) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(retryMax) < 0 ? wait : retryMax;
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Triton health " + name + " must be positive, got " + d);
    }
  }
}
