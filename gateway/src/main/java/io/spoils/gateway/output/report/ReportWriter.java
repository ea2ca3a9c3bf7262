package io.spoils.gateway.output.report;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Writes the per-level report of an analysis ({@link ClinicalReport}) in the style of automated
 * spine reports: for each level from cranial to caudal the Pfirrmann grade, severity, disc height
 * and height index, signal, spinal canal diameter, the stratum and its reason; then an impression
 * and the models' versions. Every sentence is generated from the analysis' values; nothing is
 * interpreted beyond them (no thresholds the pipeline did not apply). Pure and thread-safe.
 */
public final class ReportWriter {

  private ReportWriter() {
  }

  /** The report of {@code result}. */
  public static ClinicalReport write(AnalysisResult result) {
    List<ClinicalReport.LevelParagraph> levels = new ArrayList<>();
    List<PipelineEvent.Disc> cranialFirst = new ArrayList<>(result.discs());
    Collections.reverse(cranialFirst);
    long thoracic = cranialFirst.stream().filter(d -> d.level() == DiscLevel.THORACIC).count();
    if (thoracic > 0) {
      levels.add(new ClinicalReport.LevelParagraph("Thoracic", List.of(thoracic + " disc(s) above "
          + "T12-L1 measured, not graded (outside the graded lumbar levels).")));
    }
    for (PipelineEvent.Disc d : cranialFirst) {
      if (d.level() != DiscLevel.THORACIC) {
        levels.add(new ClinicalReport.LevelParagraph(d.level().displayName(), level(d)));
      }
    }
    List<String> definitions = result.gradedDiscs().stream()
        .map(d -> d.ensemble().get().discClass().pfirrmann()).distinct().sorted()
        .map(g -> "Grade " + Wording.roman(g) + ": " + Wording.pfirrmannDefinition(g) + ".")
        .toList();
    return new ClinicalReport(technique(result), levels, impression(result), definitions,
        result.warnings().stream().map(w -> Wording.ascii(w.message())).toList(),
        result.summary().models().stream().map(ReportWriter::model).toList(),
        PipelineEvent.Summary.DISCLAIMER);
  }

  private static String technique(AnalysisResult r) {
    PipelineEvent.SeriesSummary s = r.accepted().series();
    PipelineEvent.MeasuredSlice m = r.segmentation().measuredSlice();
    String plane = s.orientation().name().toLowerCase(Locale.ROOT);
    String scores = r.summary().scores().map(c -> "Clinical scores: " + c.describe() + ".")
        .orElse("No clinical scores given: imaging-only analysis.");
    return String.format(Locale.ROOT, "MR, %s series of %d slice(s), %s; pixel spacing %.2f x "
        + "%.2f mm. Measured slice %d%s: %s %s", plane, s.sliceCount(), s.t2Weighted()
        ? "T2-weighted" : "not T2-weighted by echo and repetition time", s.rowSpacingMm(),
        s.columnSpacingMm(), m.index() + 1, m.sourceLabel(), sentence(m.reason()), scores);
  }

  /** One level's findings, one line per aspect. */
  static List<String> level(PipelineEvent.Disc d) {
    DiscGeometry g = d.geometry();
    List<String> lines = new ArrayList<>();
    if (d.ensemble().isPresent()) {
      DiscClass c = d.ensemble().get().discClass();
      lines.add(String.format(Locale.ROOT, "Disc: Pfirrmann grade %s, %s severity (class %s, "
          + "probability %.2f).", Wording.roman(c.pfirrmann()), Wording.severity(c.severity()),
          c.label(), d.ensemble().get().confidence()));
    } else {
      lines.add("Disc: not graded.");
    }
    lines.add("Height: " + Wording.number(g.averageHeightMm(), 1, "mm") + " mean (anterior "
        + Wording.number(g.anteriorHeightMm(), 1, "mm") + ", central "
        + Wording.number(g.centralHeightMm(), 1, "mm") + ", posterior "
        + Wording.number(g.posteriorHeightMm(), 1, "mm") + "); height index "
        + Wording.number(g.heightIndex(), 2, "") + ".");
    lines.add("Signal: " + Wording.number(g.signalRatioToCsf(), 2, "") + " of CSF, "
        + Wording.number(g.signalRatioToVertebra(), 2, "") + " of the adjacent vertebral bodies.");
    lines.add("Canal: AP diameter " + Wording.number(g.canalApDiameterMm(), 1, "mm") + ".");
    if (d.volumeSlices() > 0 && Double.isFinite(g.volumeMm3())) {
      lines.add("Volume: " + Wording.number(g.volumeMm3(), 0, "mm3") + " over "
          + d.volumeSlices() + " slices.");
    }
    lines.add("Stratum: " + Wording.stratum(d.decision().stratum()) + ". "
        + sentence(d.decision().reason()));
    return lines;
  }

