package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;
import java.math.BigDecimal;

/**
 * Patient-reported scores that, with the imaging grade, decide the treatment stratum.
 *
 * @param odiPercent Oswestry Disability Index, percent, 0-100 (finite)
 * @param nrs pain Numeric Rating Scale, 0-10
 */
public record ClinicalScores(double odiPercent, int nrs) {
  public ClinicalScores {
    if (!Double.isFinite(odiPercent) || odiPercent < 0 || odiPercent > 100) {
      throw new InvalidInputException("ODI must be a percentage from 0 to 100");
    }
    if (nrs < 0 || nrs > 10) {
      throw new InvalidInputException("NRS must be an integer from 0 to 10");
    }
  }

  /** Human-readable form for reasons, e.g. {@code ODI 40.01 %, NRS 7/10} (no rounding). */
  public String describe() {
    return "ODI " + plain(odiPercent) + " %, NRS " + nrs + "/10";
  }

  /** A number without rounding or trailing zeros, so threshold edges such as 40.01 stay visible. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
