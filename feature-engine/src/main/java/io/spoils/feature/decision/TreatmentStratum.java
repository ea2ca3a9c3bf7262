package io.spoils.feature.decision;

/**
 * Treatment strata, declared from least to most invasive ({@link #invasiveness()}). A stratum is
 * decision support for the clinician, never a diagnosis or an order.
 */
public enum TreatmentStratum {
  /** No grade was available (ungraded, thoracic or no model probabilities): no suggestion. */
  NOT_GRADED,
  /** Drugs and physiotherapy. */
  CONSERVATIVE,
  /** Transforaminal epidural steroid injection (TFESI). */
  EPIDURAL_STEROID_INJECTION,
  /** Referral for a surgical consultation. */
  SURGICAL_CONSULTATION;

  /** 0 for NOT_GRADED, rising with invasiveness. */
  public int invasiveness() {
    return ordinal();
  }
}
