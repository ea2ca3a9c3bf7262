package io.spoils.load;

import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.StageTiming;
import java.util.LinkedHashMap;
import java.util.Map;

/** Follows one answer's events: when the first disc came, and the summary's stage timings. */
final class EventProbe {

  private final long startNanos;
  private long firstDiscNanos = -1;
  private Map<String, Double> stages;

  EventProbe(long startNanos) {
    this.startNanos = startNanos;
  }

  /** Notes a disc event now. */
  void disc() {
    if (firstDiscNanos < 0) {
      firstDiscNanos = System.nanoTime() - startNanos;
    }
  }

  void event(AnalysisEvent e) {
    if (e.hasDisc()) {
      disc();
    } else if (e.hasSummary()) {
      summary(e);
    }
  }

  void summary(AnalysisEvent e) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (StageTiming t : e.getSummary().getTimingsList()) {
      out.put(t.getStage().name(), t.getDurationMs());
    }
    stages = out;
  }

  /** OK when a summary came, else {@code NO_SUMMARY}. */
  Outcome ok() {
    long latency = System.nanoTime() - startNanos;
    return stages == null ? Outcome.failed("NO_SUMMARY", latency, firstDiscNanos)
        : new Outcome("OK", Outcome.Kind.OK, latency, firstDiscNanos, stages);
  }

  Outcome failed(String code) {
    return Outcome.failed(code, System.nanoTime() - startNanos, firstDiscNanos);
  }
}
