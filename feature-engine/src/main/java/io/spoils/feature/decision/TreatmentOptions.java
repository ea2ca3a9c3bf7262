package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;

/**
 * Configurable thresholds of the treatment rule. Scores are "high" when the ODI is strictly above
 * {@code odiHighAbovePercent} OR the NRS is at least {@code nrsHighFrom}.
 *
 * <p>Defaults ({@link #defaults()}): ODI high when &gt; 40.0 % (ODI 41-60 % is "severe disability"
 * in Fairbank's bands) and NRS high when &gt;= 7 (the usual "severe pain" cut-off). They are the
 * project's documented defaults, not clinical guidance; a site may change them.
 *
 * @param odiHighAbovePercent ODI threshold, percent, 0-100; ODI strictly above it is high
 * @param nrsHighFrom NRS threshold, 0-10; NRS at or above it is high
 */
public record TreatmentOptions(double odiHighAbovePercent, int nrsHighFrom) {
  /** Default ODI threshold: ODI &gt; 40 % is high. */
  public static final double DEFAULT_ODI_HIGH_ABOVE_PERCENT = 40.0;
  /** Default NRS threshold: NRS &gt;= 7 is high. */
  public static final int DEFAULT_NRS_HIGH_FROM = 7;

  public TreatmentOptions {
    if (!Double.isFinite(odiHighAbovePercent) || odiHighAbovePercent < 0
        || odiHighAbovePercent > 100) {
      throw new InvalidInputException("ODI threshold must be a percentage from 0 to 100");
    }
    if (nrsHighFrom < 0 || nrsHighFrom > 10) {
      throw new InvalidInputException("NRS threshold must be from 0 to 10");
    }
  }

  /** ODI &gt; 40 % or NRS &gt;= 7 is high. */
  public static TreatmentOptions defaults() {
    return new TreatmentOptions(DEFAULT_ODI_HIGH_ABOVE_PERCENT, DEFAULT_NRS_HIGH_FROM);
  }

  /** Whether these scores count as high (either one suffices). */
  public boolean isHigh(ClinicalScores scores) {
    return scores.odiPercent() > odiHighAbovePercent || scores.nrs() >= nrsHighFrom;
  }

  /** The thresholds as a phrase for reasons, e.g. {@code ODI > 40 % or NRS >= 7}. */
  public String describe() {
    return "ODI > " + ClinicalScores.plain(odiHighAbovePercent) + " % or NRS >= " + nrsHighFrom;
  }
}
