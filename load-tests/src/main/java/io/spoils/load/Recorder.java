package io.spoils.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Collects the measured outcomes: latency histograms (microseconds, 3 significant digits), counts by
 * code, the server's stage timings, a per-second timeline and a bounded sample of points for the
 * latency-over-time chart. Not thread-safe: the driver calls it from its one Vert.x context.
 */
final class Recorder {

  /** Most points kept for the scatter chart; beyond it every other point is dropped. */
  static final int MAX_POINTS = 20_000;

  /** A sampled request: completion time (s since the measurement began), latency, outcome. */
  record Point(double atSeconds, double latencyMs, Outcome.Kind kind) { }

  /** One second of the timeline: counts by kind and the OK latency histogram. */
  static final class Second {
    long ok;
    long rejected;
    long errors;
    final Histogram latency = new Histogram(2);
  }

  private final long startNanos;
  final Histogram ok = new Histogram(3);
  final Histogram firstDisc = new Histogram(3);
  final Histogram rejected = new Histogram(3);
  final Histogram failed = new Histogram(3);
  final Map<String, Long> codes = new TreeMap<>();
  /** Server stage name to its wall times (µs), in pipeline order (the proto enum's). */
  final Map<String, Histogram> stages = new TreeMap<>(java.util.Comparator
      .comparingInt(Recorder::stageOrder).thenComparing(java.util.Comparator.naturalOrder()));
  final TreeMap<Integer, Second> timeline = new TreeMap<>();
  private final List<Point> points = new ArrayList<>();
  private int stride = 1;
  private long seen;
  private long lastNanos;

  /** @param startNanos when the measurement began ({@link System#nanoTime()}) */
  Recorder(long startNanos) {
    this.startNanos = startNanos;
    this.lastNanos = startNanos;
  }

  void record(Outcome o) {
    long now = System.nanoTime();
    lastNanos = Math.max(lastNanos, now);
    long micros = Math.max(1, o.latencyNanos() / 1000);
    codes.merge(o.code(), 1L, Long::sum);
    int sec = (int) ((now - startNanos) / 1_000_000_000L);
    Second s = timeline.computeIfAbsent(sec, k -> new Second());
    switch (o.kind()) {
      case OK -> {
        ok.recordValue(micros);
        s.ok++;
        s.latency.recordValue(micros);
        o.stagesMs().forEach((stage, ms) -> stages.computeIfAbsent(stage, k -> new Histogram(3))
            .recordValue(Math.max(1, Math.round(ms * 1000))));
      }
      case REJECTED -> {
        rejected.recordValue(micros);
        s.rejected++;
      }
      case ERROR -> {
        failed.recordValue(micros);
        s.errors++;
      }
    }
    if (o.firstDiscNanos() >= 0 && o.kind() == Outcome.Kind.OK) {
      firstDisc.recordValue(Math.max(1, o.firstDiscNanos() / 1000));
    }
    sample(new Point((now - startNanos) / 1e9, o.latencyNanos() / 1e6, o.kind()));
  }

  /** Keeps every stride-th point; when full, halves the points kept and doubles the stride. */
  private void sample(Point p) {
    if (seen++ % stride != 0) {
      return;
    }
    if (points.size() >= MAX_POINTS) {
      List<Point> half = new ArrayList<>(MAX_POINTS / 2 + 1);
      for (int i = 0; i < points.size(); i += 2) {
        half.add(points.get(i));
      }
      points.clear();
      points.addAll(half);
      stride *= 2;
    }
    points.add(p);
  }

  private static int stageOrder(String name) {
    try {
      return io.spoils.proto.v1.Stage.valueOf(name).getNumber();
    } catch (IllegalArgumentException e) {
      return Integer.MAX_VALUE;
    }
  }

  List<Point> points() {
    return List.copyOf(points);
  }

  /** Seconds from the start of the measurement to the last completion. */
  double elapsedSeconds() {
    return (lastNanos - startNanos) / 1e9;
  }

  long total() {
    return ok.getTotalCount() + rejected.getTotalCount() + failed.getTotalCount();
  }
}
