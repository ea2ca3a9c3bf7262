package io.spoils.gateway.cli;

import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.TreatmentStratum;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.List;
import java.util.Locale;

/** The readable report of {@code spoils analyze --format table}. */
final class AnalysisTable {

  private static final String NL = System.lineSeparator();

  private AnalysisTable() {
  }

  static String render(List<PipelineEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Accepted a) {
        var s = a.series();
        sb.append(String.format(Locale.ROOT, "study: %d file(s), %d image(s), %d series; analysed "
            + "%s series of %d slice(s), slice %d, %dx%d px at %.4fx%.4f mm%s%n",
            a.filesReceived(), a.imagesRead(), a.seriesFound(),
            s.orientation().name().toLowerCase(Locale.ROOT), s.sliceCount(), s.midSliceIndex(),
            s.columns(), s.rows(), s.rowSpacingMm(), s.columnSpacingMm(),
            s.t2Weighted() ? "" : " (not T2-weighted by TE/TR)"));
      } else if (e instanceof PipelineEvent.Segmentation s) {
        var m = s.measuredSlice();
        sb.append(String.format(Locale.ROOT, "measured slice: %d%s: %s%n", m.index(),
            m.sourceLabel(), m.reason()));
      }
    }
    boolean volumes = events.stream().anyMatch(e -> e instanceof PipelineEvent.Disc d
        && d.volumeSlices() > 0);
    sb.append(NL).append(String.format(Locale.ROOT,
        "%-8s %-5s %-4s %-8s %5s %-9s %-9s %6s %6s %5s %6s %s %s%n", "disc", "class", "Pf",
        "severity", "conf", "CNN", "trees", "avgH", "avgW", "DHI", "s/CSF",
        volumes ? String.format(Locale.ROOT, "%8s %3s ", "vol", "sl") : "", "stratum"));
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Disc d) {
        sb.append(discRow(d, volumes));
      }
    }
    sb.append("(conf = ensemble probability of the class; CNN/trees = each model's top class and "
        + "probability; lengths mm; DHI = disc height index; s/CSF = disc/CSF signal"
        + (volumes ? "; vol = disc volume mm³ over sl slices" : "") + ")").append(NL);
    String warnings = warnings(events);
    if (!warnings.isEmpty()) {
      sb.append(NL).append(warnings);
    }
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Summary s) {
        summary(sb, s);
      }
    }
    return sb.toString();
  }

  private static String discRow(PipelineEvent.Disc d, boolean volumes) {
    DiscGeometry g = d.geometry();
    String cls = "-";
    String pf = "-";
    String sev = "-";
    String conf = "-";
    if (d.ensemble().isPresent()) {
      DiscClass c = d.ensemble().get().discClass();
      cls = c.label();
      pf = Integer.toString(c.pfirrmann());
      sev = c.severity().name().toLowerCase(Locale.ROOT);
      conf = String.format(Locale.ROOT, "%.2f", d.ensemble().get().confidence());
    }
    String cnn = d.cnn().map(AnalysisTable::top).orElse("-");
    String trees = d.trees().map(t -> t.predicted().label() + String.format(Locale.ROOT, " %.2f",
        t.confidence())).orElse("-");
    String volume = !volumes ? "" : String.format(Locale.ROOT, "%8s %3s ",
        num(g.volumeMm3(), 0), d.volumeSlices() > 0 ? Integer.toString(d.volumeSlices()) : "-");
    return String.format(Locale.ROOT, "%-8s %-5s %-4s %-8s %5s %-9s %-9s %6s %6s %5s %6s %s %s%n",
        g.level().displayName(), cls, pf, sev, conf, cnn, trees, num(g.averageHeightMm(), 1),
        num(g.averageWidthMm(), 1), num(g.heightIndex(), 2), num(g.signalRatioToCsf(), 2), volume,
        stratum(d.decision().stratum()));
  }

  private static void summary(StringBuilder sb, PipelineEvent.Summary s) {
    sb.append(NL).append("study stratum: ").append(stratum(s.decision().stratum())).append(NL)
        .append("reason: ").append(s.decision().reason()).append(NL);
    s.worstLevel().ifPresent(l -> sb.append("worst graded disc: ").append(l.displayName())
        .append(" (").append(s.worstClass().get().label()).append(")").append(NL));
    sb.append("discs graded: ").append(s.discsGraded()).append(NL);
    sb.append(NL).append("models:").append(NL);
    for (ModelUse m : s.models()) {
      sb.append(String.format(Locale.ROOT, "  %-22s %-10s %-20s %s%n", m.name(), m.version(),
          m.role().name().toLowerCase(Locale.ROOT), m.backend()));
    }
    sb.append("timings (ms):");
    s.timings().forEach((stage, d) -> sb.append(String.format(Locale.ROOT, " %s %.1f",
        stage.name().toLowerCase(Locale.ROOT), d.toNanos() / 1e6)));
    sb.append(NL).append(NL).append(PipelineEvent.Summary.DISCLAIMER).append(NL);
  }

  static String warnings(List<PipelineEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Warning w) {
        sb.append("warning ").append(w.code()).append(": ").append(w.message()).append(NL);
      }
    }
    return sb.toString();
  }

  private static String top(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return DiscClass.ofIndex(best).label() + String.format(Locale.ROOT, " %.2f", p[best]);
  }

  private static String num(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
  }

  private static String stratum(TreatmentStratum s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