  private static List<String> impression(AnalysisResult r) {
    List<String> lines = new ArrayList<>();
    List<PipelineEvent.Disc> graded = r.gradedDiscs();
    PipelineEvent.Summary s = r.summary();
    if (graded.isEmpty()) {
      lines.add("No lumbar disc could be graded.");
    } else {
      // a disc of grade I or II is not called degenerated
      s.worstLevel().filter(l -> s.worstClass().get().pfirrmann() >= 3)
          .ifPresent(l -> lines.add("Most degenerated disc: " + l.displayName()
          + ", Pfirrmann grade " + Wording.roman(s.worstClass().get().pfirrmann()) + ", "
          + Wording.severity(s.worstClass().get().severity()) + " severity ("
          + s.worstClass().get().label() + ")."));
      List<String> degenerated = graded.stream().filter(d -> cls(d).pfirrmann() >= 3)
          .sorted(Comparator.comparing((PipelineEvent.Disc d) -> d.level().ordinal()))
          .map(d -> d.level().displayName() + " (" + cls(d).label() + ")").toList();
      lines.add(degenerated.isEmpty() ? "No lumbar disc graded above Pfirrmann grade II ("
          + graded.size() + " graded)." : "Pfirrmann grade III or above at " + String.join(", ",
          degenerated) + " (" + graded.size() + " discs graded).");
      lowest(graded, "Lowest disc height index", d -> d.geometry().heightIndex(), 2, "")
          .ifPresent(lines::add);
      lowest(graded, "Narrowest spinal canal AP diameter", d -> d.geometry().canalApDiameterMm(),
          1, "mm").ifPresent(lines::add);
    }
    lines.add("Suggested treatment stratum: " + Wording.stratum(s.decision().stratum()) + ". "
        + sentence(s.decision().reason()));
    List<String> discordant = r.discs().stream().filter(d -> d.decision().discordant())
        .sorted(Comparator.comparing((PipelineEvent.Disc d) -> d.level().ordinal()))
        .map(d -> d.level().displayName()).toList();
    if (!discordant.isEmpty()) {
      lines.add("Clinical-imaging discordance at " + String.join(", ", discordant)
          + ": the clinical scores are not explained by the imaging; clinician review advised.");
    }
    if (!r.warnings().isEmpty()) {
      lines.add(r.warnings().size() + " warning(s) about the analysis, listed below.");
    }
    return lines;
  }

  private static Optional<String> lowest(List<PipelineEvent.Disc> discs, String what,
      ToDoubleFunction<PipelineEvent.Disc> value, int decimals, String unit) {
    return discs.stream().filter(d -> Double.isFinite(value.applyAsDouble(d)))
        .min(Comparator.comparingDouble(value))
        .map(d -> what + ": " + d.level().displayName() + " ("
            + Wording.number(value.applyAsDouble(d), decimals, unit) + ").");
  }

  private static DiscClass cls(PipelineEvent.Disc d) {
    return d.ensemble().orElseThrow().discClass();
  }

  private static String model(ModelUse m) {
    return m.name() + " version " + m.version() + " ("
        + m.role().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", " + m.backend() + ")";
  }

  /** The text in ASCII, ending with one full stop. */
  private static String sentence(String text) {
    String t = Wording.ascii(text).strip();
    return t.endsWith(".") ? t : t + ".";
  }
}
