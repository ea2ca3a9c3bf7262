package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.DiscLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The project's treatment rule, decision support for clinicians and never a diagnosis:
 *
 * <blockquote>surgical consultation for 3H 4M 4H 5M 5H with high ODI or NRS; epidural steroid
 * injection (TFESI) for 3M 4L 5L; conservative (drugs, physiotherapy) for 1L 2L 3L with mild to
 * moderate ODI/NRS.</blockquote>
 *
 * <p>"High" is {@link TreatmentOptions#isHigh} (default ODI &gt; 40 % or NRS &gt;= 7). The sentence
 * leaves two cases open; this rule closes them as follows:
 *
 * <ul>
 *   <li>a surgical-class disc (3H 4M 4H 5M 5H) WITHOUT high scores gets EPIDURAL_STEROID_INJECTION,
 *       one step less invasive, because surgery is only suggested when symptoms are severe too;
 *   <li>a conservative-class disc (1L 2L 3L) WITH high scores stays CONSERVATIVE (imaging does not
 *       support an intervention) and is flagged {@code discordant}: the reason tells the clinician
 *       that the symptoms are not explained by this disc's imaging.
 * </ul>
 *
 * <p>Injection-class discs (3M 4L 5L) get EPIDURAL_STEROID_INJECTION whatever the scores. A study
 * gets the most invasive stratum over its graded discs (ties: the more degenerated class, then the
 * first in input order). Thoracic discs and discs without a class are NOT_GRADED and excluded.
 * Immutable and thread-safe.
 */
public final class TreatmentRule {
  private static final Set<DiscClass> SURGICAL = Set.of(
      DiscClass.P3H, DiscClass.P4M, DiscClass.P4H, DiscClass.P5M, DiscClass.P5H);
  private static final Set<DiscClass> INJECTION = Set.of(DiscClass.P3M, DiscClass.P4L,
      DiscClass.P5L);

  private final TreatmentOptions options;

  public TreatmentRule(TreatmentOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The rule with {@link TreatmentOptions#defaults()}. */
  public static TreatmentRule withDefaults() {
    return new TreatmentRule(TreatmentOptions.defaults());
  }

  public TreatmentOptions options() {
    return options;
  }

  /** The stratum for one disc; NOT_GRADED for a thoracic disc or a {@code null} class. */
  public DiscDecision decide(LevelGrade grade, ClinicalScores scores) {
    Objects.requireNonNull(grade, "grade");
    requireScores(scores);
    if (!grade.isGraded()) {
      return notGraded(grade);
    }
    DiscClass c = grade.discClass();
    String what = grade.level().displayName() + " is " + c.label();
    boolean high = options.isHigh(scores);
    String band = scores.describe() + (high ? " is high (" : " is not high (")
        + options.describe() + ")";
    if (SURGICAL.contains(c)) {
      return high
          ? decision(grade, TreatmentStratum.SURGICAL_CONSULTATION, what
              + " (surgical-consultation class) and " + band + ".", false)
          : decision(grade, TreatmentStratum.EPIDURAL_STEROID_INJECTION, what
              + " (surgical-consultation class) but " + band
              + ", so one step less invasive: epidural steroid injection.", false);
    }
    if (INJECTION.contains(c)) {
      return decision(grade, TreatmentStratum.EPIDURAL_STEROID_INJECTION, what
          + " (epidural-steroid-injection class); " + band + ".", false);
    }
    return high
        ? decision(grade, TreatmentStratum.CONSERVATIVE, what + " (conservative class) but "
            + band + ": clinical-imaging discordance, the symptoms are not explained by this"
            + " disc's imaging; clinician review advised.", true)
        : decision(grade, TreatmentStratum.CONSERVATIVE, what + " (conservative class) and "
            + band + ".", false);
  }

  /**
   * The stratum for a study: the most invasive over its graded discs, with one decision per disc.
   * A study without any graded disc is NOT_GRADED.
   */
  public StudyDecision decideStudy(List<LevelGrade> grades, ClinicalScores scores) {
    if (grades == null) {
      throw new InvalidInputException("disc grades are missing");
    }
    requireScores(scores);
    List<DiscDecision> discs = new ArrayList<>(grades.size());
    for (LevelGrade grade : grades) {
      if (grade == null) {
        throw new InvalidInputException("a disc grade entry is missing");
      }
      discs.add(decide(grade, scores));
    }
    DiscDecision deciding = discs.stream()
        .filter(d -> d.stratum() != TreatmentStratum.NOT_GRADED)
        .max(Comparator.comparingInt((DiscDecision d) -> d.stratum().invasiveness())
            .thenComparingInt(d -> d.discClass().ordinal())
            .thenComparingInt(d -> -discs.indexOf(d)))
        .orElse(null);
    if (deciding == null) {
      return new StudyDecision(TreatmentStratum.NOT_GRADED,
          "No disc of this study could be graded, so no treatment stratum is suggested.", null,
          discs);
    }
    String reason = "Most invasive stratum over the graded discs, decided by "
        + deciding.level().displayName() + " (" + deciding.discClass().label() + ") with "
        + scores.describe() + ": " + deciding.reason();
    return new StudyDecision(deciding.stratum(), reason, deciding, discs);
  }

  private static DiscDecision decision(LevelGrade g, TreatmentStratum s, String reason,
      boolean discordant) {
    return new DiscDecision(g.level(), g.discClass(), s, reason, discordant);
  }

  private static DiscDecision notGraded(LevelGrade g) {
    String why = g.level() == DiscLevel.THORACIC
        ? "Thoracic disc: outside the graded lumbar levels, not used for the treatment stratum."
        : g.level().displayName() + " has no grade, so it is not used for the treatment stratum.";
    return new DiscDecision(g.level(), null, TreatmentStratum.NOT_GRADED, why, false);
  }

  private static void requireScores(ClinicalScores scores) {
    if (scores == null) {
      throw new InvalidInputException("clinical scores (ODI, NRS) are missing");
    }
  }
}
