package io.spoils.feature.trees;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.DiscClass;
import java.util.Arrays;
import java.util.Map;

/**
 * The trees' grade of one disc with its explanation.
 *
 * @param level the disc's level
 * @param probabilities 11 class probabilities in {@link DiscClass} order, summing to 1 (copied)
 * @param predicted the most probable class
 * @param contributions per-feature contribution (SHAP value, in margin/log-odds units) toward the
 *     predicted class, keyed by {@link DiscFeatures#NAMES} in column order; unmodifiable
 * @param bias the expected margin of the predicted class (XGBoost's bias term)
 * @param margin the raw margin of the predicted class; equals the sum of the contributions plus
 *     the bias up to float rounding
 */
public record TreeGrade(
    DiscLevel level,
    double[] probabilities,
    DiscClass predicted,
    Map<String, Double> contributions,
    double bias,
    double margin) {

  public TreeGrade {
    probabilities = probabilities.clone();
    contributions = java.util.Collections.unmodifiableMap(
        new java.util.LinkedHashMap<>(contributions));
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
  }

  /** Probability of the predicted class, 0-1. */
  public double confidence() {
    return probabilities[predicted.ordinal()];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeGrade g && level == g.level && predicted == g.predicted
        && Arrays.equals(probabilities, g.probabilities) && contributions.equals(g.contributions)
        && bias == g.bias && margin == g.margin;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(probabilities) * 31 + predicted.hashCode();
  }

  @Override
  public String toString() {
    return "TreeGrade[" + level + " " + predicted.label() + " p=" + confidence() + "]";
  }
}
