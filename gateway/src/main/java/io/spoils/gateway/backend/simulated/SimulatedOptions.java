package io.spoils.gateway.backend.simulated;

/**
 * How the simulated backend answers.
 *
 * @param latencyMs fixed time from a call to its answer, milliseconds, &gt;= 0 (default
 *     {@value #DEFAULT_LATENCY_MS}); 0 answers at once
 * @param jitterMs a uniformly random extra of 0 to this many milliseconds added to each call,
 *     &gt;= 0 (default 0)
 * @param segmentationMaxBatch max_batch_size of the simulated {@code spine_segmentation}, &gt;= 1
 *     (default {@value #DEFAULT_SEGMENTATION_MAX_BATCH}, as its config.pbtxt)
 * @param gradingMaxBatch max_batch_size of the simulated {@code disc_grading}, &gt;= 1 (default
 *     {@value #DEFAULT_GRADING_MAX_BATCH}, as its config.pbtxt)
 */
public record SimulatedOptions(double latencyMs, double jitterMs, int segmentationMaxBatch,
    int gradingMaxBatch) {

  public static final double DEFAULT_LATENCY_MS = 20;
  public static final int DEFAULT_SEGMENTATION_MAX_BATCH = 4;
  public static final int DEFAULT_GRADING_MAX_BATCH = 16;

  public SimulatedOptions {
    if (!(latencyMs >= 0) || !Double.isFinite(latencyMs)) {
      throw new IllegalArgumentException("latencyMs must be >= 0, got " + latencyMs);
    }
    if (!(jitterMs >= 0) || !Double.isFinite(jitterMs)) {
      throw new IllegalArgumentException("jitterMs must be >= 0, got " + jitterMs);
    }
    if (segmentationMaxBatch < 1 || gradingMaxBatch < 1) {
      throw new IllegalArgumentException("max batch sizes must be >= 1");
    }
  }

  /** The given latency and jitter with the contract's batch sizes. */
  public static SimulatedOptions of(double latencyMs, double jitterMs) {
    return new SimulatedOptions(latencyMs, jitterMs, DEFAULT_SEGMENTATION_MAX_BATCH,
        DEFAULT_GRADING_MAX_BATCH);
  }

  /** {@value #DEFAULT_LATENCY_MS} ms, no jitter, the contract's batch sizes. */
  public static SimulatedOptions defaults() {
    return of(DEFAULT_LATENCY_MS, 0);
  }

  /** Latency of one call in nanoseconds: the fixed part plus a jitter drawn from {@code u} in [0, 1). */
  long delayNanos(double u) {
    return Math.round((latencyMs + jitterMs * u) * 1_000_000.0);
  }
}
