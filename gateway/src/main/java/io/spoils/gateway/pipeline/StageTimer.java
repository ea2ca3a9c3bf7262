package io.spoils.gateway.pipeline;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Wall time per {@link Stage} of one analysis, on the monotonic clock. Thread-safe: stages run on
 * worker threads and the event loop. A stage measured several times (CNN batches, per-disc
 * decisions) accumulates.
 */
final class StageTimer {

  private final long startNanos = System.nanoTime();
  private final long[] nanos = new long[Stage.values().length];

  /** When the analysis started ({@link System#nanoTime()}). */
  long startNanos() {
    return startNanos;
  }

  synchronized void add(Stage stage, long durationNanos) {
    nanos[stage.ordinal()] += Math.max(0, durationNanos);
  }

  /** Every stage in order; TOTAL is the time since construction. */
  synchronized Map<Stage, Duration> snapshot() {
    Map<Stage, Duration> out = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      out.put(s, Duration.ofNanos(nanos[s.ordinal()]));
    }
    out.put(Stage.TOTAL, Duration.ofNanos(System.nanoTime() - startNanos));
    return out;
  }
}
