package io.spoils.feature.decision;

import java.util.List;

/**
 * The treatment stratum suggested for a whole study: the most invasive over its graded discs.
 *
 * @param stratum the suggested stratum (NOT_GRADED when no disc was graded)
 * @param reason sentence naming the deciding level, its class and the scores
 * @param deciding the disc decision that decided the study, {@code null} when NOT_GRADED
 * @param discs one decision per input disc, in input order (ungraded ones as NOT_GRADED)
 */
public record StudyDecision(
    TreatmentStratum stratum, String reason, DiscDecision deciding, List<DiscDecision> discs) {
  public StudyDecision {
    discs = List.copyOf(discs);
  }
}
