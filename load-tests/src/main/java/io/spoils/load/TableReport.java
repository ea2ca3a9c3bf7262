package io.spoils.load;

import java.util.Locale;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The human-readable summary printed at the end of a run (in the manner of ghz and k6). */
final class TableReport {

  private TableReport() {
  }

  static String render(LoadReport report) {
    LoadOptions o = report.options();
    Recorder r = report.recorder();
    LoadDriver.Result res = report.result();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "SPOILS load test: %s %s, %s, concurrency %d%s%n",
        o.protocol().name().toLowerCase(Locale.ROOT), o.target(),
        o.open() ? "open model" : "closed model", o.concurrency(),
        o.open() ? String.format(Locale.ROOT, ", rate %.1f/s", o.rate().getAsDouble()) : ""));
    b.append(String.format(Locale.ROOT, "Measured:    %.2f s (after %.1f s warm-up)%s%n",
        r.elapsedSeconds(), o.warmup().toMillis() / 1000.0,
        res.interrupted() ? "  INTERRUPTED: partial report, " + res.inFlightAtEnd()
            + " request(s) still in flight" : ""));
    b.append(String.format(Locale.ROOT, "Requests:    sent %d, ok %d, rejected %d, errors %d%n",
        res.sent(), r.ok.getTotalCount(), r.rejected.getTotalCount(), r.failed.getTotalCount()));
    b.append(String.format(Locale.ROOT, "Throughput:  %.2f studies/s%n", report.throughput()));
    b.append(String.format(Locale.ROOT, "%nLatency (ms)  %8s %9s %9s %9s %9s %9s %9s%n", "count",
        "mean", "p50", "p90", "p99", "p99.9", "max"));
    row(b, "ok", r.ok);
    row(b, "first disc", r.firstDisc);
    row(b, "rejected", r.rejected);
    row(b, "errors", r.failed);
    b.append(String.format(Locale.ROOT, "%nStatus codes: %s%n", r.codes.isEmpty() ? "none"
        : r.codes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "))));
    if (!r.stages.isEmpty()) {
      b.append(String.format(Locale.ROOT, "%nServer stages (ms) %8s %9s %9s %9s%n", "count", "mean",
          "p50", "p99"));
      r.stages.forEach((stage, h) -> b.append(String.format(Locale.ROOT,
          "  %-16s %8d %9.2f %9.2f %9.2f%n", stage.replace("STAGE_", "").toLowerCase(Locale.ROOT),
          h.getTotalCount(), h.getMean() / 1000, LoadReport.ms(h, 50), LoadReport.ms(h, 99))));
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Histogram h) {
    b.append(String.format(Locale.ROOT, "  %-11s %8d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n", name,
        h.getTotalCount(), h.getTotalCount() > 0 ? h.getMean() / 1000 : 0.0, LoadReport.ms(h, 50),
        LoadReport.ms(h, 90), LoadReport.ms(h, 99), LoadReport.ms(h, 99.9),
        h.getTotalCount() > 0 ? h.getMaxValue() / 1000.0 : 0.0));
  }
}
