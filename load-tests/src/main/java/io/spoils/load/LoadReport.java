package io.spoils.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The report of a run as JSON (schema {@value #SCHEMA}, documented in {@code load-tests/SCENARIOS.md};
 * every key is always present, times in milliseconds, absent statistics as 0 with count 0).
 */
final class LoadReport {

  /** Schema id written as the {@code schema} key; changes only with an incompatible change. */
  static final String SCHEMA = "spoils-load/v1";

  private final LoadOptions options;
  private final LoadDriver.Result result;

  LoadReport(LoadOptions options, LoadDriver.Result result) {
    this.options = options;
    this.result = result;
  }

  LoadOptions options() {
    return options;
  }

  LoadDriver.Result result() {
    return result;
  }

  Recorder recorder() {
    return result.recorder();
  }

  /** Completed OK per second of measured time. */
  double throughput() {
    double s = recorder().elapsedSeconds();
    return s > 0 ? recorder().ok.getTotalCount() / s : 0;
  }

  /** The report, keys in a fixed order. */
  JsonObject toJson() {
    Recorder r = recorder();
    JsonObject requests = new JsonObject().put("sent", result.sent()).put("completed", r.total())
        .put("ok", r.ok.getTotalCount()).put("rejected", r.rejected.getTotalCount())
        .put("errors", r.failed.getTotalCount()).put("inFlightAtEnd", result.inFlightAtEnd());
    JsonObject codes = new JsonObject();
    r.codes.forEach(codes::put);
    JsonObject errors = new JsonObject();
    r.codes.forEach((code, n) -> {
      if (!code.equals("OK") && Outcome.failed(code, 0, -1).kind() == Outcome.Kind.ERROR) {
        errors.put(code, n);
      }
    });
    JsonObject stages = new JsonObject();
    r.stages.forEach((stage, h) -> stages.put(stage, new JsonObject()
        .put("count", h.getTotalCount()).put("mean", round(h.getMean() / 1000))
        .put("p50", ms(h, 50)).put("p99", ms(h, 99))));
    return new JsonObject()
        .put("schema", SCHEMA)
        .put("target", options.target())
        .put("protocol", options.protocol().name().toLowerCase(java.util.Locale.ROOT))
        .put("model", options.open() ? "open" : "closed")
        .put("concurrency", options.concurrency())
        .put("rate", options.open() ? options.rate().getAsDouble() : null)
        .put("warmupSeconds", options.warmup().toMillis() / 1000.0)
        .put("startedAt", result.startedAt().toString())
        .put("elapsedSeconds", round(r.elapsedSeconds()))
        .put("interrupted", result.interrupted())
        .put("studies", new JsonArray(options.studies().stream().map(Study::name).toList()))
        .put("requests", requests)
        .put("throughputPerSecond", round(throughput()))
        .put("latencyMs", stats(r.ok))
        .put("firstDiscMs", stats(r.firstDisc))
        .put("rejectedLatencyMs", stats(r.rejected))
        .put("errorLatencyMs", stats(r.failed))
        .put("statusCodes", codes)
        .put("errorsByCode", errors)
        .put("serverStagesMs", stages)
        .put("timeline", timeline(r));
  }

  /** count, min, mean, p50, p90, p99, p999, max of a microsecond histogram, in ms. */
  static JsonObject stats(Histogram h) {
    boolean any = h.getTotalCount() > 0;
    return new JsonObject().put("count", h.getTotalCount())
        .put("min", any ? round(h.getMinValue() / 1000.0) : 0.0)
        .put("mean", any ? round(h.getMean() / 1000) : 0.0)
        .put("p50", ms(h, 50)).put("p90", ms(h, 90)).put("p99", ms(h, 99))
        .put("p999", ms(h, 99.9))
        .put("max", any ? round(h.getMaxValue() / 1000.0) : 0.0);
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() > 0 ? round(h.getValueAtPercentile(percentile) / 1000.0) : 0.0;
  }

  private static JsonArray timeline(Recorder r) {
    JsonArray out = new JsonArray();
    r.timeline.forEach((sec, s) -> out.add(new JsonObject().put("second", sec).put("ok", s.ok)
        .put("rejected", s.rejected).put("errors", s.errors)
        .put("p50", ms(s.latency, 50)).put("p99", ms(s.latency, 99))
        .put("max", s.latency.getTotalCount() > 0 ? round(s.latency.getMaxValue() / 1000.0) : 0.0)));
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** The report's keys, for documentation and tests. */
  static List<String> keys() {
    return List.of("schema", "target", "protocol", "model", "concurrency", "rate", "warmupSeconds",
        "startedAt", "elapsedSeconds", "interrupted", "studies", "requests", "throughputPerSecond",
        "latencyMs", "firstDiscMs", "rejectedLatencyMs", "errorLatencyMs", "statusCodes",
        "errorsByCode", "serverStagesMs", "timeline");
  }
}
