package io.spoils.gateway.output.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.OutputFixtures;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportWriterTest {

  private final AnalysisResult result = OutputFixtures.result();
  private final ClinicalReport report = ReportWriter.write(result);

  @Test
  void write_levelsCranialToCaudal_thoracicSummarisedFirst() {
    assertEquals(List.of("Thoracic", "L4-L5", "L5-S1"),
        report.levels().stream().map(ClinicalReport.LevelParagraph::level).toList());
  }

  @Test
  void write_levelLines_sayTheAnalysisValues() {
    String l5s1 = String.join("\n", report.levels().get(2).lines());
    assertTrue(l5s1.contains("Pfirrmann grade IV, severe severity (class 4H, probability 0.64)"),
        l5s1);
    assertTrue(l5s1.contains("Height: 7.3 mm mean (anterior 8.8 mm, central 8.0 mm, posterior "
        + "6.0 mm); height index 0.31."), l5s1);
    assertTrue(l5s1.contains("Signal: 0.22 of CSF, 0.90 of the adjacent vertebral bodies."), l5s1);
    assertTrue(l5s1.contains("Canal: AP diameter 9.5 mm."), l5s1);
    assertTrue(l5s1.contains("Stratum: surgical consultation. L5-S1 is 4H"), l5s1);
    assertTrue(l5s1.contains("(area 310 mm2 >= 300 mm2)."), "reasons in ASCII: " + l5s1);
  }

  @Test
  void write_valueNotMeasured_saysSo() {
    String l4l5 = String.join("\n", report.levels().get(1).lines());
    assertTrue(l4l5.contains("Canal: AP diameter not measured."), l4l5);
  }

  @Test
  void write_impression_namesWorstLevelDegeneratedLevelsAndStratum() {
    String impression = report.impressionText();
    assertTrue(impression.startsWith("1. Most degenerated disc: L5-S1, Pfirrmann grade IV, severe "
        + "severity (4H)."), impression);
    assertTrue(impression.contains("Pfirrmann grade III or above at L4-L5 (3M), L5-S1 (4H) "
        + "(2 discs graded)."), impression);
    assertTrue(impression.contains("Lowest disc height index: L5-S1 (0.31)."), impression);
    assertTrue(impression.contains("Narrowest spinal canal AP diameter: L5-S1 (9.5 mm)."),
        impression);
    assertTrue(impression.contains("Suggested treatment stratum: surgical consultation. Most "
        + "invasive stratum"), impression);
  }

  @Test
  void text_alwaysCarriesDecisionSupportStatementModelsAndWarnings() {
    String text = report.text();
    assertTrue(text.contains("Decision support for clinicians, not a diagnosis."), text);
    assertTrue(text.strip().endsWith(PipelineEvent.Summary.DISCLAIMER), text);
    assertTrue(text.contains("- spine_segmentation version 2 (segmentation, onnxruntime-cpu)"));
    assertTrue(text.contains("- disc-grading-trees version 2.0.0 (disc grading trees, xgboost)"));
    assertTrue(text.contains("WARNINGS\n- A test warning."), text);
    assertTrue(text.contains("Clinical scores: ODI 45 %, NRS 6/10."), text);
    assertTrue(text.contains("- Grade III: inhomogeneous grey disc"), text);
    assertTrue(text.chars().allMatch(c -> c < 128), "ASCII only");
  }

  @Test
  void write_worstDiscGradeTwo_noMostDegeneratedLine() {
    PipelineEvent.Summary s = result.summary();
    AnalysisResult mild = new AnalysisResult(result.accepted(), result.segmentation(),
        result.discs(), result.warnings(), new PipelineEvent.Summary(s.decision(), s.worstLevel(),
        Optional.of(io.spoils.feature.decision.DiscClass.P2L), s.scores(), s.timings(),
        s.models(), s.discsGraded()));
    assertFalse(ReportWriter.write(mild).impressionText().contains("Most degenerated"));
  }

  @Test
  void ascii_symbolsSpelledAccentsDropped() {
    assertEquals("3155 mm2 >= 2 um, e x 3 - ?", Wording.ascii("3155 mm\u00b2 \u2265 2 \u00b5m, "
        + "\u00e9 \u00d7 3 \u2013 \u4e2d"));
  }

  @Test
  void write_noScoresNoGradedDisc_saysImagingOnlyAndNoGrade() {
    List<PipelineEvent.Disc> thoracicOnly = new ArrayList<>(result.discs().subList(2, 3));
    PipelineEvent.Summary s = result.summary();
    AnalysisResult ungraded = new AnalysisResult(result.accepted(), result.segmentation(),
        thoracicOnly, List.of(), new PipelineEvent.Summary(s.decision(), Optional.empty(),
        Optional.empty(), Optional.empty(), s.timings(), s.models(), 0));
    String text = ReportWriter.write(ungraded).text();
    assertTrue(text.contains("No clinical scores given: imaging-only analysis."), text);
    assertTrue(text.contains("1. No lumbar disc could be graded."), text);
    assertFalse(text.contains("WARNINGS"), text);
    assertFalse(text.contains("PFIRRMANN GRADES"), text);
  }
}
