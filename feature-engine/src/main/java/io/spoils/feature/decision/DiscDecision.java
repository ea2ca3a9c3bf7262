package io.spoils.feature.decision;

import io.spoils.feature.anatomy.DiscLevel;

/**
 * The treatment stratum suggested for one disc.
 *
 * @param level the disc's level
 * @param discClass its class, {@code null} when {@code stratum} is NOT_GRADED
 * @param stratum the suggested stratum
 * @param reason one sentence for the clinician explaining the stratum (no patient data)
 * @param discordant true when imaging and scores disagree (a low-grade disc with high scores)
 */
public record DiscDecision(
    DiscLevel level, DiscClass discClass, TreatmentStratum stratum, String reason,
    boolean discordant) {}
