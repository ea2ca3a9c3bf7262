package io.spoils.feature.decision;

import io.spoils.feature.InvalidInputException;
import java.util.Optional;

/**
 * Combines the CNN's and the trees' class probabilities for one disc: the final probabilities are
 * the element-wise mean of the two 11-element vectors (both in {@link DiscClass} order); the class
 * is their argmax and the confidence its probability. When only one model produced probabilities,
 * that model's vector is used as is and the note says so. Stateless and thread-safe.
 */
public final class GradeEnsemble {
  /** Largest accepted deviation of a vector's sum from 1 (float32 softmax outputs drift a little). */
  public static final double SUM_TOLERANCE = 1e-3;

  private GradeEnsemble() {}

  /**
   * The combined grade, or empty when neither model produced probabilities (the disc is then not
   * graded).
   *
   * @param cnn the CNN's 11 probabilities, or {@code null}
   * @param trees the trees' 11 probabilities, or {@code null}
   * @throws InvalidInputException for a vector that is not 11 finite non-negative values summing to
   *     1 within {@link #SUM_TOLERANCE}
   */
  public static Optional<EnsembleGrade> combine(double[] cnn, double[] trees) {
    if (cnn != null) {
      validate("CNN", cnn);
    }
    if (trees != null) {
      validate("trees", trees);
    }
    if (cnn == null && trees == null) {
      return Optional.empty();
    }
    if (cnn == null) {
      return Optional.of(grade(trees, EnsembleGrade.Sources.TREES_ONLY,
          "Trees probabilities only (no CNN probabilities for this disc)."));
    }
    if (trees == null) {
      return Optional.of(grade(cnn, EnsembleGrade.Sources.CNN_ONLY,
          "CNN probabilities only (no trees probabilities for this disc)."));
    }
    double[] mean = new double[DiscClass.COUNT];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (cnn[i] + trees[i]) / 2;
    }
    return Optional.of(grade(mean, EnsembleGrade.Sources.CNN_AND_TREES,
        "Mean of the CNN and trees probabilities."));
  }

  /** Float overload for model outputs; either argument may be {@code null}. */
  public static Optional<EnsembleGrade> combine(float[] cnn, float[] trees) {
    return combine(toDouble(cnn), toDouble(trees));
  }

  private static EnsembleGrade grade(double[] p, EnsembleGrade.Sources sources, String note) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return new EnsembleGrade(p, DiscClass.ofIndex(best), p[best], sources, note);
  }

  private static void validate(String model, double[] p) {
    if (p.length != DiscClass.COUNT) {
      throw new InvalidInputException(model + " probabilities must have " + DiscClass.COUNT
          + " values, got " + p.length);
    }
    double sum = 0;
    for (double v : p) {
      if (!Double.isFinite(v) || v < 0) {
        throw new InvalidInputException(model + " probabilities must be finite and non-negative");
      }
      sum += v;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new InvalidInputException(model + " probabilities must sum to 1, got " + sum);
    }
  }

  private static double[] toDouble(float[] f) {
    if (f == null) {
      return null;
    }
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
