package io.spoils.feature.tooling.trees;

import java.util.List;

/**
 * Result of patient-grouped k-fold cross-validation.
 *
 * @param folds number of folds
 * @param seed seed of the fold assignment and of XGBoost
 * @param pooled metrics over all out-of-fold predictions (every disc predicted once, by a model
 *     that never saw its patient)
 * @param perFold metrics of each fold's held-out discs, fold order
 */
public record CrossValidationResult(
    int folds, long seed, GradingMetrics pooled, List<GradingMetrics> perFold) {
  public CrossValidationResult {
    perFold = List.copyOf(perFold);
  }
}
