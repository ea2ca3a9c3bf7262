package io.spoils.feature.tensor;

import io.spoils.feature.InvalidInputException;

/**
 * Z-score normalisation over all values (CONTRACT.md): {@code z = (v - mean) / max(std, 1e-6)} with
 * the mean and the population standard deviation (divisor n) computed in float64, each result
 * rounded once to float32. A constant input therefore becomes all zeros rather than NaN.
 */
public final class ZScore {

  /** Floor of the standard deviation, so that flat images do not divide by zero. */
  public static final double EPSILON = 1e-6;
  /** Values widened to float64 at a time in the last pass (a scratch array that stays in L1). */
  private static final int BLOCK = 512;

  private ZScore() {
  }

  /**
   * Normalised copy of float32 values.
   *
   * @throws InvalidInputException for an empty input or a NaN or infinite value
   */
  public static float[] normalise(float[] values) {
    return normalise(values, sum(values), new float[values.length]);
  }

  /**
   * Normalises float32 values in place, given their float64 sum in index order (as
   * {@link BilinearResize#resizeAndSum} returns it, sparing a pass); the same values as
   * {@link #normalise(float[])}.
   */
  static float[] normaliseInPlace(float[] values, double sum) {
    return normalise(values, sum, values);
  }

  private static float[] normalise(float[] values, double sum, float[] out) {
    requireNonEmpty(values.length);
    // a sum of at most 2^31 finite float32 values cannot overflow a float64: a non-finite sum
    // means a NaN or infinite value, so one check replaces one per value
    if (!Double.isFinite(sum)) {
      throw nonFinite();
    }
    double mean = sum / values.length;
    // Two passes: the squared deviations, not E[x^2] - mean^2, which cancels badly.
    double squares = 0;
    for (float v : values) {
      double d = v - mean;
      squares += d * d;
    }
    double std = std(squares, values.length);
    double[] wide = new double[Math.min(BLOCK, values.length)];
    for (int from = 0; from < values.length; from += wide.length) {
      int n = Math.min(wide.length, values.length - from);
      // widened in a loop of its own: converting float32 values inside the division loop ties
      // each iteration to the previous one (C2 on x86) and runs several times slower
      for (int i = 0; i < n; i++) {
        wide[i] = values[from + i];
      }
      for (int i = 0; i < n; i++) {
        out[from + i] = (float) ((wide[i] - mean) / std);
      }
    }
    return out;
  }

  /**
   * Normalises float32 values in place with a given mean and standard deviation (floored at
   * {@link #EPSILON}): the statistics of a larger image this one is a part of.
   *
   * @throws InvalidInputException for a NaN or infinite value (their sum, {@code sum}, is not
   *     finite)
   */
  static float[] normaliseInPlaceWith(float[] values, double sum, double mean, double std) {
    requireNonEmpty(values.length);
    if (!Double.isFinite(sum)) {
      throw nonFinite();
    }
    double s = Math.max(std, EPSILON);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((values[i] - mean) / s);
    }
    return values;
  }

  /**
   * Normalised float32 copy of float64 values (for inputs computed in float64, like disc crops).
   *
   * @throws InvalidInputException for an empty input or a NaN or infinite value
   */
  public static float[] normalise(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return normalise(values, sum);
  }

  /**
   * {@link #normalise(double[])} given the float64 sum of the values in index order (as
   * {@link DiscCrop} accumulates it while sampling, sparing a pass).
   */
  static float[] normalise(double[] values, double sum) {
    requireNonEmpty(values.length);
    if (!Double.isFinite(sum)) {
      // finite float64 values may overflow the sum: only a non-finite value is an error
      for (double v : values) {
        if (!Double.isFinite(v)) {
          throw nonFinite();
        }
      }
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      double d = v - mean;
      squares += d * d;
    }
    double std = std(squares, values.length);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) ((values[i] - mean) / std);
    }
    return out;
  }

  /** Float64 sum of float32 values in index order. */
  static double sum(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum;
  }

  private static double std(double squares, int n) {
    return Math.max(Math.sqrt(squares / n), EPSILON);
  }

  private static void requireNonEmpty(int length) {
    if (length == 0) {
      throw new InvalidInputException("cannot normalise an empty image");
    }
  }

  private static InvalidInputException nonFinite() {
    return new InvalidInputException("image contains a NaN or infinite value");
  }

  /** A tensor of the same shape, normalised over all its values. */
  public static FloatTensor normalise(FloatTensor t) {
    return new FloatTensor(t.shape(), normalise(t.data()));
  }
}
