package io.spoils.gateway.pipeline;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.DiscDecision;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.decision.GradeEnsemble;
import io.spoils.feature.decision.LevelGrade;
import io.spoils.feature.decision.StudyDecision;
import io.spoils.feature.decision.TreatmentRule;
import io.spoils.feature.geometry.DiscGeometry;
import java.util.List;
import java.util.Optional;

/**
 * The DECISION stage for one study: ensemble per disc ({@link GradeEnsemble}, mean of CNN and
 * trees), stratum per disc and per study ({@link TreatmentRule}).
 *
 * <p>Imaging-only analyses (no ODI/NRS): the rule is evaluated with scores that are not high (ODI 0,
 * NRS 0), so no surgical consultation is suggested, and every reason names the analysis as
 * imaging-only instead of quoting invented scores.
 */
final class Decider {

  /** What the reasons say instead of the scores in an imaging-only analysis. */
  static final String NO_SCORES = "no clinical scores (imaging only)";
  /** What the reasons say instead of "ODI .., NRS .. is not high" in an imaging-only analysis. */
  static final String NO_SCORES_NOT_HIGH = "no clinical scores were given (imaging only), so they "
      + "count as not high";

  private final TreatmentRule rule;
  private final Optional<ClinicalScores> scores;
  private final ClinicalScores effective;

  Decider(TreatmentRule rule, Optional<ClinicalScores> scores) {
    this.rule = rule;
    this.scores = scores;
    this.effective = scores.orElse(new ClinicalScores(0, 0));
  }

  /**
   * The ensemble of one disc's model outputs.
   *
   * @throws IllegalStateException when a model's probabilities are not a distribution (a model
   *     fault, not bad input)
   */
  static EnsembleGrade ensemble(float[] cnn, double[] trees) {
    double[] c = new double[cnn.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = cnn[i];
    }
    try {
      return GradeEnsemble.combine(c, trees).orElseThrow();
    } catch (InvalidInputException e) {
      throw new IllegalStateException("a grading model returned invalid probabilities: "
          + e.getMessage(), e);
    }
  }

  /** The stratum one disc suggests; NOT_GRADED without a grade or for a thoracic disc. */
  DiscDecision decide(DiscGeometry disc, Optional<EnsembleGrade> grade) {
    return reworded(rule.decide(new LevelGrade(disc.level(),
        grade.map(EnsembleGrade::discClass).orElse(null)), effective));
  }

  /** The study's stratum over the discs' grades (input order = disc order). */
  StudyDecision decideStudy(List<LevelGrade> grades) {
    StudyDecision d = rule.decideStudy(grades, effective);
    return new StudyDecision(d.stratum(), reworded(d.reason()),
        d.deciding() == null ? null : reworded(d.deciding()),
        d.discs().stream().map(this::reworded).toList());
  }

  private DiscDecision reworded(DiscDecision d) {
    return new DiscDecision(d.level(), d.discClass(), d.stratum(), reworded(d.reason()),
        d.discordant());
  }

  private String reworded(String reason) {
    return scores.isPresent() ? reason : reason
        .replace(effective.describe() + " is not high", NO_SCORES_NOT_HIGH)
        .replace(effective.describe(), NO_SCORES);
  }
}
