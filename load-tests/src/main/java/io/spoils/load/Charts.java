package io.spoils.load;

import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The report's two charts on one {@link Canvas} of {@value #WIDTH} x {@value #HEIGHT} px: latency
 * over time (each sampled request as a dot, the per-second p99 of OK requests as a line) and the
 * latency histogram (OK and rejected requests, p50 and p99 marked).
 */
final class Charts {

  static final int WIDTH = 960;
  static final int HEIGHT = 720;
  static final int BINS = 50;
  static final Color OK = new Color(31, 119, 180, 140);
  static final Color REJECTED = new Color(255, 127, 14, 170);
  static final Color ERROR = new Color(214, 39, 40, 200);
  static final Color P99 = new Color(20, 20, 20);
  static final Color AXIS = new Color(90, 90, 90);
  static final Color GRID = new Color(225, 225, 225);

  /** A plot area in canvas pixels and the data range it shows. */
  private record Frame(double left, double top, double width, double height, double xMax,
      double yMax) {
    double x(double v) {
      return left + width * Math.min(v, xMax) / xMax;
    }

    double y(double v) {
      return top + height - height * Math.min(v, yMax) / yMax;
    }
  }

  private Charts() {
  }

  static void draw(Canvas c, LoadReport report) {
    Recorder r = report.recorder();
    LoadOptions o = report.options();
    c.text(WIDTH / 2.0, 24, String.format(Locale.ROOT, "SPOILS load: %s %s, %s, concurrency %d, "
        + "%.1f studies/s, p99 %.1f ms", o.protocol().name().toLowerCase(Locale.ROOT), o.target(),
        o.open() ? "rate " + o.rate().getAsDouble() + "/s" : "closed", o.concurrency(),
        report.throughput(), LoadReport.ms(r.ok, 99)), 15, Color.BLACK, Canvas.Anchor.MIDDLE);
    overTime(c, r);
    histogram(c, r);
  }

  private static void overTime(Canvas c, Recorder r) {
    List<Recorder.Point> points = r.points();
    double xMax = Math.max(1, r.elapsedSeconds());
    double yMax = 1;
    for (Recorder.Point p : points) {
      yMax = Math.max(yMax, p.latencyMs());
    }
    Frame f = new Frame(70, 60, WIDTH - 100, 250, nice(xMax), nice(yMax * 1.05));
    axes(c, f, "Latency over time (dots: sampled requests; line: p99 per second)",
        "time since start of measurement (s)", "latency (ms)");
    for (Recorder.Point p : points) {
      Color color = p.kind() == Outcome.Kind.OK ? OK
          : p.kind() == Outcome.Kind.REJECTED ? REJECTED : ERROR;
      c.dot(f.x(p.atSeconds()), f.y(p.latencyMs()), 2, color);
    }
    var seconds = r.timeline.entrySet().stream()
        .filter(e -> e.getValue().latency.getTotalCount() > 0).toList();
    double[] xs = new double[seconds.size()];
    double[] ys = new double[seconds.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = f.x(seconds.get(i).getKey() + 0.5);
      ys[i] = f.y(LoadReport.ms(seconds.get(i).getValue().latency, 99));
    }
    c.polyline(xs, ys, P99, 1.5);
  }

  private static void histogram(Canvas c, Recorder r) {
    double hi = Math.max(LoadReport.ms(r.ok, 99.9), LoadReport.ms(r.rejected, 99.9));
    double xMax = nice(Math.max(1, hi * 1.1));
    long[] ok = bins(r.ok, xMax);
    long[] rejected = bins(r.rejected, xMax);
    long top = 1;
    for (int i = 0; i < BINS; i++) {
      top = Math.max(top, Math.max(ok[i], rejected[i]));
    }
    Frame f = new Frame(70, 400, WIDTH - 100, 250, xMax, nice(top * 1.05));
    axes(c, f, "Latency histogram (blue: OK, orange: rejected; last bin holds the tail)",
        "latency (ms)", "requests");
    double w = f.width() / BINS;
    for (int i = 0; i < BINS; i++) {
      c.rect(f.left() + i * w + 1, f.y(ok[i]), w - 2, f.top() + f.height() - f.y(ok[i]), OK);
      c.rect(f.left() + i * w + 1, f.y(rejected[i]), w - 2,
          f.top() + f.height() - f.y(rejected[i]), REJECTED);
    }
    if (r.ok.getTotalCount() > 0) {
      for (double pct : new double[] {50, 99}) {
        double x = f.x(LoadReport.ms(r.ok, pct));
        c.line(x, f.top(), x, f.top() + f.height(), P99, 1);
        c.text(x + 3, f.top() + 12, String.format(Locale.ROOT, "p%.0f %.1f ms", pct,
            LoadReport.ms(r.ok, pct)), 11, P99, Canvas.Anchor.START);
      }
    }
  }

  /** Counts of a microsecond histogram in {@value #BINS} equal bins over 0..xMaxMs. */
  static long[] bins(Histogram h, double xMaxMs) {
    long[] out = new long[BINS];
    for (HistogramIterationValue v : h.recordedValues()) {
      double ms = h.medianEquivalentValue(v.getValueIteratedTo()) / 1000.0;
      int bin = (int) Math.min(BINS - 1, Math.floor(ms / xMaxMs * BINS));
      out[bin] += v.getCountAtValueIteratedTo();
    }
    return out;
  }

  private static void axes(Canvas c, Frame f, String title, String xLabel, String yLabel) {
    c.text(f.left(), f.top() - 10, title, 13, Color.BLACK, Canvas.Anchor.START);
    for (int i = 0; i <= 5; i++) {
      double yv = f.yMax() * i / 5;
      double y = f.y(yv);
      c.line(f.left(), y, f.left() + f.width(), y, GRID, 1);
      c.text(f.left() - 6, y + 4, label(yv), 11, AXIS, Canvas.Anchor.END);
      double xv = f.xMax() * i / 5;
      c.text(f.x(xv), f.top() + f.height() + 16, label(xv), 11, AXIS, Canvas.Anchor.MIDDLE);
    }
    c.line(f.left(), f.top() + f.height(), f.left() + f.width(), f.top() + f.height(), AXIS, 1);
    c.line(f.left(), f.top(), f.left(), f.top() + f.height(), AXIS, 1);
    c.text(f.left() + f.width() / 2, f.top() + f.height() + 34, xLabel, 12, AXIS,
        Canvas.Anchor.MIDDLE);
    c.text(f.left() + 4, f.top() + 12, yLabel, 11, AXIS, Canvas.Anchor.START);
  }

  private static String label(double v) {
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  /** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) &gt;= v. */
  static double nice(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
