package io.spoils.gateway.pipeline;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.dicom.StudyAssembler;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.trees.DiscFeatures;
import io.spoils.feature.trees.TreeGrade;
import io.spoils.feature.trees.TreeGrader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which discs of a study are graded, and by which graders. Pure and thread-safe.
 *
 * <ul>
 *   <li>Pfirrmann is a T2 grade: when the measured series is not T2-weighted by its echo and
 *       repetition times ({@link StudyAssembler#isT2Weighted}: a T1-only study, or one whose
 *       files give no timing), every disc is segmented and measured but none is graded, and one
 *       {@value #NOT_GRADED_T1_ONLY} warning says so. A study with T1 and T2 series is measured
 *       and graded on the T2 series (the decoder prefers it).
 *   <li>Thoracic discs are never graded.
 *   <li>The trees see only complete discs ({@link DiscFeatures#complete}): a disc with an
 *       unmeasured feature (a {@code DISC_PARTIAL} disc, a missing neighbour) is graded by the
 *       CNN alone, with a {@value #GRADED_BY_CNN_ONLY} warning naming the missing features. NaN
 *       never reaches the trees.
 * </ul>
 */
final class GradingGate {

  /** Warning code: the study has no T2-weighted sagittal series, so nothing is graded. */
  static final String NOT_GRADED_T1_ONLY = "NOT_GRADED_T1_ONLY";
  /** Warning code: a disc graded by the CNN alone because a tree feature is unmeasured. */
  static final String GRADED_BY_CNN_ONLY = "GRADED_BY_CNN_ONLY";

  private final boolean t2Weighted;

  private GradingGate(boolean t2Weighted) {
    this.t2Weighted = t2Weighted;
  }

  /** The gate for the series the decoder chose. */
  static GradingGate of(PipelineEvent.SeriesSummary series) {
    return new GradingGate(series.t2Weighted());
  }

  /** The study-level warning when nothing will be graded. */
  Optional<PipelineEvent.Warning> sequenceWarning() {
    if (t2Weighted) {
      return Optional.empty();
    }
    return Optional.of(new PipelineEvent.Warning(NOT_GRADED_T1_ONLY, "No sagittal series is "
        + "T2-weighted by its echo and repetition times (TE >= "
        + (int) StudyAssembler.T2_MIN_ECHO_TIME_MS + " ms, TR >= "
        + (int) StudyAssembler.T2_MIN_REPETITION_TIME_MS + " ms): a T1-only study, or files "
        + "without these times. Pfirrmann is a T2 grade, so the discs were segmented and "
        + "measured but not graded; send the sagittal T2 series to have them graded.",
        Optional.empty()));
  }

  /** Whether {@code disc} is graded at all (by the CNN, and by the trees when complete). */
  boolean grades(DiscGeometry disc) {
    return t2Weighted && disc.level() != DiscLevel.THORACIC;
  }

  /**
   * The trees' grades of {@code discs} in input order, null for a disc the trees do not grade
   * (not complete). The trees are called once, with the complete discs only.
   */
  static List<TreeGrade> treeGrades(TreeGrader trees, List<DiscGeometry> discs) {
    List<DiscGeometry> complete = discs.stream().filter(DiscFeatures::complete).toList();
    List<TreeGrade> graded = complete.isEmpty() ? List.of() : trees.gradeAll(complete);
    List<TreeGrade> out = new ArrayList<>(discs.size());
    int k = 0;
    for (DiscGeometry d : discs) {
      out.add(DiscFeatures.complete(d) ? graded.get(k++) : null);
    }
    return out;
  }

  /** The warning for a disc graded by the CNN alone. */
  static PipelineEvent.Warning cnnOnly(DiscGeometry disc) {
    return new PipelineEvent.Warning(GRADED_BY_CNN_ONLY, "Disc " + disc.level().displayName()
        + " was graded by the CNN alone: the trees need every geometry feature, and "
        + String.join(", ", DiscFeatures.missing(disc)) + " could not be measured (a disc only "
        + "partly seen, or a missing neighbour).", Optional.of(disc.level()));
  }
}
